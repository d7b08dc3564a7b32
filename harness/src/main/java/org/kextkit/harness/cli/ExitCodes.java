package org.kextkit.harness.cli;

/**
 * Name the BSD {@code sysexits.h} codes the kext commands share with Apple's kext_tools.
 *
 * <p>Each command's own codes (kextutil's 1 to 7, kextunload's 1 to 3, kextlibs' 1 and 2) are listed
 * in its help; these are the ones every command may return.
 */
public final class ExitCodes {
    /** Success. */
    public static final int EX_OK = 0;
    /** A malformed command line; the message and the usage go to stderr. */
    public static final int EX_USAGE = 64;
    /** A path named on the command line does not exist. */
    public static final int EX_NOINPUT = 66;
    /** A service the command needs (kernel, kext reader, linker) is not connected to this command line. */
    public static final int EX_UNAVAILABLE = 69;
    /** An internal error in kextkit, or no kexts where some were required. */
    public static final int EX_SOFTWARE = 70;
    /** The kernel could not be queried or refused the request. */
    public static final int EX_OSERR = 71;
    /** An output file (such as a findings report) cannot be created or written. */
    public static final int EX_CANTCREAT = 73;
    /** The kernel refused the request for lack of privilege. */
    public static final int EX_NOPERM = 77;
    /**
     * kextkit's configuration cannot be used (for example the machine description a kernel boots on
     * is wrong); the message names the file, the key and what was expected.
     */
    public static final int EX_CONFIG = 78;

    private ExitCodes() {
    }
}
