package com.example.buggy.lockleftalive;

import static org.kextkit.kit.iokit.IOLib.*;
import static org.kextkit.kit.libkern.Locks.*;

import org.kextkit.kit.libkern.*;

/** Makes a second lock for its timer path and forgets it in stop. */
public final class Module implements KextModule {
    private LckGrp group;
    private LckMtx stateLock;
    private LckMtx timerLock;

    @Override
    public int start(KmodInfo kmodInfo, Object data) {
        group = lck_grp_alloc_init("twolocks", null);
        stateLock = lck_mtx_alloc_init(group, null);
        timerLock = lck_mtx_alloc_init(group, null); // BUG: LCK-1
        return KernReturn.KERN_SUCCESS;
    }

    @Override
    public int stop(KmodInfo kmodInfo, Object data) {
        lck_mtx_free(stateLock, group);
        return KernReturn.KERN_SUCCESS;
    }
}
