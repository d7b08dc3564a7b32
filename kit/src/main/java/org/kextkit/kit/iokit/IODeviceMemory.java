package org.kextkit.kit.iokit;

import org.kextkit.kit.internal.CallSites;
import org.kextkit.kit.internal.CallerKernel;
import org.kextkit.kit.internal.DeviceRegisters;
import org.kextkit.kit.internal.KernelHeap;
import org.kextkit.kit.internal.PhysicalRegisters;

/**
 * A range of device memory or I/O ports a nub offers its driver ({@code IODeviceMemory}); map it with
 * {@link #map()} (or the nub's {@code mapDeviceMemoryWithIndex}) to reach the device's registers.
 *
 * <p>Families make device memory over their simulated hardware with
 * {@link #withRegisters(long, long, DeviceRegisters)}; a driver may describe part of a range with
 * {@link #withSubRange} or a physical range of RAM with {@link #withRange}. Device memory is
 * physically contiguous and needs no {@code prepare}.
 */
public class IODeviceMemory extends IOMemoryDescriptor {
    private final long physicalStart;
    private final DeviceRegisters registers;

    /** For mocks and subclasses: device memory of nothing; a subclass overrides {@link #map()}. */
    protected IODeviceMemory() {
        this(0, 0, null);
    }

    /** Describe {@code length} bytes at physical {@code start} whose accesses go to {@code registers}. */
    protected IODeviceMemory(long start, long length, DeviceRegisters registers) {
        super(null, length, kIODirectionInOut);
        this.physicalStart = start;
        this.registers = registers;
    }

    /**
     * Describe device memory backed by a family's register model: what a nub offers for a PCI BAR.
     * Kexts cannot call this (they cannot name {@code DeviceRegisters}).
     */
    public static IODeviceMemory withRegisters(long start, long length, DeviceRegisters registers) {
        return new IODeviceMemory(start, length, registers);
    }

    /**
     * Describe {@code length} bytes of physical memory at {@code start} ({@code withRange}); a map of
     * it reaches the kernel's RAM at those physical addresses.
     */
    public static IODeviceMemory withRange(long start, long length) {
        KernelHeap heap = CallerKernel.servicesOf(CallSites.callerClass()).heap();
        return new IODeviceMemory(start, length, new PhysicalRegisters(heap, start));
    }

    /** Describe {@code length} bytes from {@code offset} into {@code of} ({@code withSubRange}); null if outside it. */
    public static IODeviceMemory withSubRange(IODeviceMemory of, long offset, long length) {
        if (of == null || offset < 0 || length <= 0 || offset + length > of.getLength()) {
            return null;
        }
        DeviceRegisters parent = of.registers;
        DeviceRegisters shifted = parent == null ? null : new OffsetRegisters(parent, offset);
        return new IODeviceMemory(of.physicalStart + offset, length, shifted);
    }

    /**
     * Return the registers behind this range, or {@code null} for a range made by a subclass; for
     * families (kexts cannot name {@code DeviceRegisters}).
     */
    public final DeviceRegisters deviceRegisters() {
        return registers;
    }

    /** Return the physical address of the first byte ({@code getPhysicalAddress}). */
    public long getPhysicalAddress() {
        return physicalStart;
    }

    @Override
    public long getPhysicalSegment(long offset, long[] segmentLength) {
        boolean inside = offset >= 0 && offset < length;
        if (segmentLength != null && segmentLength.length > 0) {
            segmentLength[0] = inside ? length - offset : 0;
        }
        return inside ? physicalStart + offset : 0;
    }

    @Override
    public long readBytes(long offset, byte[] bytes, int bytesOffset, int count) {
        int n = clamp(offset, count);
        for (int i = 0; i < n && registers != null; i++) {
            bytes[bytesOffset + i] = registers.read8(offset + i);
        }
        return registers == null ? 0 : n;
    }

    @Override
    public long writeBytes(long offset, byte[] bytes, int bytesOffset, int count) {
        int n = clamp(offset, count);
        for (int i = 0; i < n && registers != null; i++) {
            registers.write8(offset + i, bytes[bytesOffset + i]);
        }
        return registers == null ? 0 : n;
    }

    /** Map the range; register reads and writes on the map reach the device ({@code map}). */
    @Override
    public IOMemoryMap map(int options) {
        return new IOMemoryMap(this, registers, heap().reserveVirtualRange(length), physicalStart, length);
    }

    /** The registers of a sub-range: the parent's, shifted. */
    private static final class OffsetRegisters implements DeviceRegisters {
        private final DeviceRegisters parent;
        private final long base;

        OffsetRegisters(DeviceRegisters parent, long base) {
            this.parent = parent;
            this.base = base;
        }

        @Override
        public byte read8(long offset) {
            return parent.read8(base + offset);
        }

        @Override
        public short read16(long offset) {
            return parent.read16(base + offset);
        }

        @Override
        public int read32(long offset) {
            return parent.read32(base + offset);
        }

        @Override
        public long read64(long offset) {
            return parent.read64(base + offset);
        }

        @Override
        public void write8(long offset, byte value) {
            parent.write8(base + offset, value);
        }

        @Override
        public void write16(long offset, short value) {
            parent.write16(base + offset, value);
        }

        @Override
        public void write32(long offset, int value) {
            parent.write32(base + offset, value);
        }

        @Override
        public void write64(long offset, long value) {
            parent.write64(base + offset, value);
        }
    }
}
