package com.example.buggy.alignedfreemismatch;

import static org.kextkit.kit.iokit.IOLib.*;
import static org.kextkit.kit.libkern.Locks.*;

import org.kextkit.kit.libkern.*;

/** Allocates its descriptor page aligned and frees it with plain IOFree. */
public final class Module implements KextModule {
    static final int PAGE = 4096;
    private KernelBuffer descriptors;

    @Override
    public int start(KmodInfo kmodInfo, Object data) {
        descriptors = IOMallocAligned(PAGE, PAGE);
        descriptors.fill(0, PAGE, (byte) 0);
        return KernReturn.KERN_SUCCESS;
    }

    @Override
    public int stop(KmodInfo kmodInfo, Object data) {
        IOFree(descriptors, PAGE); // BUG: MEM-1
        descriptors = null;
        return KernReturn.KERN_SUCCESS;
    }
}
