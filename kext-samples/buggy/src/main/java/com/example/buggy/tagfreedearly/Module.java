package com.example.buggy.tagfreedearly;

import static org.kextkit.kit.iokit.IOLib.*;
import static org.kextkit.kit.libkern.Locks.*;

import org.kextkit.kit.libkern.*;

/** Frees its OSMalloc tag at stop while the cache it allocated is still live. */
public final class Module implements KextModule {
    static final int CACHE = 256;
    private OSMallocTag tag;
    private KernelBuffer cache;

    @Override
    public int start(KmodInfo kmodInfo, Object data) {
        tag = OSMalloc.OSMalloc_Tagalloc("org.kextkit.sample.buggy.TagFreedEarly", 0);
        cache = OSMalloc.OSMalloc(CACHE, tag);
        return KernReturn.KERN_SUCCESS;
    }

    @Override
    public int stop(KmodInfo kmodInfo, Object data) {
        OSMalloc.OSMalloc_Tagfree(tag); // BUG: MEM-5
        OSMalloc.OSFree(cache, CACHE, tag);
        return KernReturn.KERN_SUCCESS;
    }
}
