package com.example.buggy.descriptorleftprepared;

import static org.kextkit.kit.iokit.IOLib.*;

import org.kextkit.kit.iokit.IOBufferMemoryDescriptor;
import org.kextkit.kit.iokit.IOMemoryDescriptor;
import org.kextkit.kit.libkern.*;

/**
 * Prepares a physically contiguous scratch page for the device at start; stop releases it without
 * completing the preparation, so its pages stay wired.
 */
public final class Module implements KextModule {
    static final long SCRATCH = 4096;
    private IOBufferMemoryDescriptor scratch;
    private long scratchPhysical;

    @Override
    public int start(KmodInfo kmodInfo, Object data) {
        scratch = IOBufferMemoryDescriptor.withOptions(IOMemoryDescriptor.kIODirectionInOut
                | IOBufferMemoryDescriptor.kIOMemoryPhysicallyContiguous, SCRATCH, SCRATCH);
        if (scratch == null || scratch.prepare() != org.kextkit.kit.iokit.IOReturn.kIOReturnSuccess) {
            return KernReturn.KERN_FAILURE;
        }
        scratchPhysical = scratch.getPhysicalSegment(0, null);
        IOLog("DescriptorLeftPrepared: scratch page at physical 0x%x", scratchPhysical);
        return KernReturn.KERN_SUCCESS;
    }

    @Override
    public int stop(KmodInfo kmodInfo, Object data) {
        scratch.release(); // BUG: MD-PREPARED
        scratch = null;
        return KernReturn.KERN_SUCCESS;
    }
}
