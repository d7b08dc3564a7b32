package org.kextkit.kit.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Reach a range of physical memory through a memory map ({@code IODeviceMemory::withRange} over RAM):
 * every access is a physical copy through the heap, which reports addresses outside live wired
 * memory. Slower than a family's registers; device registers never come this way.
 */
public final class PhysicalRegisters implements DeviceRegisters {
    private final KernelHeap heap;
    private final long physicalStart;

    /** Map physical memory starting at {@code physicalStart}. */
    public PhysicalRegisters(KernelHeap heap, long physicalStart) {
        this.heap = heap;
        this.physicalStart = physicalStart;
    }

    private ByteBuffer read(long offset, int size) {
        byte[] bytes = new byte[size];
        heap.readPhysical(physicalStart + offset, bytes, 0, size);
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    private void write(long offset, ByteBuffer value) {
        heap.writePhysical(physicalStart + offset, value.array(), 0, value.capacity());
    }

    private static ByteBuffer bytes(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public byte read8(long offset) {
        return read(offset, 1).get(0);
    }

    @Override
    public short read16(long offset) {
        return read(offset, 2).getShort(0);
    }

    @Override
    public int read32(long offset) {
        return read(offset, 4).getInt(0);
    }

    @Override
    public long read64(long offset) {
        return read(offset, 8).getLong(0);
    }

    @Override
    public void write8(long offset, byte value) {
        write(offset, bytes(1).put(0, value));
    }

    @Override
    public void write16(long offset, short value) {
        write(offset, bytes(2).putShort(0, value));
    }

    @Override
    public void write32(long offset, int value) {
        write(offset, bytes(4).putInt(0, value));
    }

    @Override
    public void write64(long offset, long value) {
        write(offset, bytes(8).putLong(0, value));
    }
}
