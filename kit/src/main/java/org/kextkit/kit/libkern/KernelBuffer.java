package org.kextkit.kit.libkern;

/**
 * A block of simulated kernel memory returned by {@code IOMalloc}, {@code OSMalloc} and the other
 * allocators: the Java form of the {@code void *} they return.
 *
 * <p>The bytes belong to the kernel. Reads and writes go through the accessors, which the kernel
 * checks: an access past either end or after the block was freed is a fault the kernel reports with
 * the allocation and free sites, as KASAN would, instead of silently reading stale data. Multi-byte
 * accessors are little-endian, as on x86_64 and arm64 Macs.
 */
public abstract class KernelBuffer {
    /** Only the kernel creates buffers; tests may subclass or mock. */
    protected KernelBuffer() {
    }

    /** Return the kernel virtual address of the first byte. */
    public abstract long address();

    /** Return the size in bytes this buffer was allocated with (the size to pass to the free). */
    public abstract long size();

    /** Return a pointer {@code offset} bytes into this block (an interior pointer: never free it). */
    public abstract KernelBuffer at(long offset);

    /** Read one byte. */
    public abstract byte read8(long offset);

    /** Read a little-endian 16-bit value. */
    public abstract short read16(long offset);

    /** Read a little-endian 32-bit value. */
    public abstract int read32(long offset);

    /** Read a little-endian 64-bit value. */
    public abstract long read64(long offset);

    /** Write one byte. */
    public abstract void write8(long offset, byte value);

    /** Write a little-endian 16-bit value. */
    public abstract void write16(long offset, short value);

    /** Write a little-endian 32-bit value. */
    public abstract void write32(long offset, int value);

    /** Write a little-endian 64-bit value. */
    public abstract void write64(long offset, long value);

    /** Copy {@code length} bytes starting at {@code offset} into {@code target} ({@code bcopy} out). */
    public abstract void readBytes(long offset, byte[] target, int targetOffset, int length);

    /** Copy {@code length} bytes from {@code source} to {@code offset} ({@code bcopy} in). */
    public abstract void writeBytes(long offset, byte[] source, int sourceOffset, int length);

    /** Set {@code length} bytes from {@code offset} to {@code value} ({@code memset}). */
    public abstract void fill(long offset, long length, byte value);
}
