package org.kextkit.pci.testing;

import java.util.Map;
import java.util.TreeMap;
import org.kextkit.kit.internal.KernelHeap;
import org.kextkit.kit.libkern.KernelBuffer;

/** A heap of wired buffers with physical addresses, enough for device DMA in family tests. */
public final class TestHeap implements KernelHeap {
    private final TreeMap<Long, Buffer> byPhysical = new TreeMap<>();
    private long nextPhysical = 0x1000_0000L;

    /** A wired buffer whose virtual and physical addresses are the same. */
    public static final class Buffer extends KernelBuffer {
        private final long address;
        private final byte[] bytes;
        private final long base;

        Buffer(long address, byte[] bytes, long base) {
            this.address = address;
            this.bytes = bytes;
            this.base = base;
        }

        private int at(long offset, int width) {
            long index = base + offset;
            if (offset < 0 || index + width > bytes.length) {
                throw new IndexOutOfBoundsException("access of " + width + " bytes at offset " + offset + " is outside the buffer");
            }
            return (int) index;
        }

        @Override
        public long address() {
            return address + base;
        }

        @Override
        public long size() {
            return bytes.length - base;
        }

        @Override
        public KernelBuffer at(long offset) {
            return new Buffer(address, bytes, base + offset);
        }

        @Override
        public byte read8(long offset) {
            return bytes[at(offset, 1)];
        }

        @Override
        public short read16(long offset) {
            int i = at(offset, 2);
            return (short) ((bytes[i] & 0xFF) | (bytes[i + 1] & 0xFF) << 8);
        }

        @Override
        public int read32(long offset) {
            int i = at(offset, 4);
            return (bytes[i] & 0xFF) | (bytes[i + 1] & 0xFF) << 8 | (bytes[i + 2] & 0xFF) << 16 | (bytes[i + 3] & 0xFF) << 24;
        }

        @Override
        public long read64(long offset) {
            return (read32(offset) & 0xFFFF_FFFFL) | ((long) read32(offset + 4)) << 32;
        }

        @Override
        public void write8(long offset, byte value) {
            bytes[at(offset, 1)] = value;
        }

        @Override
        public void write16(long offset, short value) {
            int i = at(offset, 2);
            bytes[i] = (byte) value;
            bytes[i + 1] = (byte) (value >>> 8);
        }

        @Override
        public void write32(long offset, int value) {
            int i = at(offset, 4);
            for (int b = 0; b < 4; b++) {
                bytes[i + b] = (byte) (value >>> (8 * b));
            }
        }

        @Override
        public void write64(long offset, long value) {
            write32(offset, (int) value);
            write32(offset + 4, (int) (value >>> 32));
        }

        @Override
        public void readBytes(long offset, byte[] target, int targetOffset, int length) {
            System.arraycopy(bytes, at(offset, length), target, targetOffset, length);
        }

        @Override
        public void writeBytes(long offset, byte[] source, int sourceOffset, int length) {
            System.arraycopy(source, sourceOffset, bytes, at(offset, length), length);
        }

        @Override
        public void fill(long offset, long length, byte value) {
            int i = at(offset, (int) length);
            java.util.Arrays.fill(bytes, i, i + (int) length, value);
        }
    }

    /** Allocate a wired, zeroed buffer of {@code size} bytes. */
    public Buffer allocate(int size) {
        return (Buffer) allocate(Allocator.IOMALLOC_CONTIGUOUS, size, 4096, null, null);
    }

    @Override
    public synchronized KernelBuffer allocate(Allocator allocator, long size, long alignment, Object tag, Class<?> caller) {
        long address = (nextPhysical + 4095) & ~4095L;
        nextPhysical = address + Math.max(size, 1);
        Buffer buffer = new Buffer(address, new byte[(int) size], 0);
        byPhysical.put(address, buffer);
        return buffer;
    }

    @Override
    public synchronized void free(Allocator allocator, KernelBuffer buffer, long size, Object tag, Class<?> caller) {
        byPhysical.remove(buffer.address());
    }

    @Override
    public long physicalAddress(KernelBuffer buffer, long offset) {
        return buffer.address() + offset;
    }

    private synchronized Buffer find(long physicalAddress, int length) {
        Map.Entry<Long, Buffer> entry = byPhysical.floorEntry(physicalAddress);
        if (entry == null || physicalAddress + length > entry.getKey() + entry.getValue().size()) {
            throw new IllegalArgumentException(String.format("physical range 0x%x+%d is not in wired kernel memory",
                    physicalAddress, length));
        }
        return entry.getValue();
    }

    @Override
    public void readPhysical(long physicalAddress, byte[] target, int targetOffset, int length) {
        Buffer buffer = find(physicalAddress, length);
        buffer.readBytes(physicalAddress - buffer.address(), target, targetOffset, length);
    }

    @Override
    public void writePhysical(long physicalAddress, byte[] source, int sourceOffset, int length) {
        Buffer buffer = find(physicalAddress, length);
        buffer.writeBytes(physicalAddress - buffer.address(), source, sourceOffset, length);
    }

    @Override
    public synchronized int liveAllocationCount() {
        return byPhysical.size();
    }
}
