package com.example.buggy.commanduseafterfree;

import static org.kextkit.kit.iokit.IOLib.*;
import static org.kextkit.kit.libkern.Locks.*;

import org.kextkit.kit.libkern.*;

/** Completes a command, frees its buffer, then writes the completion status into it. */
public final class Module implements KextModule {
    static final int COMMAND_BYTES = 64;
    static final int STATUS = 8;

    @Override
    public int start(KmodInfo kmodInfo, Object data) {
        KernelBuffer command = IOMallocZero(COMMAND_BYTES);
        command.write32(0, 0x11);
        complete(command, 0);
        return KernReturn.KERN_SUCCESS;
    }

    void complete(KernelBuffer command, int status) {
        IOFree(command, COMMAND_BYTES);
        command.write32(STATUS, status); // BUG: MEM-UAF
    }

    @Override
    public int stop(KmodInfo kmodInfo, Object data) {
        return KernReturn.KERN_SUCCESS;
    }
}
