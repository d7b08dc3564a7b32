package com.example.buggy.statslockleak;

import static org.kextkit.kit.iokit.IOLib.*;
import static org.kextkit.kit.libkern.Locks.*;

import org.kextkit.kit.libkern.*;

/** Keeps per-queue statistics; refreshing them skips an empty snapshot early and forgets the lock. */
public final class Module implements KextModule {
    private LckGrp group;
    private LckMtx statsLock;
    private final int[] queueDepth = new int[4];
    private int samples;

    @Override
    public int start(KmodInfo kmodInfo, Object data) {
        group = lck_grp_alloc_init("stats", null);
        statsLock = lck_mtx_alloc_init(group, null);
        refreshStats(new int[0]);
        return KernReturn.KERN_SUCCESS;
    }

    void refreshStats(int[] snapshot) {
        lck_mtx_lock(statsLock); // BUG: LCK-HELD
        if (snapshot.length == 0) {
            return; // nothing new: but the lock is still held
        }
        for (int i = 0; i < snapshot.length && i < queueDepth.length; i++) {
            queueDepth[i] = snapshot[i];
        }
        samples++;
        lck_mtx_unlock(statsLock);
    }

    @Override
    public int stop(KmodInfo kmodInfo, Object data) {
        IOLog("StatsLockLeak: %d samples", samples);
        return KernReturn.KERN_SUCCESS;
    }
}
