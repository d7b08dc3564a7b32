package org.kextkit.harness.cli.kextcheck;

/**
 * A {@code .kext.zip} that cannot be used; the message is one line naming the archive, the entry at
 * fault when there is one, and what was expected.
 */
public final class ArchiveException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Create the exception with its one-line message. */
    public ArchiveException(String message) {
        super(message);
    }
}
