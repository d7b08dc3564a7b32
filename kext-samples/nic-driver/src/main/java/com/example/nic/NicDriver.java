package com.example.nic;

import static org.kextkit.kit.iokit.IOLib.IOLog;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kextkit.family.pci.IOPCIDevice;
import org.kextkit.kit.iokit.IOBufferMemoryDescriptor;
import org.kextkit.kit.iokit.IOCommandGate;
import org.kextkit.kit.iokit.IOInterruptEventSource;
import org.kextkit.kit.iokit.IOMemoryDescriptor;
import org.kextkit.kit.iokit.IOMemoryMap;
import org.kextkit.kit.iokit.IOPMPowerState;
import org.kextkit.kit.iokit.IOReturn;
import org.kextkit.kit.iokit.IOService;
import org.kextkit.kit.iokit.IOWorkLoop;
import org.kextkit.kit.libkern.KernelBuffer;
import org.kextkit.kit.libkern.SInt32;

/**
 * The driver of the simulated Ethernet controller ({@code nic}): transmit and receive descriptor
 * rings in DMA memory, receive, transmit and link interrupts on its own work loop, two power states
 * and an ordered stop.
 *
 * <p>Both rings and their packet buffers are physically contiguous buffer descriptors prepared for
 * DMA at start. The receive ring is kept full of empty buffers; each received frame is copied out on
 * the work loop and its buffer handed back to the NIC. {@link #send} copies a frame into the next
 * transmit buffer and rings the doorbell; transmit interrupts reclaim the descriptors. Link changes
 * are read from the STATUS register and published as {@code IOLinkStatus}, as network controllers
 * do. Register layout: {@code docs/pci-family.md}, "The NIC".
 */
public class NicDriver extends IOService {
    /** Descriptors per ring. */
    public static final int RING_ENTRIES = 16;
    /** Bytes per packet buffer; the longest frame {@link #send} accepts. */
    public static final int BUFFER_SIZE = 2048;
    /** The property holding the driver's counters. */
    public static final String STATISTICS_KEY = "NicStatistics";
    /** {@code kIONetworkLinkValid}: the link state is known. */
    public static final int kIONetworkLinkValid = 0x1;
    /** {@code kIONetworkLinkActive}: the link is up. */
    public static final int kIONetworkLinkActive = 0x2;

    // Registers (BAR 0) and bits, from the NIC's data sheet.
    private static final int CTRL = 0x00;
    private static final int STATUS = 0x04;
    private static final int INT_STATUS = 0x08;
    private static final int INT_MASK = 0x0C;
    private static final int MAC_LO = 0x10;
    private static final int MAC_HI = 0x14;
    private static final int TX_BASE_LO = 0x20;
    private static final int TX_BASE_HI = 0x24;
    private static final int TX_SIZE = 0x28;
    private static final int TX_TAIL = 0x30;
    private static final int RX_BASE_LO = 0x40;
    private static final int RX_BASE_HI = 0x44;
    private static final int RX_SIZE = 0x48;
    private static final int RX_TAIL = 0x50;
    private static final int CTRL_RX_ENABLE = 0x1;
    private static final int CTRL_TX_ENABLE = 0x2;
    private static final int CTRL_RESET = 0x4;
    private static final int STATUS_LINK_UP = 0x1;
    private static final int INT_RX = 0x1;
    private static final int INT_TX = 0x2;
    private static final int INT_LINK = 0x4;
    private static final int INT_RX_NO_BUFFER = 0x8;
    private static final int DESCRIPTOR_SIZE = 16;
    private static final int DESC_ADDRESS = 0;
    private static final int DESC_LENGTH = 8;
    private static final int DESC_FLAGS = 10;
    private static final int FLAG_DONE = 0x1;
    private static final int FLAG_ERROR = 0x2;
    private static final int ALL_ONES = 0xFFFF_FFFF;

    private static final IOPMPowerState[] POWER_STATES = {
        new IOPMPowerState(IOPMPowerState.kIOPMPowerStateVersion1, 0, 0, 0),
        new IOPMPowerState(IOPMPowerState.kIOPMPowerStateVersion1,
                IOPMPowerState.kIOPMPowerOn | IOPMPowerState.kIOPMDeviceUsable, IOPMPowerState.kIOPMPowerOn,
                IOPMPowerState.kIOPMPowerOn),
    };

