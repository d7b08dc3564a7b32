package com.example.buggy.queuelockorder;

import static org.kextkit.kit.iokit.IOLib.*;
import static org.kextkit.kit.libkern.Locks.*;

import org.kextkit.kit.libkern.*;

/** A command queue with a statistics lock: submit takes queue then stats, the reset path takes them the other way. */
public final class Module implements KextModule {
    private LckGrp group;
    private LckMtx queueLock;
    private LckMtx statsLock;
    private int queued;
    private int submitted;

    @Override
    public int start(KmodInfo kmodInfo, Object data) {
        group = lck_grp_alloc_init("cmdqueue", null);
        queueLock = lck_mtx_alloc_init(group, null);
        statsLock = lck_mtx_alloc_init(group, null);
        submit();
        resetStatistics();
        return KernReturn.KERN_SUCCESS;
    }

    void submit() {
        lck_mtx_lock(queueLock);
        queued++;
        lck_mtx_lock(statsLock);
        submitted++;
        lck_mtx_unlock(statsLock);
        lck_mtx_unlock(queueLock);
    }

    void resetStatistics() {
        lck_mtx_lock(statsLock);
        submitted = 0;
        lck_mtx_lock(queueLock); // BUG: LCK-ORDER
        queued = 0;
        lck_mtx_unlock(queueLock);
        lck_mtx_unlock(statsLock);
    }

    @Override
    public int stop(KmodInfo kmodInfo, Object data) {
        lck_mtx_free(statsLock, group);
        lck_mtx_free(queueLock, group);
        lck_grp_free(group);
        return KernReturn.KERN_SUCCESS;
    }
}
