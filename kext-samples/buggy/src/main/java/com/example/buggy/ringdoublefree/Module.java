package com.example.buggy.ringdoublefree;

import static org.kextkit.kit.iokit.IOLib.*;
import static org.kextkit.kit.libkern.Locks.*;

import org.kextkit.kit.libkern.*;

/** Allocates a receive ring; when programming it fails, start frees it and goes on degraded, and stop frees it again. */
public final class Module implements KextModule {
    static final int RING_BYTES = 16 * 64;
    private KernelBuffer ring;
    private boolean degraded;

    @Override
    public int start(KmodInfo kmodInfo, Object data) {
        ring = IOMallocZero(RING_BYTES);
        if (!programRing(ring)) {
            IOFree(ring, RING_BYTES); // the ring is no use without the engine: give it back (ring is not cleared)
            degraded = true;
        }
        IOLog("RingDoubleFree: started%s", degraded ? " without a receive ring" : "");
        return KernReturn.KERN_SUCCESS;
    }

    /** The engine refuses rings that are not at least one page: this one never programs. */
    private static boolean programRing(KernelBuffer ring) {
        return ring.size() >= 4096;
    }

    @Override
    public int stop(KmodInfo kmodInfo, Object data) {
        IOFree(ring, RING_BYTES); // BUG: MEM-3
        ring = null;
        return KernReturn.KERN_SUCCESS;
    }
}
