package org.kextkit.harness.daemon;

import java.io.IOException;

/**
 * Report why the kernel daemon cannot boot or serve, with a message ready for the user and the exit
 * status ({@link ExitStatus}) that goes with it.
 */
public final class DaemonException extends IOException {
    private static final long serialVersionUID = 1L;

    private final int exitStatus;

    /** Create an exception with a complete message and its exit status. */
    public DaemonException(int exitStatus, String message) {
        super(message);
        this.exitStatus = exitStatus;
    }

    /** Create an exception with a complete message, its exit status and the underlying cause. */
    public DaemonException(int exitStatus, String message, Throwable cause) {
        super(message, cause);
        this.exitStatus = exitStatus;
    }

    /** Return the exit status a process reporting this should end with. */
    public int exitStatus() {
        return exitStatus;
    }
}
