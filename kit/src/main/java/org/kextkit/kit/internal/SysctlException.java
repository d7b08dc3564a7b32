package org.kextkit.kit.internal;

/** A sysctl read or write refused with an errno, and a message saying why in {@code sysctl(8)}'s terms. */
public final class SysctlException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int errno;

    /** Make one for {@code errno} with a complete message. */
    public SysctlException(int errno, String message) {
        super(message);
        this.errno = errno;
    }

    /** Return the errno ({@link org.kextkit.kit.bsd.Sysctl#ENOENT} and friends). */
    public int errno() {
        return errno;
    }
}
