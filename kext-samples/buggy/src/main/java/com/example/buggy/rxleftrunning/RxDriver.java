package com.example.buggy.rxleftrunning;

import static org.kextkit.kit.iokit.IOLib.IOLog;

import org.kextkit.family.pci.IOPCIDevice;
import org.kextkit.kit.iokit.IOBufferMemoryDescriptor;
import org.kextkit.kit.iokit.IOMemoryDescriptor;
import org.kextkit.kit.iokit.IOMemoryMap;
import org.kextkit.kit.iokit.IOPMPowerState;
import org.kextkit.kit.iokit.IOService;

/**
 * Gives the NIC a receive descriptor ring and enables reception. stop releases the ring but never
 * turns reception off nor bus mastering: the NIC may still write received frames into the freed ring.
 */
public class RxDriver extends IOService {
    static final int CTRL = 0x00;
    static final int RX_BASE_LO = 0x40;
    static final int RX_BASE_HI = 0x44;
    static final int RX_SIZE = 0x48;
    static final int RX_TAIL = 0x50;
    static final int CTRL_RX_ENABLE = 0x1;
    static final int RING_ENTRIES = 64;
    static final int DESCRIPTOR_SIZE = 16;
    private static final IOPMPowerState[] POWER_STATES = {
        new IOPMPowerState(IOPMPowerState.kIOPMPowerStateVersion1, 0, 0, 0),
        new IOPMPowerState(IOPMPowerState.kIOPMPowerStateVersion1,
                IOPMPowerState.kIOPMPowerOn | IOPMPowerState.kIOPMDeviceUsable, IOPMPowerState.kIOPMPowerOn,
                IOPMPowerState.kIOPMPowerOn),
    };

    private IOPCIDevice pci;
    private IOMemoryMap registers;
    private IOBufferMemoryDescriptor rxRing;
    private long rxRingPhysical;

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
        rxRing = IOBufferMemoryDescriptor.withOptions(IOMemoryDescriptor.kIODirectionInOut // BUG: DMA-LIVE
                | IOBufferMemoryDescriptor.kIOMemoryPhysicallyContiguous, (long) RING_ENTRIES * DESCRIPTOR_SIZE, 4096);
        rxRing.prepare();
        rxRingPhysical = rxRing.getPhysicalSegment(0, null);
        pci.setBusMasterEnable(true);
        startReceiving();
        PMinit();
        pci.joinPMtree(this);
        registerPowerDriver(this, POWER_STATES, POWER_STATES.length);
        IOLog("RxLeftRunning: receiving into %d descriptors", RING_ENTRIES);
        return true;
    }

    /** Give the NIC the receive ring and enable reception (at start and after wake, which resets the NIC). */
    private void startReceiving() {
        registers.write32(RX_BASE_LO, (int) rxRingPhysical);
        registers.write32(RX_BASE_HI, (int) (rxRingPhysical >>> 32));
        registers.write32(RX_SIZE, RING_ENTRIES);
        registers.write32(RX_TAIL, RING_ENTRIES - 1);
        registers.write32(CTRL, CTRL_RX_ENABLE);
    }

    @Override
    public int setPowerState(long powerStateOrdinal, IOService whatDevice) {
        if (powerStateOrdinal == 0) {
            registers.write32(CTRL, 0);
        } else {
            startReceiving();
        }
        return kIOPMAckImplied;
    }

    @Override
    public void stop(IOService provider) {
        PMstop();
        rxRing.complete();
        rxRing.release();
        rxRing = null;
        registers.release();
        super.stop(provider);
    }
}
