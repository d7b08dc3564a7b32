package org.kextkit.hardware.pci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kextkit.kit.internal.DeviceRegisters;
import org.kextkit.pci.testing.TestHeap;
import org.kextkit.pci.testing.InterruptLog;
import org.kextkit.pci.testing.TestKernel;

/** Configuration-space semantics, BAR routing and the model's bus services, at the hardware level. */
class PciFunctionTest {
    private static final PciIdentity ID = new PciIdentity(0x8086, 0x10d3, 0x8086, 0xa01f, 0x020000, 0x03);

    /** A model with a 32-bit memory BAR of scratch registers, a 64-bit BAR, an I/O BAR and 4 MSI vectors. */
    static final class ScratchDevice extends PciDeviceModel {
        final int[] registers = new int[64];
        final List<String> hooks = new ArrayList<>();

        ScratchDevice() {
            super(ID);
            RegisterHandler scratch = new RegisterHandler() {
                @Override
                public long read(long offset, int width) {
                    return registers[(int) offset / 4] & 0xFFFF_FFFFL;
                }

                @Override
                public void write(long offset, int width, long value) {
                    registers[(int) offset / 4] = (int) value;
                }
            };
            declareBar(0, PciBar.memory32(256), scratch);
            declareBar(2, PciBar.memory64(0x10000, true), scratch);
            declareBar(4, PciBar.io(32), scratch);
            declareMsi(4);
        }

        @Override
        protected void reset() {
            hooks.add("reset");
        }

        @Override
        protected void powerStateChanged(PciPowerState from, PciPowerState to) {
            hooks.add(from + "->" + to);
        }

        @Override
        protected void removed() {
            hooks.add("removed");
        }

        boolean dma(long address, byte[] bytes) {
            return dmaWrite(address, bytes, 0, bytes.length);
        }

        void interrupt(int vector) {
            signalInterrupt(vector);
        }

        void lower() {
            deassertIntx();
        }
    }

    private TestKernel kernel;
    private ScratchDevice device;
    private PciFunction function;
    private final InterruptLog interruptLog = new InterruptLog();
    private final List<String> interrupts = interruptLog.events();

    @BeforeEach
    void plug() {
        kernel = new TestKernel();
        device = new ScratchDevice();
        function = kernel.bus().plug(3, 0, device, null);
        function.setInterruptSink(interruptLog);
    }

    @Test
    void theHeaderShowsTheIdentity() {
        assertEquals(0x10d38086, function.configRead32(0x00));
        assertEquals(0x02000003, function.configRead32(0x08));
        assertEquals(0xa01f8086, function.configRead32(0x2C));
        assertEquals(0x8086, function.configRead16(0x00));
        assertEquals(0x02, function.configRead8(0x0B));
        assertEquals(1, function.configRead8(0x3D), "INTA#");
    }

    @Test
    void readOnlyFieldsIgnoreWrites() {
        function.configWrite32(0x00, 0x12345678);
        function.configWrite32(0x08, 0);
        function.configWrite16(0x2C, 0xdead);
        function.configWrite8(0x34, 0x99);
        assertEquals(0x10d38086, function.configRead32(0x00));
        assertEquals(0x02000003, function.configRead32(0x08));
        assertEquals(0xa01f8086, function.configRead32(0x2C));
        assertEquals(0x40, function.configRead8(0x34));
    }

    @Test
    void writableFieldsKeepWhatIsWrittenInEveryWidth() {
        function.configWrite8(0x0C, 0x10);
        function.configWrite8(0x3C, 0x0b);
        assertEquals(0x10, function.configRead8(0x0C));
        assertEquals(0x0b, function.configRead8(0x3C));
        function.configWrite16(0x04, 0xFFFF);
        assertEquals(0x0547, function.configRead16(0x04), "only the defined command bits stick");
    }

