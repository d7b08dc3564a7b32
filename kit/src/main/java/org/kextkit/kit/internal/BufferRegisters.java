package org.kextkit.kit.internal;

import org.kextkit.kit.libkern.KernelBuffer;

/** Reach kernel memory through a memory map, with the buffer's own bounds and life checks. */
public final class BufferRegisters implements DeviceRegisters {
    private final KernelBuffer buffer;

    /** Map the bytes of {@code buffer}. */
    public BufferRegisters(KernelBuffer buffer) {
        this.buffer = buffer;
    }

    @Override
    public byte read8(long offset) {
        return buffer.read8(offset);
    }

    @Override
    public short read16(long offset) {
        return buffer.read16(offset);
    }

    @Override
    public int read32(long offset) {
        return buffer.read32(offset);
    }

    @Override
    public long read64(long offset) {
        return buffer.read64(offset);
    }

    @Override
    public void write8(long offset, byte value) {
        buffer.write8(offset, value);
    }

    @Override
    public void write16(long offset, short value) {
        buffer.write16(offset, value);
    }

    @Override
    public void write32(long offset, int value) {
        buffer.write32(offset, value);
    }

    @Override
    public void write64(long offset, long value) {
        buffer.write64(offset, value);
    }
}