    private IOPCIDevice pci;
    private IOMemoryMap registers;
    private IOWorkLoop workLoop;
    private final List<IOInterruptEventSource> interruptSources = new ArrayList<>();
    private volatile IOCommandGate gate;
    private Ring tx;
    private Ring rx;
    private byte[] macAddress;
    private boolean joinedPowerTree;

    // Touched only with the work-loop gate held.
    private boolean running;
    private boolean linkUp;
    private int txNext;
    private int txClean;
    private int txInFlight;
    private int rxNext;
    private final List<byte[]> received = new ArrayList<>();
    private long framesSent;
    private long transmitErrors;
    private long framesReceived;
    private long receiveErrors;
    private long noBufferEvents;
    private long linkChanges;
    private final List<Long> powerStateCalls = new ArrayList<>();

    /** A descriptor ring and its packet buffers, each one physically contiguous block prepared for DMA. */
    private static final class Ring {
        final IOBufferMemoryDescriptor descriptors;
        final IOBufferMemoryDescriptor buffers;
        final long descriptorsPhysical;
        final long buffersPhysical;

        private Ring(IOBufferMemoryDescriptor descriptors, IOBufferMemoryDescriptor buffers) {
            this.descriptors = descriptors;
            this.buffers = buffers;
            this.descriptorsPhysical = descriptors.getPhysicalSegment(0, null);
            this.buffersPhysical = buffers.getPhysicalSegment(0, null);
        }

        static Ring allocate(int bufferDirection) {
            int contiguous = IOBufferMemoryDescriptor.kIOMemoryPhysicallyContiguous;
            IOBufferMemoryDescriptor descriptors = IOBufferMemoryDescriptor.withOptions(
                    IOMemoryDescriptor.kIODirectionInOut | contiguous, (long) RING_ENTRIES * DESCRIPTOR_SIZE, 4096);
            IOBufferMemoryDescriptor buffers = IOBufferMemoryDescriptor.withOptions(bufferDirection | contiguous,
                    (long) RING_ENTRIES * BUFFER_SIZE, 4096);
            if (descriptors == null || buffers == null) {
                if (descriptors != null) {
                    descriptors.release();
                }
                if (buffers != null) {
                    buffers.release();
                }
                return null;
            }
            descriptors.prepare();
            buffers.prepare();
            return new Ring(descriptors, buffers);
        }

        KernelBuffer descriptor(int index) {
            return descriptors.getBytesNoCopy().at((long) index * DESCRIPTOR_SIZE);
        }

        long bufferPhysical(int index) {
            return buffersPhysical + (long) index * BUFFER_SIZE;
        }

        void free() {
            descriptors.complete();
            descriptors.release();
            buffers.complete();
            buffers.release();
        }
    }

    /** Created by I/O Kit from the personality. */
    public NicDriver() {
    }

    @Override
    public boolean start(IOService provider) {
        if (!super.start(provider)) {
            return false;
        }
        if (!(provider instanceof IOPCIDevice)) {
            return false;
        }
        pci = (IOPCIDevice) provider;
        pci.setMemoryEnable(true);
        pci.setBusMasterEnable(true);
        registers = pci.mapDeviceMemoryWithRegister(IOPCIDevice.kIOPCIConfigBaseAddress0);
        tx = Ring.allocate(IOMemoryDescriptor.kIODirectionOut);
        rx = Ring.allocate(IOMemoryDescriptor.kIODirectionIn);
        if (registers == null || tx == null || rx == null || !setUpWorkLoop()) {
            IOLog("NicDriver: could not set up %s@%s", pci.getName(), pci.getLocation());
            tearDown();
            return false;
        }
        macAddress = readMacAddress();
        setProperty("IOMACAddress", macAddress.clone());
        gate.runAction((owner, a0, a1, a2, a3) -> {
            programNic();
            return IOReturn.kIOReturnSuccess;
        });
        for (IOInterruptEventSource source : interruptSources) {
            source.enable();
        }
        PMinit();
        pci.joinPMtree(this);
        joinedPowerTree = true;
        registerPowerDriver(this, POWER_STATES, POWER_STATES.length);
        registerService();
        IOLog("NicDriver: started on %s@%s, MAC %s, link %s, %d-entry rings", pci.getName(), pci.getLocation(),
                formatMac(macAddress), linkUp ? "up" : "down", RING_ENTRIES);
        return true;
    }

