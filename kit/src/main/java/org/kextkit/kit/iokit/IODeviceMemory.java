package org.kextkit.kit.iokit;

import org.kextkit.kit.libkern.OSObject;

/**
 * A range of device memory or I/O ports a nub offers its driver ({@code IODeviceMemory}); map it
 * with {@link #map()} to reach the device's registers. Placeholder signature.
 */
public class IODeviceMemory extends OSObject {
    /** Only nubs create device memory. */
    protected IODeviceMemory() {
    }

    /** Map this range into the kernel's address space; register accesses on the map reach the device. */
    public IOMemoryMap map() {
        throw new UnsupportedOperationException("IODeviceMemory.map lands with the memory descriptors");
    }
}
