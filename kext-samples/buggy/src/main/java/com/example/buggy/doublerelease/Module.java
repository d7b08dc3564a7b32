package com.example.buggy.doublerelease;

import static org.kextkit.kit.iokit.IOLib.*;

import org.kextkit.kit.libkern.*;

/**
 * Submits a reset command whose completion consumes the caller's reference, then releases the
 * command again: the second release is one too many, and the kernel panics.
 */
public final class Module implements KextModule {
    static final int OP_RESET = 1;
    private int resets;

    @Override
    public int start(KmodInfo kmodInfo, Object data) {
        Command reset = new Command(OP_RESET);
        submit(reset);
        IOLog("DoubleRelease: engine reset (%d so far)", resets);
        reset.release(); // BUG: OBJ-1
        return KernReturn.KERN_SUCCESS;
    }

    /** Run the command and complete it; the completion releases it (the submitter's reference). */
    void submit(Command command) {
        resets++;
        command.status = 0;
        command.release();
    }

    @Override
    public int stop(KmodInfo kmodInfo, Object data) {
        return KernReturn.KERN_SUCCESS;
    }
}
