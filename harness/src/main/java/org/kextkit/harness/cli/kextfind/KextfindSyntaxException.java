package org.kextkit.harness.cli.kextfind;

import java.util.List;

/**
 * Report a malformed kextfind command line with kextfind's own wording, for example
 * {@code Query syntax error near ')' (arg #3).}; arguments are numbered from 1 after {@code kextfind}.
 */
public final class KextfindSyntaxException extends Exception {
    private static final long serialVersionUID = 1L;

    private final List<String> lines;
    private final boolean showUsage;

    KextfindSyntaxException(boolean showUsage, String... lines) {
        super(String.join("\n", lines));
        this.lines = List.of(lines);
        this.showUsage = showUsage;
    }

    /** Return the message lines, each without a newline. */
    public List<String> lines() {
        return lines;
    }

    /** Return true if kextfind follows these lines with its brief usage. */
    public boolean showUsage() {
        return showUsage;
    }
}
