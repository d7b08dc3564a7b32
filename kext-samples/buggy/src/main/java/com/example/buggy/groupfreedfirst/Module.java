package com.example.buggy.groupfreedfirst;

import static org.kextkit.kit.iokit.IOLib.*;
import static org.kextkit.kit.libkern.Locks.*;

import org.kextkit.kit.libkern.*;

/** Tears down in allocation order: the group goes before the lock made in it. */
public final class Module implements KextModule {
    private LckGrp group;
    private LckMtx lock;

    @Override
    public int start(KmodInfo kmodInfo, Object data) {
        group = lck_grp_alloc_init("teardown", null);
        lock = lck_mtx_alloc_init(group, null);
        return KernReturn.KERN_SUCCESS;
    }

    @Override
    public int stop(KmodInfo kmodInfo, Object data) {
        lck_grp_free(group); // BUG: LCK-3
        lck_mtx_free(lock, group);
        return KernReturn.KERN_SUCCESS;
    }
}
