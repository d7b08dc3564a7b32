package com.example.buggy.interiorfree;

import static org.kextkit.kit.iokit.IOLib.*;
import static org.kextkit.kit.libkern.Locks.*;

import org.kextkit.kit.libkern.*;

/** Frees a packet by its payload pointer, which points past the header inside the block it came from. */
public final class Module implements KextModule {
    static final int HEADER = 32;
    static final int PAYLOAD = 96;

    @Override
    public int start(KmodInfo kmodInfo, Object data) {
        KernelBuffer packet = IOMalloc(HEADER + PAYLOAD);
        KernelBuffer payload = payloadOf(packet);
        payload.fill(0, PAYLOAD, (byte) 1);
        IOFree(payload, PAYLOAD); // BUG: MEM-INVALID-FREE
        return KernReturn.KERN_SUCCESS;
    }

    private static KernelBuffer payloadOf(KernelBuffer packet) {
        return packet.at(HEADER);
    }

    @Override
    public int stop(KmodInfo kmodInfo, Object data) {
        return KernReturn.KERN_SUCCESS;
    }
}
