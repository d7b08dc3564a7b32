package com.example.buggy.sharedirqlock;

import static org.kextkit.kit.iokit.IOLib.IOLog;
import static org.kextkit.kit.iokit.IOLocks.*;

import org.kextkit.family.pci.IOPCIDevice;
import org.kextkit.kit.iokit.IOFilterInterruptEventSource;
import org.kextkit.kit.iokit.IOMemoryMap;
import org.kextkit.kit.iokit.IOReturn;
import org.kextkit.kit.iokit.IOService;
import org.kextkit.kit.iokit.IOSimpleLock;
import org.kextkit.kit.iokit.IOWorkLoop;
import org.kextkit.kit.libkern.SInt32;

/**
 * Keeps the NIC's link state under a spin lock that the filter routine also takes. start reads the
 * initial state under the lock with interrupts enabled: a link interrupt arriving then would spin on
 * the lock its own CPU holds.
 */
public class LinkState extends IOService {
    static final int STATUS = 0x04;
    static final int INT_STATUS = 0x08;
    static final int INT_MASK = 0x0C;
    static final int STATUS_LINK_UP = 0x1;
    static final int INT_LINK = 0x4;

    private IOPCIDevice pci;
    private IOMemoryMap registers;
    private IOWorkLoop workLoop;
    private IOFilterInterruptEventSource interruptSource;
    private IOSimpleLock linkLock;
    private boolean linkUp;
    private int linkChanges;

    @Override
    public boolean start(IOService provider) {
        if (!super.start(provider) || !(provider instanceof IOPCIDevice device)) {
            return false;
        }
        pci = device;
        pci.setMemoryEnable(true);
        pci.setBusMasterEnable(true); // MSIs are bus-master writes
        registers = pci.mapDeviceMemoryWithRegister(IOPCIDevice.kIOPCIConfigBaseAddress0);
        if (registers == null) {
            return false;
        }
        linkLock = IOSimpleLockAlloc();
        workLoop = IOWorkLoop.workLoop();
        interruptSource = IOFilterInterruptEventSource.filterInterruptEventSource(this,
                (owner, sender, count) -> acknowledge(), (owner, sender) -> linkInterrupt(), pci, msiIndex());
        workLoop.addEventSource(interruptSource);
        interruptSource.enable();
        registers.write32(INT_MASK, INT_LINK);
        IOSimpleLockLock(linkLock); // BUG: LCK-IRQ
        linkUp = (registers.read32(STATUS) & STATUS_LINK_UP) != 0;
        IOSimpleLockUnlock(linkLock);
        return true;
    }

    private int msiIndex() {
        SInt32 type = new SInt32(0);
        for (int index = 0; pci.getInterruptType(index, type) == IOReturn.kIOReturnSuccess; index++) {
            if ((type.value & IOPCIDevice.kIOInterruptTypePCIMessaged) != 0) {
                return index;
            }
        }
        return 0;
    }

    /** The filter, at primary interrupt level: record the new link state under the lock. */
    private boolean linkInterrupt() {
        if ((registers.read32(INT_STATUS) & INT_LINK) == 0) {
            return false;
        }
        IOSimpleLockLock(linkLock);
        linkUp = (registers.read32(STATUS) & STATUS_LINK_UP) != 0;
        linkChanges++;
        IOSimpleLockUnlock(linkLock);
        return true;
    }

    /** On the work loop: acknowledge the cause. */
    private void acknowledge() {
        registers.write32(INT_STATUS, INT_LINK);
        IOLog("SharedIrqLock: link changed (%d changes)", linkChanges);
    }

    @Override
    public void stop(IOService provider) {
        registers.write32(INT_MASK, 0);
        interruptSource.disable();
        workLoop.removeEventSource(interruptSource);
        interruptSource.release();
        workLoop.release();
        IOSimpleLockFree(linkLock);
        registers.release();
        pci.setBusMasterEnable(false);
        super.stop(provider);
    }
}
