package org.kextkit.kit.internal;

/**
 * The device side of a memory-mapped or I/O-port register range: what an {@code IOMemoryMap} of
 * {@code IODeviceMemory} reads and writes. A family implements it over its simulated hardware
 * (a PCI BAR routes to the device model's register handlers). Offsets are relative to the range.
 * Implementations must be fast: drivers make millions of register accesses per second.
 */
public interface DeviceRegisters {
    /** Read 8 bits at {@code offset}. */
    byte read8(long offset);

    /** Read 16 bits at {@code offset}. */
    short read16(long offset);

    /** Read 32 bits at {@code offset}. */
    int read32(long offset);

    /** Read 64 bits at {@code offset}. */
    long read64(long offset);

    /** Write 8 bits at {@code offset}. */
    void write8(long offset, byte value);

    /** Write 16 bits at {@code offset}. */
    void write16(long offset, short value);

    /** Write 32 bits at {@code offset}. */
    void write32(long offset, int value);

    /** Write 64 bits at {@code offset}. */
    void write64(long offset, long value);
}
