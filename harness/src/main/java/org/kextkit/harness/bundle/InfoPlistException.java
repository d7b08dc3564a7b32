package org.kextkit.harness.bundle;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Report that an Info.plist cannot be read: too large, not a property list, unsafe, malformed, or
 * not a dictionary at the top level.
 *
 * <p>The message names the file, the place in it when one is known (a line and column, an XPath, a
 * key path or a byte offset), what was wrong and what to do, so a tool can print it as it is.
 */
public final class InfoPlistException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient Path path;
    private final String location;
    private final String problem;

    /**
     * Create an exception.
     *
     * @param path the Info.plist file
     * @param location where in the file, such as {@code line 12, column 5}, or {@code null}
     * @param problem what was wrong and what to do, as one or two sentences
     */
    public InfoPlistException(Path path, String location, String problem) {
        this(path, location, problem, null);
    }

    /** Create an exception that keeps the parser's own exception as its cause. */
    public InfoPlistException(Path path, String location, String problem, Throwable cause) {
        super(format(path, location, problem), cause);
        this.path = Objects.requireNonNull(path, "path");
        this.location = location;
        this.problem = Objects.requireNonNull(problem, "problem");
    }

    private static String format(Path path, String location, String problem) {
        return path + (location == null ? "" : ", " + location) + ": " + problem;
    }

    /** Return the Info.plist file. */
    public Path path() {
        return path;
    }

    /** Return where in the file the problem is, or {@code null} when it concerns the whole file. */
    public String location() {
        return location;
    }

    /** Return the problem and the advice, without the file and location. */
    public String problem() {
        return problem;
    }
}
