package org.kextkit.kit.iokit;

import org.kextkit.kit.internal.CallSites;
import org.kextkit.kit.internal.DeviceRegisters;
import org.kextkit.kit.internal.MemoryFault;
import org.kextkit.kit.libkern.OSObject;

/**
 * A mapping of a memory descriptor into the kernel's address space ({@code IOMemoryMap}): register
 * reads and writes on a mapped {@link IODeviceMemory} reach the device, and on mapped RAM they reach
 * the bytes. Accesses are little-endian, as on Macs.
 *
 * <p>An access past the end of the map, or after {@link #unmap()}, is a kernel page fault: the kernel
 * reports it (and by default panics) instead of touching the device. Non-final so tests can mock
 * it: a mocked map is how a driver's register logic is tested without any hardware model.
 */
public class IOMemoryMap extends OSObject {
    private final IOMemoryDescriptor descriptor;
    private final DeviceRegisters backend;
    private final long virtualAddress;
    private final long physicalAddress;
    private final long length;
    // plain, not volatile: the register path must stay a field load and a compare
    private boolean mapped;

    /** For mocks and subclasses: a map of nothing, on which every access faults. */
    protected IOMemoryMap() {
        this(null, null, 0, 0, 0);
    }

    /**
     * Map {@code length} bytes of {@code descriptor} whose accesses go to {@code backend}; used by the
     * memory descriptors.
     */
    protected IOMemoryMap(IOMemoryDescriptor descriptor, DeviceRegisters backend, long virtualAddress,
                          long physicalAddress, long length) {
        this.descriptor = descriptor;
        this.backend = backend;
        this.virtualAddress = virtualAddress;
        this.physicalAddress = physicalAddress;
        this.length = length;
        this.mapped = backend != null;
    }

    /** Return the kernel virtual address of the first byte ({@code getVirtualAddress}). */
    public long getVirtualAddress() {
        return virtualAddress;
    }

    /** Return the physical address of the first byte ({@code getPhysicalAddress}). */
    public long getPhysicalAddress() {
        return physicalAddress;
    }

    /** Return the length in bytes ({@code getLength}). */
    public long getLength() {
        return length;
    }

    /** Return the descriptor this map maps ({@code getMemoryDescriptor}). */
    public IOMemoryDescriptor getMemoryDescriptor() {
        return descriptor;
    }

    /** Return true until {@link #unmap()}. */
    public boolean isMapped() {
        return mapped;
    }

    /** Read 8 bits at {@code offset}. */
    public byte read8(long offset) {
        if (!mapped || offset < 0 || offset > length - 1) {
            fault(offset, 1, false);
            return 0;
        }
        return backend.read8(offset);
    }

    /** Read 16 bits at {@code offset}. */
    public short read16(long offset) {
        if (!mapped || offset < 0 || offset > length - 2) {
            fault(offset, 2, false);
            return 0;
        }
        return backend.read16(offset);
    }

    /** Read 32 bits at {@code offset} (an {@code OSReadLittleInt32} of a register). */
    public int read32(long offset) {
        if (!mapped || offset < 0 || offset > length - 4) {
            fault(offset, 4, false);
            return 0;
        }
        return backend.read32(offset);
    }

    /** Read 64 bits at {@code offset}. */
    public long read64(long offset) {
        if (!mapped || offset < 0 || offset > length - 8) {
            fault(offset, 8, false);
            return 0;
        }
        return backend.read64(offset);
    }

    /** Write 8 bits at {@code offset}. */
    public void write8(long offset, byte value) {
        if (!mapped || offset < 0 || offset > length - 1) {
            fault(offset, 1, true);
            return;
        }
        backend.write8(offset, value);
    }

    /** Write 16 bits at {@code offset}. */
    public void write16(long offset, short value) {
        if (!mapped || offset < 0 || offset > length - 2) {
            fault(offset, 2, true);
            return;
        }
        backend.write16(offset, value);
    }

    /** Write 32 bits at {@code offset} (an {@code OSWriteLittleInt32} to a register). */
    public void write32(long offset, int value) {
        if (!mapped || offset < 0 || offset > length - 4) {
            fault(offset, 4, true);
            return;
        }
        backend.write32(offset, value);
    }

    /** Write 64 bits at {@code offset}. */
    public void write64(long offset, long value) {
        if (!mapped || offset < 0 || offset > length - 8) {
            fault(offset, 8, true);
            return;
        }
        backend.write64(offset, value);
    }

    /** Remove the mapping; later accesses fault ({@code unmap}). */
    public int unmap() {
        mapped = false;
        return IOReturn.kIOReturnSuccess;
    }

    private void fault(long offset, int size, boolean write) {
        long address = virtualAddress + offset;
        String why = !mapped ? (backend == null ? "the map has no memory behind it" : "the map was unmapped")
                : String.format("the map is 0x%x bytes long", length);
        kernelServices().heap().fault(new MemoryFault(MemoryFault.Kind.UNMAPPED_ACCESS,
                String.format("Kernel trap at 0x%x, type 14=page fault: %s of %d bytes at offset 0x%x of a memory "
                        + "map at 0x%x (%s)", address, write ? "write" : "read", size, offset, virtualAddress, why),
                address, virtualAddress, length, null, null, null, CallSites.caller()));
    }

    /** Unmap ({@code IOMemoryMap::free}). */
    @Override
    protected void free() {
        mapped = false;
        super.free();
    }
}
