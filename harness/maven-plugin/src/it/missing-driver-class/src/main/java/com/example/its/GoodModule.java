package com.example.its;

import static org.kextkit.kit.libkern.Locks.*;

import org.kextkit.kit.libkern.KernReturn;
import org.kextkit.kit.libkern.KextModule;
import org.kextkit.kit.libkern.KmodInfo;
import org.kextkit.kit.libkern.LckGrp;
import org.kextkit.kit.libkern.LckMtx;

/** A generic kext that takes a lock for a counter and gives everything back in stop. */
public final class GoodModule implements KextModule {
    private LckGrp group;
    private LckMtx lock;
    private int starts;

    @Override
    public int start(KmodInfo kmodInfo, Object data) {
        group = lck_grp_alloc_init("good", null);
        lock = lck_mtx_alloc_init(group, null);
        lck_mtx_lock(lock);
        starts++;
        lck_mtx_unlock(lock);
        return KernReturn.KERN_SUCCESS;
    }

    @Override
    public int stop(KmodInfo kmodInfo, Object data) {
        lck_mtx_free(lock, group);
        lck_grp_free(group);
        return KernReturn.KERN_SUCCESS;
    }
}
