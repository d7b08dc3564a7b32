package com.example.buggy.reentranthandler;

import static org.kextkit.kit.iokit.IOLib.*;
import static org.kextkit.kit.libkern.Locks.*;

import org.kextkit.kit.libkern.*;

/** Handles an event under its lock and completes it through a helper that takes the same lock again. */
public final class Module implements KextModule {
    private LckGrp group;
    private LckMtx eventLock;
    private int completed;

    @Override
    public int start(KmodInfo kmodInfo, Object data) {
        group = lck_grp_alloc_init("events", null);
        eventLock = lck_mtx_alloc_init(group, null);
        handleEvent(1);
        return KernReturn.KERN_SUCCESS;
    }

    void handleEvent(int event) {
        lck_mtx_lock(eventLock);
        complete(event);
        lck_mtx_unlock(eventLock);
    }

    /** Also called on its own from the timeout path, so it takes the lock itself. */
    void complete(int event) {
        lck_mtx_lock(eventLock); // BUG: LCK-5
        completed++;
        lck_mtx_unlock(eventLock);
    }

    @Override
    public int stop(KmodInfo kmodInfo, Object data) {
        lck_mtx_free(eventLock, group);
        lck_grp_free(group);
        return KernReturn.KERN_SUCCESS;
    }
}
