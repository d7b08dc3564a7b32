package com.example.buggy.sleepoutsidegate;

import static org.kextkit.kit.iokit.IOLib.*;

import org.kextkit.kit.iokit.IOCommandGate;
import org.kextkit.kit.iokit.IOLocks;
import org.kextkit.kit.iokit.IOWorkLoop;
import org.kextkit.kit.libkern.*;

/**
 * Waits for its firmware with {@code commandSleep}, but calls the wait from {@code start} directly
 * instead of from inside {@code runAction}: the gate is not held, and the kernel panics.
 */
public final class Module implements KextModule {
    private IOWorkLoop workLoop;
    private IOCommandGate gate;
    private boolean firmwareReady;

    @Override
    public int start(KmodInfo kmodInfo, Object data) {
        workLoop = IOWorkLoop.workLoop();
        gate = IOCommandGate.commandGate(null); // a kmod has no service to own the gate
        workLoop.addEventSource(gate);
        waitForFirmware();
        IOLog("SleepOutsideGate: firmware ready");
        return KernReturn.KERN_SUCCESS;
    }

    /** Meant to run with the gate held (from an action); sleeps until the loader sets firmwareReady. */
    void waitForFirmware() {
        while (!firmwareReady) {
            gate.commandSleep(gate, IOLocks.THREAD_UNINT); // BUG: WL-4
        }
    }

    @Override
    public int stop(KmodInfo kmodInfo, Object data) {
        workLoop.removeEventSource(gate);
        gate.release();
        workLoop.release();
        return KernReturn.KERN_SUCCESS;
    }
}
