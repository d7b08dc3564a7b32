package com.example.buggy.headersizefree;

import static org.kextkit.kit.iokit.IOLib.*;
import static org.kextkit.kit.libkern.Locks.*;

import org.kextkit.kit.libkern.*;

/** Allocates a message with a header in front of the payload, and frees it with the payload length. */
public final class Module implements KextModule {
    static final int HEADER = 16;

    @Override
    public int start(KmodInfo kmodInfo, Object data) {
        sendMessage(48);
        return KernReturn.KERN_SUCCESS;
    }

    void sendMessage(int payloadLength) {
        KernelBuffer message = IOMalloc(HEADER + payloadLength);
        message.write32(0, payloadLength);
        message.fill(HEADER, payloadLength, (byte) 0x5a);
        IOFree(message, payloadLength); // BUG: MEM-2
    }

    @Override
    public int stop(KmodInfo kmodInfo, Object data) {
        return KernReturn.KERN_SUCCESS;
    }
}
