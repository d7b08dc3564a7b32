package com.example.buggy.tunableleftregistered;

import static org.kextkit.kit.bsd.Sysctl.*;

import org.kextkit.kit.bsd.SysctlOid;
import org.kextkit.kit.libkern.*;

/**
 * Publishes two tunables under its own sysctl node; stop withdraws the node and the first tunable
 * but forgets the second, which stays in the kernel's sysctl tree after the kext is gone.
 */
public final class Module implements KextModule {
    static final SysctlOid NODE = SysctlOid.SYSCTL_NODE("debug", "tunables", CTLFLAG_RW, "tunables");
    static final SysctlOid BATCH = SysctlOid.SYSCTL_INT("debug.tunables", "batch", CTLFLAG_RW, 16, "batch size");
    static final SysctlOid DEPTH = SysctlOid.SYSCTL_INT("debug.tunables", "depth", CTLFLAG_RW, 4, "queue depth");

    @Override
    public int start(KmodInfo kmodInfo, Object data) {
        sysctl_register_oid(NODE);
        sysctl_register_oid(BATCH);
        sysctl_register_oid(DEPTH); // BUG: REG-SYSCTL
        return KernReturn.KERN_SUCCESS;
    }

    @Override
    public int stop(KmodInfo kmodInfo, Object data) {
        sysctl_unregister_oid(BATCH);
        sysctl_unregister_oid(NODE);
        return KernReturn.KERN_SUCCESS;
    }
}