    /** A work loop, a command gate and one interrupt source per MSI vector (receive and link; transmit), else INTx. */
    private boolean setUpWorkLoop() {
        workLoop = IOWorkLoop.workLoop();
        gate = IOCommandGate.commandGate(this);
        if (workLoop.addEventSource(gate) != IOReturn.kIOReturnSuccess) {
            return false;
        }
        List<Integer> indices = new ArrayList<>();
        SInt32 type = new SInt32(0);
        for (int index = 0; pci.getInterruptType(index, type) == IOReturn.kIOReturnSuccess; index++) {
            if ((type.value & IOPCIDevice.kIOInterruptTypePCIMessaged) != 0) {
                indices.add(index);
            }
        }
        if (indices.isEmpty()) {
            indices.add(0);
        }
        for (int index : indices) {
            IOInterruptEventSource source = IOInterruptEventSource.interruptEventSource(this,
                    (owner, sender, count) -> serviceInterrupt(), pci, index);
            if (source == null) {
                return false;
            }
            interruptSources.add(source);
            if (workLoop.addEventSource(source) != IOReturn.kIOReturnSuccess) {
                return false;
            }
        }
        return true;
    }

    private byte[] readMacAddress() {
        int low = registers.read32(MAC_LO);
        int high = registers.read32(MAC_HI);
        return new byte[] {(byte) low, (byte) (low >>> 8), (byte) (low >>> 16), (byte) (low >>> 24), (byte) high,
            (byte) (high >>> 8)};
    }

    private static String formatMac(byte[] mac) {
        StringBuilder text = new StringBuilder();
        for (byte b : mac) {
            text.append(text.length() == 0 ? "" : ":").append(String.format("%02x", b & 0xFF));
        }
        return text.toString();
    }

    /** Reset the NIC and give it both rings, every receive buffer and the interrupt mask; with the gate held. */
    private void programNic() {
        registers.write32(CTRL, CTRL_RESET);
        tx.descriptors.getBytesNoCopy().fill(0, (long) RING_ENTRIES * DESCRIPTOR_SIZE, (byte) 0);
        for (int i = 0; i < RING_ENTRIES; i++) {
            giveReceiveBuffer(i);
        }
        registers.write32(TX_BASE_LO, (int) tx.descriptorsPhysical);
        registers.write32(TX_BASE_HI, (int) (tx.descriptorsPhysical >>> 32));
        registers.write32(TX_SIZE, RING_ENTRIES);
        registers.write32(RX_BASE_LO, (int) rx.descriptorsPhysical);
        registers.write32(RX_BASE_HI, (int) (rx.descriptorsPhysical >>> 32));
        registers.write32(RX_SIZE, RING_ENTRIES);
        txNext = 0;
        txClean = 0;
        txInFlight = 0;
        rxNext = 0;
        // The NIC owns the receive buffers up to, not including, the one before rxNext.
        registers.write32(RX_TAIL, RING_ENTRIES - 1);
        registers.write32(INT_MASK, INT_RX | INT_TX | INT_LINK | INT_RX_NO_BUFFER);
        registers.write32(CTRL, CTRL_RX_ENABLE | CTRL_TX_ENABLE);
        running = true;
        updateLink();
    }

    private void giveReceiveBuffer(int index) {
        KernelBuffer descriptor = rx.descriptor(index);
        descriptor.write64(DESC_ADDRESS, rx.bufferPhysical(index));
        descriptor.write16(DESC_LENGTH, (short) BUFFER_SIZE);
        descriptor.write16(DESC_FLAGS, (short) 0);
    }

    // ---- the client API ------------------------------------------------------------------------

