package org.kextkit.kit.bsd;

/**
 * The handler of a {@link SysctlOid#SYSCTL_PROC procedure} sysctl: computes the value on a read and
 * validates and applies a new one on a write, as a C kext's {@code sysctl_handler} does.
 */
@FunctionalInterface
public interface SysctlHandler {
    /**
     * Handle one read or write of {@code oid}.
     *
     * <p>Set the current value with {@link SysctlRequest#setOldValue} (always, a write reports the
     * value it replaced); on a write, read the proposed value with {@link SysctlRequest#newValue}.
     *
     * @return 0 on success, else an errno such as {@link Sysctl#EINVAL} or {@link Sysctl#EPERM}
     */
    int handle(SysctlOid oid, SysctlRequest request);
}
