package org.kextkit.harness.cli.internal;

import java.io.PrintWriter;
import java.io.Writer;

/**
 * Provide a {@link PrintWriter} that discards everything, for {@code -q}, which in kext_tools closes
 * both standard output and standard error.
 */
public final class NullWriter {
    private NullWriter() {
    }

    /** Return a new discarding writer. */
    public static PrintWriter create() {
        return new PrintWriter(Writer.nullWriter());
    }
}
