package com.example.buggy.wronglockgroup;

import static org.kextkit.kit.iokit.IOLib.*;
import static org.kextkit.kit.libkern.Locks.*;

import org.kextkit.kit.libkern.*;

/** Keeps a receive and a transmit lock in two groups and frees the receive lock with the transmit group. */
public final class Module implements KextModule {
    private LckGrp rxGroup;
    private LckGrp txGroup;
    private LckMtx rxLock;
    private LckMtx txLock;

    @Override
    public int start(KmodInfo kmodInfo, Object data) {
        rxGroup = lck_grp_alloc_init("rx", null);
        txGroup = lck_grp_alloc_init("tx", null);
        rxLock = lck_mtx_alloc_init(rxGroup, null);
        txLock = lck_mtx_alloc_init(txGroup, null);
        return KernReturn.KERN_SUCCESS;
    }

    @Override
    public int stop(KmodInfo kmodInfo, Object data) {
        lck_mtx_free(txLock, txGroup);
        lck_mtx_free(rxLock, txGroup); // BUG: LCK-2
        lck_grp_free(txGroup);
        lck_grp_free(rxGroup);
        return KernReturn.KERN_SUCCESS;
    }
}
