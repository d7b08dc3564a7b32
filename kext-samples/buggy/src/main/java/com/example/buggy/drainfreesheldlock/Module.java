package com.example.buggy.drainfreesheldlock;

import static org.kextkit.kit.iokit.IOLib.*;
import static org.kextkit.kit.libkern.Locks.*;

import org.kextkit.kit.libkern.*;

/** Drains its queue under the lock at stop and frees the lock before releasing it. */
public final class Module implements KextModule {
    private LckGrp group;
    private LckMtx queueLock;
    private int pending = 3;

    @Override
    public int start(KmodInfo kmodInfo, Object data) {
        group = lck_grp_alloc_init("drain", null);
        queueLock = lck_mtx_alloc_init(group, null);
        return KernReturn.KERN_SUCCESS;
    }

    @Override
    public int stop(KmodInfo kmodInfo, Object data) {
        lck_mtx_lock(queueLock);
        while (pending > 0) {
            pending--;
        }
        lck_mtx_free(queueLock, group); // BUG: LCK-4
        lck_grp_free(group);
        return KernReturn.KERN_SUCCESS;
    }
}