    @Test
    void barsAnswerTheSizingWriteWithTheirSizeMaskAndKeepTheirTypeBits() {
        int original = function.configRead32(0x10);
        function.configWrite32(0x10, 0xFFFF_FFFF);
        assertEquals(0xFFFF_FF00, function.configRead32(0x10), "256-byte 32-bit memory BAR");
        function.configWrite32(0x10, original);
        assertEquals(original, function.configRead32(0x10));

        function.configWrite32(0x18, 0xFFFF_FFFF);
        function.configWrite32(0x1C, 0xFFFF_FFFF);
        assertEquals(0xFFFF_0000 | 0xC, function.configRead32(0x18), "64 KiB, 64-bit, prefetchable");
        assertEquals(0xFFFF_FFFF, function.configRead32(0x1C));

        function.configWrite32(0x20, 0xFFFF_FFFF);
        assertEquals(0xFFFF_FFE1, function.configRead32(0x20), "32-port I/O BAR with the I/O bit");

        function.configWrite32(0x14, 0xFFFF_FFFF);
        assertEquals(0, function.configRead32(0x14), "an unimplemented BAR reads as zero");
    }

    @Test
    void firmwarePlacesBarsAlignedToTheirSize() {
        assertEquals(0xA000_0000L, function.barAddress(0));
        assertEquals(0, function.barAddress(2) & 0xFFFF);
        assertTrue(function.barAddress(2) >= 0x1_0000_0000L, "64-bit BARs go above 4 GiB");
        assertEquals(0x2000, function.barAddress(4));
    }

    @Test
    void barRegistersAnswerOnlyWhileTheCommandRegisterEnablesTheirSpace() {
        DeviceRegisters memory = function.barRegisters(0);
        DeviceRegisters io = function.barRegisters(4);
        memory.write32(8, 0x1234);
        assertEquals(0xFFFF_FFFF, memory.read32(8), "memory decoding is off after reset");
        assertEquals(0, device.registers[2], "the write was dropped");

        function.configWrite16(0x04, 0x0002);
        memory.write32(8, 0x1234);
        assertEquals(0x1234, memory.read32(8));
        assertEquals(0xFFFF_FFFF, io.read32(8), "I/O decoding is still off");

        function.configWrite16(0x04, 0x0003);
        assertEquals(0x1234, io.read32(8));
    }

    @Test
    void accessesOutsideTheBarReadAllOnes() {
        function.configWrite16(0x04, 0x0002);
        DeviceRegisters memory = function.barRegisters(0);
        assertEquals(0xFFFF_FFFF, memory.read32(256));
        assertEquals(0xFFFF_FFFF, memory.read32(254));
        assertEquals(-1L, memory.read64(252));
    }

    @Test
    void statusErrorBitsAreWriteOneToClear() {
        function.configWrite16(0x06, 0xFFFF);
        assertEquals(0x0010, function.configRead16(0x06), "only the capability-list bit remains");
    }

    @Test
    void theCapabilityListHasPowerManagementThenMsi() {
        assertEquals(0x10, function.configRead16(0x06) & 0x10);
        int pm = function.configRead8(0x34);
        assertEquals(0x01, function.configRead8(pm));
        int msi = function.configRead8(pm + 1);
        assertEquals(0x05, function.configRead8(msi));
        assertEquals(0, function.configRead8(msi + 1));
        int control = function.configRead16(msi + 2);
        assertEquals(2, (control >> 1) & 7, "4 vectors capable");
        assertEquals(0x80, control & 0x80, "64-bit address capable");
    }

    @Test
    void msiIsDeliveredOnlyOnceEnabledAndReducedToTheAllocatedVectors() {
        device.interrupt(3);
        assertEquals(List.of("INTx on"), interrupts, "with MSI off, the device falls back to INTx");
        device.lower();
        interrupts.clear();

        int msi = 0x50;
        function.configWrite16(msi + 2, 0x0001 | (1 << 4)); // enable, 2 vectors
        assertEquals(2, function.msiAllocatedVectors());
        device.interrupt(3);
        device.interrupt(0);
        assertEquals(List.of("MSI 1", "MSI 0"), interrupts);
    }

    @Test
    void intxIsLevelTriggeredAndMaskedByTheInterruptDisableBit() {
        device.interrupt(0);
        assertEquals(0x08, function.configRead16(0x06) & 0x08, "status shows the pending interrupt");
        function.configWrite16(0x04, 0x0400);
        device.lower();
        device.interrupt(0);
        function.configWrite16(0x04, 0x0000);
        assertEquals(List.of("INTx on", "INTx off", "INTx on"), interrupts);
    }

