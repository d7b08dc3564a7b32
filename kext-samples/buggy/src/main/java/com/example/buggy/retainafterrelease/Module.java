package com.example.buggy.retainafterrelease;

import static org.kextkit.kit.iokit.IOLib.*;

import org.kextkit.kit.libkern.*;

/**
 * Keeps the last completed command for diagnostics, but retains it only after the completion has
 * released it: the object is already freed, and the kernel panics.
 */
public final class Module implements KextModule {
    static final int OP_IDENTIFY = 2;
    private Command lastCompleted;

    @Override
    public int start(KmodInfo kmodInfo, Object data) {
        Command identify = new Command(OP_IDENTIFY);
        complete(identify, 0);
        return KernReturn.KERN_SUCCESS;
    }

    /** Record the status, drop the submitter's reference, then remember the command. */
    void complete(Command command, int status) {
        command.status = status;
        command.release();
        command.retain(); // BUG: OBJ-2
        lastCompleted = command;
    }

    @Override
    public int stop(KmodInfo kmodInfo, Object data) {
        if (lastCompleted != null) {
            lastCompleted.release();
            lastCompleted = null;
        }
        return KernReturn.KERN_SUCCESS;
    }
}
