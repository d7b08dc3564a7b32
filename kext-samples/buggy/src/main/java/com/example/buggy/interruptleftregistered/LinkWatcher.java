package com.example.buggy.interruptleftregistered;

import static org.kextkit.kit.iokit.IOLib.IOLog;

import org.kextkit.family.pci.IOPCIDevice;
import org.kextkit.kit.iokit.IOInterruptEventSource;
import org.kextkit.kit.iokit.IOMemoryMap;
import org.kextkit.kit.iokit.IOReturn;
import org.kextkit.kit.iokit.IOService;
import org.kextkit.kit.iokit.IOWorkLoop;
import org.kextkit.kit.libkern.SInt32;

/**
 * Logs the NIC's link changes once a client turns link events on. The interrupt source is made at
 * start (which registers its handler with the nub) but goes on the work loop only when link events
 * are turned on; stop tears it down only in that case, so when they never were, the handler is still
 * registered after the driver has stopped.
 */
public class LinkWatcher extends IOService {
    static final int INT_STATUS = 0x08;
    static final int INT_MASK = 0x0C;
    static final int INT_LINK = 0x4;

    private IOPCIDevice pci;
    private IOMemoryMap registers;
    private IOWorkLoop workLoop;
    private IOInterruptEventSource interruptSource;
    private boolean linkEvents;

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
        workLoop = IOWorkLoop.workLoop();
        int index = msiIndex();
        interruptSource = IOInterruptEventSource.interruptEventSource(this, (o, s, n) -> linkChanged(), pci, index); // BUG: WL-LIVE
        return interruptSource != null;
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

    /** Turn link events on: put the source on the work loop and unmask the link interrupt. */
    public int enableLinkEvents() {
        if (!linkEvents) {
            workLoop.addEventSource(interruptSource);
            interruptSource.enable();
            registers.write32(INT_MASK, INT_LINK);
            linkEvents = true;
        }
        return IOReturn.kIOReturnSuccess;
    }

    private void linkChanged() {
        registers.write32(INT_STATUS, INT_LINK);
        IOLog("InterruptLeftRegistered: link changed");
    }

    @Override
    public void stop(IOService provider) {
        if (linkEvents) {
            registers.write32(INT_MASK, 0);
            interruptSource.disable();
            workLoop.removeEventSource(interruptSource);
            interruptSource.release();
        }
        interruptSource = null; // "never on the work loop, nothing to undo"
        workLoop.release();
        registers.release();
        pci.setBusMasterEnable(false);
        super.stop(provider);
    }
}
