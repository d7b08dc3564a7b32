package com.example.its;

import static org.kextkit.kit.libkern.Locks.*;

import org.kextkit.kit.libkern.KernReturn;
import org.kextkit.kit.libkern.KextModule;
import org.kextkit.kit.libkern.KmodInfo;
import org.kextkit.kit.libkern.LckGrp;
import org.kextkit.kit.libkern.LckMtx;

/** Takes its lock in stop to flush a counter, and returns without releasing it. */
public final class LeakyModule implements KextModule {
    private LckGrp group;
    private LckMtx lock;
    private int flushed;

    @Override
    public int start(KmodInfo kmodInfo, Object data) {
        group = lck_grp_alloc_init("leaky", null);
        lock = lck_mtx_alloc_init(group, null);
        return KernReturn.KERN_SUCCESS;
    }

    @Override
    public int stop(KmodInfo kmodInfo, Object data) {
        lck_mtx_lock(lock); // line 26: never unlocked
        flushed++;
        return KernReturn.KERN_SUCCESS;
    }
}
