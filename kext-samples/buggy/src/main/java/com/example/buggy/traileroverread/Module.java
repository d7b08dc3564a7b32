package com.example.buggy.traileroverread;

import static org.kextkit.kit.iokit.IOLib.*;
import static org.kextkit.kit.libkern.Locks.*;

import org.kextkit.kit.libkern.*;

/** Checks a frame's trailer, reading the 4-byte CRC at the frame length instead of 4 bytes before it. */
public final class Module implements KextModule {
    static final int FRAME = 64;

    @Override
    public int start(KmodInfo kmodInfo, Object data) {
        KernelBuffer frame = IOMallocZero(FRAME);
        int crc = trailerCrc(frame, FRAME);
        IOLog("TrailerOverread: crc %08x", crc);
        IOFree(frame, FRAME);
        return KernReturn.KERN_SUCCESS;
    }

    static int trailerCrc(KernelBuffer frame, int length) {
        return frame.read32(length); // BUG: MEM-OOB
    }

    @Override
    public int stop(KmodInfo kmodInfo, Object data) {
        return KernReturn.KERN_SUCCESS;
    }
}
