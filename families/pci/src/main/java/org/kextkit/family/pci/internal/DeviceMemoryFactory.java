package org.kextkit.family.pci.internal;

import org.kextkit.kit.internal.DeviceRegisters;
import org.kextkit.kit.iokit.IODeviceMemory;

/**
 * Make the {@link IODeviceMemory} of a BAR: the one place the family creates device memory, so the
 * kit's own factory (a range of physical addresses whose maps read and write a
 * {@link DeviceRegisters}) is called from here alone.
 *
 * <p>Until the kit's memory descriptors provide that factory, the range is a small subclass that
 * carries the address, the length and the registers; {@link #registers} finds them again.
 */
public final class DeviceMemoryFactory {
    private DeviceMemoryFactory() {
    }

    /** Return device memory of {@code length} bytes at {@code physicalAddress} whose accesses reach {@code registers}. */
    public static IODeviceMemory create(long physicalAddress, long length, DeviceRegisters registers) {
        return new RegisterRange(physicalAddress, length, registers);
    }

    /** Return the registers behind device memory made here, or {@code null} for any other range. */
    public static DeviceRegisters registers(IODeviceMemory memory) {
        return memory instanceof RegisterRange ? ((RegisterRange) memory).registers : null;
    }

    /** Return the physical address of device memory made here, or -1 for any other range. */
    public static long physicalAddress(IODeviceMemory memory) {
        return memory instanceof RegisterRange ? ((RegisterRange) memory).physicalAddress : -1;
    }

    /** Return the length of device memory made here, or -1 for any other range. */
    public static long length(IODeviceMemory memory) {
        return memory instanceof RegisterRange ? ((RegisterRange) memory).length : -1;
    }

    private static final class RegisterRange extends IODeviceMemory {
        private final long physicalAddress;
        private final long length;
        private final DeviceRegisters registers;

        RegisterRange(long physicalAddress, long length, DeviceRegisters registers) {
            this.physicalAddress = physicalAddress;
            this.length = length;
            this.registers = registers;
        }
    }
}
