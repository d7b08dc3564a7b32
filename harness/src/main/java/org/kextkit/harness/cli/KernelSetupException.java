package org.kextkit.harness.cli;

/**
 * Report that the kernel a command needs cannot be set up as configured, for example because the
 * machine description it boots on names an unknown device model. Commands let it through: the
 * command line prints its message after the command's name and exits with
 * {@link ExitCodes#EX_CONFIG}, as for any other invalid configuration.
 */
public final class KernelSetupException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Create the exception with a complete message that names the file, the key and what was expected. */
    public KernelSetupException(String message, Throwable cause) {
        super(message, cause);
    }
}
