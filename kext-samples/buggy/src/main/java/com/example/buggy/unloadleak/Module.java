package com.example.buggy.unloadleak;

import static org.kextkit.kit.iokit.IOLib.*;
import static org.kextkit.kit.libkern.Locks.*;

import org.kextkit.kit.libkern.*;

/** Allocates a scratch page for firmware upload and frees only the control block at stop. */
public final class Module implements KextModule {
    static final int CONTROL = 128;
    static final int SCRATCH = 4096;
    private KernelBuffer control;
    private KernelBuffer scratch;

    @Override
    public int start(KmodInfo kmodInfo, Object data) {
        control = IOMallocZero(CONTROL);
        scratch = IOMalloc(SCRATCH); // BUG: MEM-4
        return KernReturn.KERN_SUCCESS;
    }

    @Override
    public int stop(KmodInfo kmodInfo, Object data) {
        IOFree(control, CONTROL);
        control = null;
        return KernReturn.KERN_SUCCESS;
    }
}
