package org.kextkit.kit.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.kextkit.kit.libkern.KernelBuffer;

/**
 * A pointer into a {@link SimulatedHeap} block: every access is checked against the block's bounds
 * and life before it touches the bytes.
 */
final class SimulatedBuffer extends KernelBuffer {
    private static final VarHandle I16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle I32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle I64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    final HeapBlock block;
    /** Distance from the block's first byte; non-zero for an interior pointer. */
    final long offset;

    SimulatedBuffer(HeapBlock block, long offset) {
        this.block = block;
        this.offset = offset;
    }

    @Override
    public long address() {
        return block.address + offset;
    }

    @Override
    public long size() {
        return Math.max(0, block.size - offset);
    }

    @Override
    public KernelBuffer at(long delta) {
        return new SimulatedBuffer(block, offset + delta);
    }

    /** Return the array index of an access, or -1 after reporting a fault. */
    private int index(long at, long length, boolean write) {
        long i = offset + at;
        if (block.freed || i < 0 || i > block.size - length || length < 0) {
            block.heap.accessFault(block, i, length, write);
            return -1;
        }
        return (int) i;
    }

    @Override
    public byte read8(long at) {
        int i = index(at, 1, false);
        return i < 0 ? 0 : block.data[i];
    }

    @Override
    public short read16(long at) {
        int i = index(at, 2, false);
        return i < 0 ? 0 : (short) I16.get(block.data, i);
    }

    @Override
    public int read32(long at) {
        int i = index(at, 4, false);
        return i < 0 ? 0 : (int) I32.get(block.data, i);
    }

    @Override
    public long read64(long at) {
        int i = index(at, 8, false);
        return i < 0 ? 0 : (long) I64.get(block.data, i);
    }

    @Override
    public void write8(long at, byte value) {
        int i = index(at, 1, true);
        if (i >= 0) {
            block.data[i] = value;
        }
    }

    @Override
    public void write16(long at, short value) {
        int i = index(at, 2, true);
        if (i >= 0) {
            I16.set(block.data, i, value);
        }
    }

    @Override
    public void write32(long at, int value) {
        int i = index(at, 4, true);
        if (i >= 0) {
            I32.set(block.data, i, value);
        }
    }

    @Override
    public void write64(long at, long value) {
        int i = index(at, 8, true);
        if (i >= 0) {
            I64.set(block.data, i, value);
        }
    }

    @Override
    public void readBytes(long at, byte[] target, int targetOffset, int length) {
        int i = index(at, length, false);
        if (i >= 0) {
            System.arraycopy(block.data, i, target, targetOffset, length);
        }
    }

    @Override
    public void writeBytes(long at, byte[] source, int sourceOffset, int length) {
        int i = index(at, length, true);
        if (i >= 0) {
            System.arraycopy(source, sourceOffset, block.data, i, length);
        }
    }

    @Override
    public void fill(long at, long length, byte value) {
        int i = index(at, length, true);
        if (i >= 0) {
            Arrays.fill(block.data, i, i + (int) length, value);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SimulatedBuffer
                && ((SimulatedBuffer) other).block == block
                && ((SimulatedBuffer) other).offset == offset;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(address());
    }

    @Override
    public String toString() {
        return String.format("0x%x", address());
    }
}
