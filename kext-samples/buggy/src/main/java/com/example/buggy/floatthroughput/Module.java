package com.example.buggy.floatthroughput;

import static org.kextkit.kit.iokit.IOLib.*;
import static org.kextkit.kit.libkern.Locks.*;

import org.kextkit.kit.libkern.*;

/** Logs its transfer rate as a double instead of in fixed point. */
public final class Module implements KextModule {
    private long startedAt;
    private long bytesMoved = 1 << 20;

    @Override
    public int start(KmodInfo kmodInfo, Object data) {
        startedAt = clock_get_uptime();
        return KernReturn.KERN_SUCCESS;
    }

    @Override
    public int stop(KmodInfo kmodInfo, Object data) {
        long elapsed = Math.max(1, clock_get_uptime() - startedAt);
        double megabytesPerSecond = bytesMoved / (double) elapsed * 1000.0; // BUG: API-FLOAT
        IOLog("FloatThroughput: %d MB/s", (long) megabytesPerSecond);
        return KernReturn.KERN_SUCCESS;
    }
}