    /**
     * Queue {@code frame} for transmission; call from a kernel thread.
     *
     * @return {@code kIOReturnSuccess} if queued, {@code kIOReturnBadArgument} (empty or longer than
     *     {@link #BUFFER_SIZE}), {@code kIOReturnOffline} (link down), {@code kIOReturnNoResources}
     *     (transmit ring full) or {@code kIOReturnNoDevice} (asleep, removed or stopping)
     */
    public int send(byte[] frame) {
        IOCommandGate g = gate;
        if (g == null) {
            return IOReturn.kIOReturnNoDevice;
        }
        if (frame == null || frame.length == 0 || frame.length > BUFFER_SIZE) {
            return IOReturn.kIOReturnBadArgument;
        }
        return g.runAction((owner, a0, a1, a2, a3) -> {
            if (!running) {
                return IOReturn.kIOReturnNoDevice;
            }
            if (!linkUp) {
                return IOReturn.kIOReturnOffline;
            }
            if (txInFlight == RING_ENTRIES - 1) {
                return IOReturn.kIOReturnNoResources;
            }
            tx.buffers.writeBytes((long) txNext * BUFFER_SIZE, frame, 0, frame.length);
            KernelBuffer descriptor = tx.descriptor(txNext);
            descriptor.write64(DESC_ADDRESS, tx.bufferPhysical(txNext));
            descriptor.write16(DESC_LENGTH, (short) frame.length);
            descriptor.write16(DESC_FLAGS, (short) 0);
            txNext = (txNext + 1) & (RING_ENTRIES - 1);
            txInFlight++;
            registers.write32(TX_TAIL, txNext);
            return IOReturn.kIOReturnSuccess;
        });
    }

    /** Return the frames received since the last call, oldest first, and forget them. */
    public List<byte[]> takeReceivedFrames() {
        return underGate(() -> {
            List<byte[]> frames = new ArrayList<>(received);
            received.clear();
            return frames;
        }, List.of());
    }

    /** Return whether the link was up when the driver last looked. */
    public boolean isLinkUp() {
        return underGate(() -> linkUp, false);
    }

    /** Return the frames given to the NIC and not yet reclaimed. */
    public int transmitsInFlight() {
        return underGate(() -> txInFlight, 0);
    }

    /** Return the MAC address read from the NIC at start. */
    public byte[] macAddress() {
        return macAddress == null ? null : macAddress.clone();
    }

    /** Return every power state {@code setPowerState} was asked for, in order. */
    public synchronized List<Long> powerStateCalls() {
        return List.copyOf(powerStateCalls);
    }

    private <T> T underGate(java.util.function.Supplier<T> body, T whenStopped) {
        IOCommandGate g = gate;
        if (g == null) {
            return whenStopped;
        }
        List<T> result = new ArrayList<>(1);
        g.runAction((owner, a0, a1, a2, a3) -> {
            result.add(body.get());
            return IOReturn.kIOReturnSuccess;
        });
        return result.isEmpty() ? whenStopped : result.get(0);
    }

    // ---- interrupts ------------------------------------------------------------------------------

    /** The interrupt action, on the work loop: acknowledge every cause, then receive, reclaim and look at the link. */
    private void serviceInterrupt() {
        int causes = registers.read32(INT_STATUS);
        if (causes == ALL_ONES || causes == 0 || !running) {
            return;
        }
        registers.write32(INT_STATUS, causes);
        if ((causes & (INT_RX | INT_RX_NO_BUFFER)) != 0) {
            receiveFrames();
            if ((causes & INT_RX_NO_BUFFER) != 0) {
                noBufferEvents++;
            }
        }
        if ((causes & INT_TX) != 0) {
            reclaimTransmits();
        }
        if ((causes & INT_LINK) != 0) {
            linkChanges++;
            updateLink();
        }
        publishStatistics();
    }

    private void receiveFrames() {
        boolean gaveBack = false;
        while (true) {
            KernelBuffer descriptor = rx.descriptor(rxNext);
            int flags = descriptor.read16(DESC_FLAGS) & 0xFFFF;
            if ((flags & FLAG_DONE) == 0) {
                break;
            }
            if ((flags & FLAG_ERROR) != 0) {
                receiveErrors++;
            } else {
                int length = descriptor.read16(DESC_LENGTH) & 0xFFFF;
                byte[] frame = new byte[length];
                rx.buffers.readBytes((long) rxNext * BUFFER_SIZE, frame, 0, length);
                received.add(frame);
                framesReceived++;
            }
            giveReceiveBuffer(rxNext);
            rxNext = (rxNext + 1) & (RING_ENTRIES - 1);
            gaveBack = true;
        }
        if (gaveBack) {
            registers.write32(RX_TAIL, (rxNext + RING_ENTRIES - 1) & (RING_ENTRIES - 1));
        }
    }

    private void reclaimTransmits() {
        while (txInFlight > 0) {
            int flags = tx.descriptor(txClean).read16(DESC_FLAGS) & 0xFFFF;
            if ((flags & FLAG_DONE) == 0) {
                break;
            }
            if ((flags & FLAG_ERROR) != 0) {
                transmitErrors++;
            } else {
                framesSent++;
            }
            txClean = (txClean + 1) & (RING_ENTRIES - 1);
            txInFlight--;
        }
    }

