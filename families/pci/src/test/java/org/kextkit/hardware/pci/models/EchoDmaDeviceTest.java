package org.kextkit.hardware.pci.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kextkit.hardware.pci.models.EchoDmaDevice.*;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.CRC32;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kextkit.hardware.pci.PciFunction;
import org.kextkit.kit.internal.DeviceRegisters;
import org.kextkit.pci.testing.TestHeap;
import org.kextkit.pci.testing.InterruptLog;
import org.kextkit.pci.testing.TestKernel;

/** The echo DMA engine at the register level, as a driver programs it. */
class EchoDmaDeviceTest {
    private TestKernel kernel;
    private EchoDmaDevice echo;
    private PciFunction function;
    private DeviceRegisters regs;
    private TestHeap.Buffer ring;
    private final InterruptLog interruptLog = new InterruptLog();
    private final List<String> interrupts = interruptLog.events();

    @BeforeEach
    void setUp() {
        kernel = new TestKernel();
        echo = new EchoDmaDevice();
        function = kernel.bus().plug(1, 0, echo, null);
        function.setInterruptSink(interruptLog);
        function.configWrite16(0x04, 0x0006); // memory space + bus master
        regs = function.barRegisters(0);
        ring = kernel.heap().allocate(4 * COMMAND_SIZE);
        regs.write32(RING_BASE_LO, (int) ring.address());
        regs.write32(RING_BASE_HI, (int) (ring.address() >>> 32));
        regs.write32(RING_SIZE, 4);
        regs.write32(CONTROL, CONTROL_ENABLE | CONTROL_INT_ENABLE);
    }

    private void queue(int slot, int opcode, TestHeap.Buffer source, int length, TestHeap.Buffer destination) {
        long at = (long) slot * COMMAND_SIZE;
        ring.write32(at, opcode);
        ring.write32(at + 4, length);
        ring.write64(at + 8, source.address());
        ring.write64(at + 16, destination == null ? 0 : destination.address());
        ring.write32(at + 24, 0);
        ring.write32(at + 28, 0);
    }

    @Test
    void identifiesItself() {
        assertEquals(ID_VALUE, regs.read32(ID));
        assertEquals(0x0ed11234, function.configRead32(0));
        regs.write32(SCRATCH, 0xcafe);
        assertEquals(0xcafe, regs.read32(SCRATCH));
    }

    @Test
    void copiesABufferAndInterruptsOnCompletion() {
        byte[] text = "hello, kernel".getBytes(StandardCharsets.US_ASCII);
        TestHeap.Buffer source = kernel.heap().allocate(64);
        TestHeap.Buffer destination = kernel.heap().allocate(64);
        source.writeBytes(0, text, 0, text.length);
        queue(0, OP_COPY, source, text.length, destination);
        regs.write32(RING_TAIL, 1);
        assertEquals(STATUS_BUSY, regs.read32(STATUS));
        assertEquals(0, regs.read32(RING_HEAD), "nothing happens before the engine's latency has passed");

        kernel.scheduler().advance(1000);
        byte[] copied = new byte[text.length];
        destination.readBytes(0, copied, 0, copied.length);
        assertArrayEquals(text, copied);
        assertEquals(COMMAND_OK, ring.read32(28));
        assertEquals(text.length, ring.read32(24));
        assertEquals(1, regs.read32(RING_HEAD));
        assertEquals(1, regs.read32(COMPLETED));
        assertEquals(INT_DONE, regs.read32(INT_STATUS));
        assertEquals(List.of("INTx on"), interrupts);

        regs.write32(INT_STATUS, INT_DONE);
        assertEquals(0, regs.read32(INT_STATUS));
        assertEquals(List.of("INTx on", "INTx off"), interrupts, "acknowledging the cause lowers the line");
    }

    @Test
    void checksumsWithCrc32AndProcessesTheRingInOrderAcrossTheWrap() {
        TestHeap.Buffer data = kernel.heap().allocate(16);
        data.writeBytes(0, "0123456789abcdef".getBytes(StandardCharsets.US_ASCII), 0, 16);
        CRC32 crc = new CRC32();
        crc.update("0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
        regs.write32(CONTROL, CONTROL_ENABLE);
        for (int i = 0; i < 6; i++) {
            queue(i % 4, OP_CHECKSUM, data, 16, null);
            regs.write32(RING_TAIL, (i + 1) % 4);
            kernel.scheduler().runUntilIdle();
            assertEquals((int) crc.getValue(), ring.read32((i % 4) * COMMAND_SIZE + 24));
        }
        assertEquals(6, regs.read32(COMPLETED));
        assertEquals(2, regs.read32(RING_HEAD));
        assertEquals(List.of(), interrupts, "completion interrupts were not enabled");
    }

    @Test
    void usesMsiOnceSoftwareEnablesIt() {
        function.configWrite16(0x52, 0x0001);
        TestHeap.Buffer data = kernel.heap().allocate(8);
        queue(0, OP_CHECKSUM, data, 8, null);
        regs.write32(RING_TAIL, 1);
        kernel.scheduler().runUntilIdle();
        assertEquals(List.of("MSI 0"), interrupts);
    }

    @Test
    void haltsWhenBusMasteringIsOff() {
        function.configWrite16(0x04, 0x0002);
        TestHeap.Buffer data = kernel.heap().allocate(8);
        queue(0, OP_CHECKSUM, data, 8, null);
        regs.write32(RING_TAIL, 1);
        kernel.scheduler().runUntilIdle();
        assertEquals(STATUS_HALTED, regs.read32(STATUS));
        assertEquals(INT_ERROR, regs.read32(INT_STATUS));
        assertEquals(0, regs.read32(RING_HEAD));
        assertTrue(kernel.bus().faults().get(0).contains("bus mastering is disabled"));

        regs.write32(CONTROL, CONTROL_RESET);
        assertEquals(0, regs.read32(STATUS));
        assertEquals(0, regs.read32(RING_SIZE), "reset clears the ring registers");
    }

    @Test
    void rejectsABadCommandWithoutHalting() {
        TestHeap.Buffer data = kernel.heap().allocate(8);
        queue(0, 99, data, 8, null);
        regs.write32(RING_TAIL, 1);
        kernel.scheduler().runUntilIdle();
        assertEquals(COMMAND_BAD, ring.read32(28));
        assertEquals(INT_DONE | INT_ERROR, regs.read32(INT_STATUS));
        assertEquals(0, regs.read32(STATUS));
    }

    @Test
    void aRingThatIsNotAPowerOfTwoHaltsTheEngine() {
        regs.write32(RING_SIZE, 3);
        regs.write32(RING_TAIL, 1);
        assertEquals(STATUS_HALTED, regs.read32(STATUS));
    }

    @Test
    void surpriseRemovalCancelsTheCommandInFlight() {
        TestHeap.Buffer data = kernel.heap().allocate(8);
        queue(0, OP_CHECKSUM, data, 8, null);
        regs.write32(RING_TAIL, 1);
        kernel.bus().surpriseRemove(1);
        kernel.scheduler().runUntilIdle();
        assertEquals(0, ring.read32(28), "the engine never wrote the result");
        assertEquals(0xFFFF_FFFF, regs.read32(ID));
    }
}
