package com.example.buggy.unbalancedunlock;

import static org.kextkit.kit.iokit.IOLib.*;
import static org.kextkit.kit.libkern.Locks.*;

import org.kextkit.kit.libkern.*;

/** Parses a configuration block under a lock; the validation error path unlocks before the lock was taken. */
public final class Module implements KextModule {
    private LckGrp group;
    private LckMtx configLock;
    private int channels;

    @Override
    public int start(KmodInfo kmodInfo, Object data) {
        group = lck_grp_alloc_init("config", null);
        configLock = lck_mtx_alloc_init(group, null);
        applyConfiguration(-1);
        return KernReturn.KERN_SUCCESS;
    }

    void applyConfiguration(int requestedChannels) {
        if (requestedChannels < 0) {
            lck_mtx_unlock(configLock); // BUG: LCK-6
            return;
        }
        lck_mtx_lock(configLock);
        channels = requestedChannels;
        lck_mtx_unlock(configLock);
    }

    @Override
    public int stop(KmodInfo kmodInfo, Object data) {
        lck_mtx_free(configLock, group);
        lck_grp_free(group);
        return KernReturn.KERN_SUCCESS;
    }
}