    private void updateLink() {
        int status = registers.read32(STATUS);
        boolean up = status != ALL_ONES && (status & STATUS_LINK_UP) != 0;
        if (up != linkUp) {
            IOLog("NicDriver: link %s on %s@%s", up ? "up" : "down", pci.getName(), pci.getLocation());
        }
        linkUp = up;
        setProperty("IOLinkStatus", kIONetworkLinkValid | (up ? kIONetworkLinkActive : 0));
    }

    private void publishStatistics() {
        Map<String, Object> statistics = new LinkedHashMap<>();
        statistics.put("FramesSent", framesSent);
        statistics.put("TransmitErrors", transmitErrors);
        statistics.put("FramesReceived", framesReceived);
        statistics.put("ReceiveErrors", receiveErrors);
        statistics.put("NoBufferEvents", noBufferEvents);
        statistics.put("LinkChanges", linkChanges);
        setProperty(STATISTICS_KEY, statistics);
    }

    // ---- power ---------------------------------------------------------------------------------

    /** State 0: stop receiving and sending and mask interrupts. State 1: program the NIC again (D3hot reset it). */
    @Override
    public int setPowerState(long powerStateOrdinal, IOService whatDevice) {
        synchronized (this) {
            powerStateCalls.add(powerStateOrdinal);
        }
        IOCommandGate g = gate;
        if (g == null) {
            return kIOPMAckImplied;
        }
        g.runAction((owner, a0, a1, a2, a3) -> {
            if (powerStateOrdinal == 0 && running) {
                reclaimTransmits();
                running = false;
                registers.write32(INT_MASK, 0);
                registers.write32(CTRL, 0);
                for (IOInterruptEventSource source : interruptSources) {
                    source.disable();
                }
                IOLog("NicDriver: off for sleep (%d frame(s) not yet sent are dropped)", txInFlight);
            } else if (powerStateOrdinal == 1 && !running) {
                programNic();
                for (IOInterruptEventSource source : interruptSources) {
                    source.enable();
                }
                IOLog("NicDriver: on after wake, link %s", linkUp ? "up" : "down");
            }
            return IOReturn.kIOReturnSuccess;
        });
        return kIOPMAckImplied;
    }

    // ---- stop ----------------------------------------------------------------------------------

    @Override
    public boolean willTerminate(IOService provider, int options) {
        IOCommandGate g = gate;
        if (g != null) {
            g.runAction((owner, a0, a1, a2, a3) -> {
                if (running && registers.read32(STATUS) == ALL_ONES) {
                    IOLog("NicDriver: device removed; %d frame(s) were not sent", txInFlight);
                }
                running = false;
                return IOReturn.kIOReturnSuccess;
            });
        }
        return super.willTerminate(provider, options);
    }

    @Override
    public void stop(IOService provider) {
        IOLog("NicDriver: stopping on %s@%s after %d frame(s) sent and %d received", pci.getName(), pci.getLocation(),
                framesSent, framesReceived);
        if (joinedPowerTree) {
            PMstop();
            joinedPowerTree = false;
        }
        tearDown();
        super.stop(provider);
    }

    /** Undo {@link #start} in I/O Kit's order: quiesce, event sources, DMA memory, registers, bus mastering, work loop. */
    private void tearDown() {
        IOCommandGate g = gate;
        if (g != null) {
            g.runAction((owner, a0, a1, a2, a3) -> {
                running = false;
                if (registers.read32(STATUS) != ALL_ONES) {
                    registers.write32(INT_MASK, 0);
                    registers.write32(CTRL, CTRL_RESET);
                }
                return IOReturn.kIOReturnSuccess;
            });
        }
        for (IOInterruptEventSource source : interruptSources) {
            source.disable();
            workLoop.removeEventSource(source);
            source.release();
        }
        interruptSources.clear();
        if (g != null) {
            gate = null;
            g.disable();
            workLoop.removeEventSource(g);
            g.release();
        }
        if (tx != null) {
            tx.free();
            tx = null;
        }
        if (rx != null) {
            rx.free();
            rx = null;
        }
        if (registers != null) {
            registers.release();
            registers = null;
        }
        if (pci != null) {
            pci.setBusMasterEnable(false);
        }
        if (workLoop != null) {
            workLoop.release();
            workLoop = null;
        }
    }
}
