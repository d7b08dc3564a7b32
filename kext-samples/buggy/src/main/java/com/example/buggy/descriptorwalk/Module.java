package com.example.buggy.descriptorwalk;

import static org.kextkit.kit.iokit.IOLib.*;
import static org.kextkit.kit.libkern.Locks.*;

import org.kextkit.kit.libkern.*;

/** Counts the descriptors of a chained list by following each descriptor's next index recursively. */
public final class Module implements KextModule {
    static final int DESCRIPTOR = 8;
    static final int END = 0xffff;

    @Override
    public int start(KmodInfo kmodInfo, Object data) {
        KernelBuffer list = IOMallocZero(4 * DESCRIPTOR);
        for (int i = 0; i < 4; i++) {
            list.write32(i * DESCRIPTOR, i + 1 < 4 ? i + 1 : END);
        }
        IOLog("DescriptorWalk: %d descriptors", count(list, 0));
        IOFree(list, 4 * DESCRIPTOR);
        return KernReturn.KERN_SUCCESS;
    }

    static int count(KernelBuffer list, int index) {
        int next = list.read32((long) index * DESCRIPTOR);
        return next == END ? 1 : 1 + count(list, next); // BUG: STK-RECURSION
    }

    @Override
    public int stop(KmodInfo kmodInfo, Object data) {
        return KernReturn.KERN_SUCCESS;
    }
}
