package com.example.buggy.spinpoller;

import static org.kextkit.kit.iokit.IOLib.*;
import static org.kextkit.kit.libkern.Locks.*;

import org.kextkit.kit.libkern.*;

/** Polls for a ready bit with IODelay for up to 20 ms while holding a spin lock. */
public final class Module implements KextModule {
    private LckGrp group;
    private LckSpin registerLock;
    private int polls;

    @Override
    public int start(KmodInfo kmodInfo, Object data) {
        group = lck_grp_alloc_init("poll", null);
        registerLock = lck_spin_alloc_init(group, null);
        waitForReady();
        return KernReturn.KERN_SUCCESS;
    }

    /** The simulated part never reports ready, so the loop runs to its 20 ms limit. */
    void waitForReady() {
        lck_spin_lock(registerLock); // BUG: LCK-LONG
        for (int i = 0; i < 200 && !ready(); i++) {
            IODelay(100);
            polls++;
        }
        lck_spin_unlock(registerLock);
    }

    private boolean ready() {
        return false;
    }

    @Override
    public int stop(KmodInfo kmodInfo, Object data) {
        lck_spin_free(registerLock, group);
        lck_grp_free(group);
        return KernReturn.KERN_SUCCESS;
    }
}