    @Test
    void dmaIsRefusedWithoutBusMasteringAndTheFaultIsRecorded() {
        TestHeap.Buffer buffer = kernel.heap().allocate(64);
        assertFalse(device.dma(buffer.address(), new byte[] {1, 2, 3}));
        assertEquals(0, buffer.read8(0));
        assertTrue(function.faults().get(0).contains("bus mastering is disabled"), function.faults().toString());

        function.configWrite16(0x04, 0x0004);
        assertTrue(device.dma(buffer.address(), new byte[] {1, 2, 3}));
        assertEquals(3, buffer.read8(2));
    }

    @Test
    void dmaOutsideWiredMemoryFailsAsAnIommuWouldRefuseIt() {
        function.configWrite16(0x04, 0x0004);
        assertFalse(device.dma(0x10, new byte[4]));
        assertTrue(function.faults().get(0).contains("not in wired kernel memory"), function.faults().toString());
    }

    @Test
    void leavingD3hotResetsTheFunctionAndItsConfiguration() {
        function.configWrite16(0x04, 0x0006);
        long bar = function.barAddress(0);
        device.hooks.clear();
        function.configWrite16(0x44, 0x0003);
        assertEquals(PciPowerState.D3HOT, function.powerState());
        assertEquals(0xFFFF_FFFF, function.barRegisters(0).read32(0), "a sleeping device does not decode");
        assertFalse(function.busMasterEnabled());

        function.configWrite16(0x44, 0x0000);
        assertEquals(List.of("D0->D3HOT", "reset", "D3HOT->D0"), device.hooks);
        assertEquals(0, function.configRead16(0x04), "the command register is back to zero");
        assertEquals(0, function.barAddress(0), "BARs must be restored by software");
        assertTrue(bar != 0);
    }

    @Test
    void aRemovedFunctionReadsAllOnesEverywhere() {
        function.configWrite16(0x04, 0x0002);
        kernel.bus().surpriseRemove(3);
        assertEquals(0xFFFF_FFFF, function.configRead32(0));
        assertEquals(0xFFFF, function.configRead16(0));
        assertEquals(0xFFFF_FFFF, function.barRegisters(0).read32(0));
        assertFalse(function.isPresent());
        assertTrue(device.hooks.contains("removed"));
        assertEquals(null, kernel.bus().function(3, 0));
    }

    @Test
    void theBusRefusesTakenSlotsAndBadAddresses() {
        assertThrows(IllegalArgumentException.class, () -> kernel.bus().plug(3, 0, new ScratchDevice(), null));
        assertThrows(IllegalArgumentException.class, () -> kernel.bus().plug(32, 0, new ScratchDevice(), null));
        assertThrows(IllegalArgumentException.class, () -> kernel.bus().plug(4, 8, new ScratchDevice(), null));
        assertThrows(IllegalArgumentException.class, () -> kernel.bus().surpriseRemove(9));
        assertThrows(IllegalStateException.class, () -> kernel.bus().plug(5, 0, device, null), "a model plugs in once");
    }

    @Test
    void hotPlugTellsListeners() {
        List<String> seen = new ArrayList<>();
        kernel.bus().addListener(new PciBusListener() {
            @Override
            public void functionAdded(PciFunction added) {
                seen.add("added " + added.deviceNumber());
            }

            @Override
            public void functionRemoved(PciFunction removed) {
                seen.add("removed " + removed.deviceNumber());
            }
        });
        kernel.bus().hotPlug(7, new ScratchDevice());
        kernel.bus().surpriseRemove(7);
        assertEquals(List.of("added 7", "removed 7"), seen);
    }

    @Test
    void modelDeclarationsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> PciBar.memory32(100));
        assertThrows(IllegalArgumentException.class, () -> PciBar.io(512));
        assertThrows(IllegalArgumentException.class, () -> new PciIdentity(0xFFFF, 0, 0, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new PciDeviceModel(ID) {
            {
                declareBar(5, PciBar.memory64(4096, false), (RegisterHandler) null);
            }
        });
    }
}
