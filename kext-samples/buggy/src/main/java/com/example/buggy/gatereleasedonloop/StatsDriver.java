package com.example.buggy.gatereleasedonloop;

import static org.kextkit.kit.iokit.IOLib.IOLog;

import org.kextkit.family.pci.IOPCIDevice;
import org.kextkit.kit.iokit.IOCommandGate;
import org.kextkit.kit.iokit.IOMemoryMap;
import org.kextkit.kit.iokit.IOReturn;
import org.kextkit.kit.iokit.IOService;
import org.kextkit.kit.iokit.IOWorkLoop;

/**
 * Reads the NIC's packet counters under its command gate. stop releases the gate without taking it
 * off the work loop first, so the loop still holds it (and would run it) when the driver lets go.
 */
public class StatsDriver extends IOService {
    static final int TX_PACKETS = 0x60;
    static final int RX_PACKETS = 0x64;

    private IOPCIDevice pci;
    private IOMemoryMap registers;
    private IOWorkLoop workLoop;
    private IOCommandGate gate;
    private long packets;

    @Override
    public boolean start(IOService provider) {
        if (!super.start(provider) || !(provider instanceof IOPCIDevice device)) {
            return false;
        }
        pci = device;
        pci.setMemoryEnable(true);
        registers = pci.mapDeviceMemoryWithRegister(IOPCIDevice.kIOPCIConfigBaseAddress0);
        if (registers == null) {
            return false;
        }
        workLoop = IOWorkLoop.workLoop();
        gate = IOCommandGate.commandGate(this);
        workLoop.addEventSource(gate);
        gate.runAction((owner, a0, a1, a2, a3) -> readCounters());
        IOLog("GateReleasedOnLoop: %d packets so far", packets);
        return true;
    }

    /** With the gate held: total the packet counters. */
    private int readCounters() {
        packets = (registers.read32(TX_PACKETS) & 0xFFFF_FFFFL) + (registers.read32(RX_PACKETS) & 0xFFFF_FFFFL);
        return IOReturn.kIOReturnSuccess;
    }

    @Override
    public void stop(IOService provider) {
        gate.release(); // BUG: WL-1
        gate = null;
        workLoop.release(); // its free takes the gate off and drops the last reference
        registers.release();
        super.stop(provider);
    }
}
