package org.kextkit.hardware.pci.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kextkit.hardware.pci.models.NicDevice.*;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kextkit.hardware.pci.PciFunction;
import org.kextkit.kit.internal.DeviceRegisters;
import org.kextkit.pci.testing.TestHeap;
import org.kextkit.pci.testing.InterruptLog;
import org.kextkit.pci.testing.TestKernel;

/** The NIC at the register level: rings, link, interrupts, receive injection and captured frames. */
class NicDeviceTest {
    private TestKernel kernel;
    private NicDevice nic;
    private PciFunction function;
    private DeviceRegisters regs;
    private TestHeap.Buffer txRing;
    private TestHeap.Buffer rxRing;
    private final InterruptLog interruptLog = new InterruptLog();
    private final List<String> interrupts = interruptLog.events();

    @BeforeEach
    void setUp() {
        kernel = new TestKernel();
        nic = new NicDevice();
        function = kernel.bus().plug(2, 0, nic, null);
        function.setInterruptSink(interruptLog);
        function.configWrite16(0x04, 0x0006);
        regs = function.barRegisters(0);
        txRing = kernel.heap().allocate(4 * DESCRIPTOR_SIZE);
        rxRing = kernel.heap().allocate(4 * DESCRIPTOR_SIZE);
        regs.write32(TX_BASE_LO, (int) txRing.address());
        regs.write32(TX_SIZE, 4);
        regs.write32(RX_BASE_LO, (int) rxRing.address());
        regs.write32(RX_SIZE, 4);
        regs.write32(INT_MASK, INT_RX | INT_TX | INT_LINK | INT_RX_NO_BUFFER);
        regs.write32(CTRL, CTRL_RX_ENABLE | CTRL_TX_ENABLE);
    }

    private TestHeap.Buffer postReceiveBuffer(int slot, int size) {
        TestHeap.Buffer buffer = kernel.heap().allocate(size);
        rxRing.write64(slot * DESCRIPTOR_SIZE, buffer.address());
        rxRing.write16(slot * DESCRIPTOR_SIZE + 8, (short) size);
        rxRing.write16(slot * DESCRIPTOR_SIZE + 10, (short) 0);
        return buffer;
    }

    @Test
    void isAnEthernetControllerWithTheMacInItsRegisters() {
        assertEquals(0x02000001, function.configRead32(0x08));
        assertEquals(0x006b6b02, regs.read32(MAC_LO));
        assertEquals(0x0100, regs.read32(MAC_HI));
        assertEquals(STATUS_LINK_UP, regs.read32(STATUS));
    }

    @Test
    void transmitsQueuedFramesAfterTheirWireTime() {
        byte[] frame = new byte[100];
        for (int i = 0; i < frame.length; i++) {
            frame[i] = (byte) i;
        }
        TestHeap.Buffer buffer = kernel.heap().allocate(128);
        buffer.writeBytes(0, frame, 0, frame.length);
        txRing.write64(0, buffer.address());
        txRing.write16(8, (short) frame.length);
        regs.write32(TX_TAIL, 1);
        kernel.scheduler().advance(799);
        assertEquals(0, nic.transmittedFrames().size(), "100 bytes take 800 ns at 1 Gb/s");
        kernel.scheduler().advance(1);
        assertEquals(1, nic.transmittedFrames().size());
        assertArrayEquals(frame, nic.transmittedFrames().get(0));
        assertEquals(FLAG_DONE, txRing.read16(10));
        assertEquals(1, regs.read32(TX_HEAD));
        assertEquals(1, regs.read32(TX_PACKETS));
        assertEquals(INT_TX, regs.read32(INT_STATUS));
        assertEquals(List.of("INTx on"), interrupts);
    }

    @Test
    void receivesAnInjectedFrameIntoThePostedBuffer() {
        TestHeap.Buffer buffer = postReceiveBuffer(0, 2048);
        regs.write32(RX_TAIL, 1);
        byte[] frame = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 0x08, 0x00};
        assertTrue(nic.receive(frame));
        byte[] got = new byte[frame.length];
        buffer.readBytes(0, got, 0, got.length);
        assertArrayEquals(frame, got);
        assertEquals(frame.length, rxRing.read16(8));
        assertEquals(FLAG_DONE, rxRing.read16(10));
        assertEquals(1, regs.read32(RX_HEAD));
        assertEquals(1, regs.read32(RX_PACKETS));
        assertEquals(INT_RX, regs.read32(INT_STATUS));
    }

    @Test
    void dropsFramesWithoutBuffersAndSaysSo() {
        assertFalse(nic.receive(new byte[60]), "no buffer was posted");
        assertEquals(1, regs.read32(RX_DROPPED));
        assertEquals(INT_RX_NO_BUFFER, regs.read32(INT_STATUS));

        postReceiveBuffer(0, 32);
        regs.write32(RX_TAIL, 1);
        assertFalse(nic.receive(new byte[60]), "the buffer is too small");
        assertEquals(FLAG_DONE | FLAG_ERROR, rxRing.read16(10));
        assertEquals(2, regs.read32(RX_DROPPED));
    }

    @Test
    void linkChangesInterruptAndADownLinkDropsTraffic() {
        nic.setLinkUp(false);
        assertEquals(0, regs.read32(STATUS));
        assertEquals(INT_LINK, regs.read32(INT_STATUS));
        postReceiveBuffer(0, 2048);
        regs.write32(RX_TAIL, 1);
        assertFalse(nic.receive(new byte[60]));
        assertEquals(1, regs.read32(RX_DROPPED));
    }

    @Test
    void sendsReceiveAndTransmitOnSeparateMsiVectors() {
        function.configWrite16(0x52, 0x0001 | (1 << 4));
        postReceiveBuffer(0, 2048);
        regs.write32(RX_TAIL, 1);
        nic.receive(new byte[60]);
        TestHeap.Buffer buffer = kernel.heap().allocate(64);
        txRing.write64(0, buffer.address());
        txRing.write16(8, (short) 60);
        regs.write32(TX_TAIL, 1);
        kernel.scheduler().runUntilIdle();
        assertEquals(List.of("MSI 0", "MSI 1"), interrupts);
    }

    @Test
    void maskedCausesDoNotInterruptAndResetClearsEverything() {
        regs.write32(INT_MASK, 0);
        nic.setLinkUp(false);
        assertEquals(List.of(), interrupts);
        regs.write32(CTRL, CTRL_RESET);
        assertEquals(0, regs.read32(CTRL));
        assertEquals(0, regs.read32(TX_SIZE));
        assertEquals(0, regs.read32(INT_STATUS));
    }
}
