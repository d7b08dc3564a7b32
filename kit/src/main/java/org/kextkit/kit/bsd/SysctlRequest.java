package org.kextkit.kit.bsd;

/**
 * One read or write of a procedure sysctl, handed to its {@link SysctlHandler}: the Java form of
 * {@code struct sysctl_req}.
 */
public final class SysctlRequest {
    private final Object newValue;
    private Object oldValue;

    /**
     * Make a request.
     *
     * @param newValue the value being written ({@link Integer}, {@link Long} or {@link String} by the
     *     oid's type), or {@code null} for a read
     */
    public SysctlRequest(Object newValue) {
        this.newValue = newValue;
    }

    /** Return true if this request writes a new value. */
    public boolean isWrite() {
        return newValue != null;
    }

    /** Return the value being written, or {@code null} for a read ({@code req->newptr}). */
    public Object newValue() {
        return newValue;
    }

    /** Report the current value ({@code SYSCTL_OUT}). */
    public void setOldValue(Object value) {
        this.oldValue = value;
    }

    /** Return the value the handler reported, or {@code null} if it reported none. */
    public Object oldValue() {
        return oldValue;
    }
}
