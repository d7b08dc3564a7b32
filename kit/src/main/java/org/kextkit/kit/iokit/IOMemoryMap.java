package org.kextkit.kit.iokit;

import org.kextkit.kit.libkern.OSObject;

/**
 * A mapping of memory into the kernel's address space ({@code IOMemoryMap}): register reads and
 * writes on a mapped {@link IODeviceMemory} reach the device. Placeholder signature.
 */
public class IOMemoryMap extends OSObject {
    /** Only memory descriptors create maps. */
    protected IOMemoryMap() {
    }
}
