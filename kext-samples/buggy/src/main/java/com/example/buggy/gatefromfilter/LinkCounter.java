package com.example.buggy.gatefromfilter;

import static org.kextkit.kit.iokit.IOLib.IOLog;

import org.kextkit.family.pci.IOPCIDevice;
import org.kextkit.kit.iokit.IOCommandGate;
import org.kextkit.kit.iokit.IOFilterInterruptEventSource;
import org.kextkit.kit.iokit.IOMemoryMap;
import org.kextkit.kit.iokit.IOReturn;
import org.kextkit.kit.iokit.IOService;
import org.kextkit.kit.iokit.IOWorkLoop;
import org.kextkit.kit.libkern.SInt32;

/**
 * Counts the NIC's link changes. The filter routine, at primary interrupt level, bumps the counter
 * through the command gate — taking the gate there may block, which is not allowed.
 */
public class LinkCounter extends IOService {
    static final int INT_STATUS = 0x08;
    static final int INT_MASK = 0x0C;
    static final int INT_LINK = 0x4;

    private IOPCIDevice pci;
    private IOMemoryMap registers;
    private IOWorkLoop workLoop;
    private IOCommandGate gate;
    private IOFilterInterruptEventSource interruptSource;
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
        workLoop = IOWorkLoop.workLoop();
        gate = IOCommandGate.commandGate(this);
        workLoop.addEventSource(gate);
        interruptSource = IOFilterInterruptEventSource.filterInterruptEventSource(this,
                (owner, sender, count) -> acknowledge(), (owner, sender) -> isLinkChange(), pci, msiIndex());
        workLoop.addEventSource(interruptSource);
        interruptSource.enable();
        registers.write32(INT_MASK, INT_LINK);
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

    /** The filter, at primary interrupt level: claim link changes and count them. */
    private boolean isLinkChange() {
        if ((registers.read32(INT_STATUS) & INT_LINK) == 0) {
            return false;
        }
        gate.runAction((owner, a0, a1, a2, a3) -> countChange()); // BUG: WL-3
        return true;
    }

    private int countChange() {
        linkChanges++;
        return IOReturn.kIOReturnSuccess;
    }

    /** On the work loop: acknowledge the cause. */
    private void acknowledge() {
        registers.write32(INT_STATUS, INT_LINK);
        IOLog("GateFromFilter: link changed (%d changes)", linkChanges);
    }

    @Override
    public void stop(IOService provider) {
        registers.write32(INT_MASK, 0);
        interruptSource.disable();
        workLoop.removeEventSource(interruptSource);
        interruptSource.release();
        workLoop.removeEventSource(gate);
        gate.release();
        workLoop.release();
        registers.release();
        pci.setBusMasterEnable(false);
        super.stop(provider);
    }
}
