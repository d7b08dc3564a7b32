package org.kextkit.kit.bsd;

import java.util.Objects;

/**
 * One sysctl variable or node a kext defines: the Java form of the {@code struct sysctl_oid} that
 * {@code SYSCTL_INT}, {@code SYSCTL_QUAD}, {@code SYSCTL_STRING}, {@code SYSCTL_PROC} and
 * {@code SYSCTL_NODE} declare. It is visible to user space once registered with
 * {@link Sysctl#sysctl_register_oid} and must be unregistered before the kext unloads.
 *
 * <p>C binds a sysctl to a variable by address; Java has no addresses, so a value oid holds its value
 * and the kext reads and sets it with {@link #intValue()} / {@link #setIntValue(int)} and friends.
 * The parent is named by its full dotted name ({@code "debug"}, or a node the kext registered, such
 * as {@code "debug.mykext"}); the oid's number is always {@link Sysctl#OID_AUTO}.
 */
public final class SysctlOid {
    /** What an oid holds. */
    public enum Kind {
        /** A node with child oids ({@code CTLTYPE_NODE}). */
        NODE,
        /** A 32-bit integer ({@code CTLTYPE_INT}). */
        INT,
        /** A 64-bit integer ({@code CTLTYPE_QUAD}). */
        QUAD,
        /** A string ({@code CTLTYPE_STRING}). */
        STRING
    }

    private final String parent;
    private final String name;
    private final Kind kind;
    private final int access;
    private final String description;
    private final SysctlHandler handler;
    private final int maxLength;
    private volatile Object value;

    private SysctlOid(String parent, String name, Kind kind, int access, Object value, int maxLength,
            SysctlHandler handler, String description) {
        this.parent = Objects.requireNonNull(parent, "parent");
        this.name = Objects.requireNonNull(name, "name");
        if (name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException("a sysctl name is one non-empty component without dots, not '" + name + "'");
        }
        this.kind = kind;
        this.access = access;
        this.value = value;
        this.maxLength = maxLength;
        this.handler = handler;
        this.description = description == null ? "" : description;
    }

    /** A node under {@code parent} that other oids can be registered under ({@code SYSCTL_NODE}). */
    public static SysctlOid SYSCTL_NODE(String parent, String name, int access, String description) {
        return new SysctlOid(parent, name, Kind.NODE, access, null, 0, null, description);
    }

    /** A 32-bit integer holding {@code initial} ({@code SYSCTL_INT}). */
    public static SysctlOid SYSCTL_INT(String parent, String name, int access, int initial, String description) {
        return new SysctlOid(parent, name, Kind.INT, access, initial, 0, null, description);
    }

    /** A 64-bit integer holding {@code initial} ({@code SYSCTL_QUAD}). */
    public static SysctlOid SYSCTL_QUAD(String parent, String name, int access, long initial, String description) {
        return new SysctlOid(parent, name, Kind.QUAD, access, initial, 0, null, description);
    }

    /**
     * A string holding {@code initial} ({@code SYSCTL_STRING}); a write longer than
     * {@code maxLength} characters is refused with {@link Sysctl#EINVAL}, as the C buffer would be
     * too small (0: no limit beyond the initial value's length).
     */
    public static SysctlOid SYSCTL_STRING(String parent, String name, int access, String initial, int maxLength,
            String description) {
        Objects.requireNonNull(initial, "initial");
        return new SysctlOid(parent, name, Kind.STRING, access, initial, maxLength <= 0 ? initial.length() : maxLength,
                null, description);
    }

    /**
     * A value computed by {@code handler} on every read and write ({@code SYSCTL_PROC}); {@code kind}
     * says what the handler reports and accepts ({@link Kind#INT}, {@link Kind#QUAD} or
     * {@link Kind#STRING}).
     */
    public static SysctlOid SYSCTL_PROC(String parent, String name, int access, Kind kind, SysctlHandler handler,
            String description) {
        Objects.requireNonNull(handler, "handler");
        if (kind == Kind.NODE) {
            throw new IllegalArgumentException("a procedure sysctl reports an INT, QUAD or STRING, not a NODE");
        }
        return new SysctlOid(parent, name, kind, access, null, 0, handler, description);
    }

    /** Return the parent's full dotted name, e.g. {@code "debug"}. */
    public String parent() {
        return parent;
    }

    /** Return this oid's own name component. */
    public String name() {
        return name;
    }

    /** Return the full dotted name, e.g. {@code "debug.mykext_count"}. */
    public String fullName() {
        return parent + "." + name;
    }

    /** Return what this oid holds. */
    public Kind kind() {
        return kind;
    }

    /** Return the access flags ({@link Sysctl#CTLFLAG_RD}, {@link Sysctl#CTLFLAG_RW}, ...). */
    public int access() {
        return access;
    }

    /** Return true if user space may read this oid. */
    public boolean isReadable() {
        return (access & Sysctl.CTLFLAG_RD) != 0;
    }

    /** Return true if user space may write this oid. */
    public boolean isWritable() {
        return (access & Sysctl.CTLFLAG_WR) != 0;
    }

    /** Return the description given at declaration (may be empty). */
    public String description() {
        return description;
    }

    /** Return the handler of a procedure oid, or {@code null} for a value or node oid. */
    public SysctlHandler handler() {
        return handler;
    }

    /** Return the longest string a write may store (string oids only). */
    public int maxLength() {
        return maxLength;
    }

    /** Return the value of an {@link Kind#INT} oid. */
    public int intValue() {
        return (Integer) valueOf(Kind.INT);
    }

    /** Set the value of an {@link Kind#INT} oid. */
    public void setIntValue(int newValue) {
        valueOf(Kind.INT);
        value = newValue;
    }

    /** Return the value of a {@link Kind#QUAD} oid. */
    public long longValue() {
        return (Long) valueOf(Kind.QUAD);
    }

    /** Set the value of a {@link Kind#QUAD} oid. */
    public void setLongValue(long newValue) {
        valueOf(Kind.QUAD);
        value = newValue;
    }

    /** Return the value of a {@link Kind#STRING} oid. */
    public String stringValue() {
        return (String) valueOf(Kind.STRING);
    }

    /** Set the value of a {@link Kind#STRING} oid. */
    public void setStringValue(String newValue) {
        valueOf(Kind.STRING);
        value = Objects.requireNonNull(newValue, "newValue");
    }

    private Object valueOf(Kind expected) {
        if (handler != null || kind != expected) {
            throw new IllegalStateException("sysctl " + fullName() + " is " + (handler != null ? "a procedure " : "")
                    + kind + ", not a " + expected + " value");
        }
        return value;
    }

    @Override
    public String toString() {
        return "sysctl " + fullName() + " (" + kind + (handler != null ? ", procedure" : "") + ")";
    }
}
