package com.example.buggy.reservedprefix;

import static org.kextkit.kit.iokit.IOLib.*;
import static org.kextkit.kit.libkern.Locks.*;

import org.kextkit.kit.libkern.*;

/** Starts a thermal monitor whose class is named like one of Apple's. */
public final class Module implements KextModule {
    private IOThermalMonitor monitor;

    @Override
    public int start(KmodInfo kmodInfo, Object data) {
        monitor = new IOThermalMonitor();
        monitor.sample(42);
        return KernReturn.KERN_SUCCESS;
    }

    @Override
    public int stop(KmodInfo kmodInfo, Object data) {
        IOLog("ReservedPrefix: %d samples", monitor.samples);
        monitor = null;
        return KernReturn.KERN_SUCCESS;
    }
}
