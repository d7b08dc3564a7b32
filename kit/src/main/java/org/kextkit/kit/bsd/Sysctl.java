package org.kextkit.kit.bsd;

import org.kextkit.kit.internal.CallSites;
import org.kextkit.kit.internal.CallerKernel;
import org.kextkit.kit.internal.KernelRuntime;

/**
 * Publish and withdraw sysctl variables ({@code <sys/sysctl.h>}).
 *
 * <p>A kext registers its oids in {@code start} (a node first, then the oids under it) and
 * unregisters them in {@code stop}, children before their node. An oid still registered when its
 * kext unloads would leave the kernel pointing into unloaded code; kextkit reports it (check
 * {@code REG-SYSCTL}) and withdraws it.
 */
public final class Sysctl {
    /** Readable by user space. */
    public static final int CTLFLAG_RD = 0x80000000;
    /** Writable by user space. */
    public static final int CTLFLAG_WR = 0x40000000;
    /** Readable and writable. */
    public static final int CTLFLAG_RW = CTLFLAG_RD | CTLFLAG_WR;
    /** Writable by any user, not only root. */
    public static final int CTLFLAG_ANYBODY = 0x10000000;
    /** The handler does its own locking. */
    public static final int CTLFLAG_LOCKED = 0x00800000;
    /** Let the kernel choose the oid's number; the only numbering kextkit supports. */
    public static final int OID_AUTO = -1;

    /** errno: operation not permitted (a write to a read-only oid). */
    public static final int EPERM = 1;
    /** errno: no such oid. */
    public static final int ENOENT = 2;
    /** errno: the name is already in use. */
    public static final int EEXIST = 17;
    /** errno: invalid value. */
    public static final int EINVAL = 22;
    /** errno: the oid is a node, which has no value. */
    public static final int EISDIR = 21;

    private Sysctl() {
    }

    /**
     * Make {@code oid} visible under its parent ({@code sysctl_register_oid}). Registering a name
     * that is taken, or under a parent that is not registered, is refused with a line in the kernel
     * log.
     */
    public static void sysctl_register_oid(SysctlOid oid) {
        Class<?> caller = KernelRuntime.callerClass();
        CallerKernel.servicesOf(caller).sysctl().register(oid, caller, CallSites.caller());
    }

    /** Withdraw {@code oid} ({@code sysctl_unregister_oid}); one not registered is logged and ignored. */
    public static void sysctl_unregister_oid(SysctlOid oid) {
        Class<?> caller = KernelRuntime.callerClass();
        CallerKernel.servicesOf(caller).sysctl().unregister(oid, caller, CallSites.caller());
    }
}
