package com.example.buggy.spinsleeper;

import static org.kextkit.kit.iokit.IOLib.*;
import static org.kextkit.kit.libkern.Locks.*;

import org.kextkit.kit.libkern.*;

/** Waits for a hardware reset to settle with IOSleep while holding the spin lock that guards the registers. */
public final class Module implements KextModule {
    private LckGrp group;
    private LckSpin registerLock;
    private int resets;

    @Override
    public int start(KmodInfo kmodInfo, Object data) {
        group = lck_grp_alloc_init("regs", null);
        registerLock = lck_spin_alloc_init(group, null);
        resetEngine();
        return KernReturn.KERN_SUCCESS;
    }

    void resetEngine() {
        lck_spin_lock(registerLock);
        resets++;
        IOSleep(1); // BUG: LCK-7
        lck_spin_unlock(registerLock);
    }

    @Override
    public int stop(KmodInfo kmodInfo, Object data) {
        lck_spin_free(registerLock, group);
        lck_grp_free(group);
        return KernReturn.KERN_SUCCESS;
    }
}
