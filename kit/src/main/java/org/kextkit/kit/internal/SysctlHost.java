package org.kextkit.kit.internal;

import org.kextkit.kit.bsd.SysctlOid;

/** The kernel's side of {@link org.kextkit.kit.bsd.Sysctl}: where a kext's oids are published. */
public interface SysctlHost {
    /**
     * Publish {@code oid} for {@code caller} (the kext class that called), which registered it at
     * {@code site} (may be {@code null}).
     */
    void register(SysctlOid oid, Class<?> caller, StackTraceElement site);

    /** Withdraw {@code oid}, which {@code caller} unregisters at {@code site}. */
    void unregister(SysctlOid oid, Class<?> caller, StackTraceElement site);
}
