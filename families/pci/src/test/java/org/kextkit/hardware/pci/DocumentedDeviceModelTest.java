package org.kextkit.hardware.pci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.kextkit.kit.internal.DeviceRegisters;
import org.kextkit.pci.testing.InterruptLog;
import org.kextkit.pci.testing.TestKernel;

/** The device model written out in docs/pci-family.md ("Writing a device model") works as the page says. */
class DocumentedDeviceModelTest {
    /** Copied from the docs page; keep the two in step. */
    public static final class CounterDevice extends PciDeviceModel {
        private int counter;

        public CounterDevice() {
            super(new PciIdentity(0x1234, 0x0001, 0, 0, 0xFF0000, 1));   // vendor, device, subsystem, class, revision
            declareBar(0, PciBar.memory32(4096), new RegisterHandler() {
                public long read(long offset, int width) { return offset == 0 ? counter : 0; }
                public void write(long offset, int width, long value) {
                    if (offset == 4) {                     // "go": count after 1 µs, then interrupt
                        scheduleEvent("count", 1_000, () -> { counter++; signalInterrupt(0); });
                    }
                }
            });
            declareMsi(1);
        }

        @Override
        protected void reset() { counter = 0; }               // power-on, and on leaving D3hot
    }

    @Test
    void countsOneMicrosecondAfterGoAndInterrupts() {
        TestKernel kernel = new TestKernel();
        PciFunction function = kernel.bus().plug(6, 0, new CounterDevice(), null);
        InterruptLog interruptLog = new InterruptLog();
        List<String> interrupts = interruptLog.events();
        function.setInterruptSink(interruptLog);
        function.configWrite16(0x04, 0x0002);
        function.configWrite16(0x52, 0x0001);
        DeviceRegisters regs = function.barRegisters(0);
        regs.write32(4, 1);
        kernel.scheduler().advance(999);
        assertEquals(0, regs.read32(0));
        kernel.scheduler().advance(1);
        assertEquals(1, regs.read32(0));
        assertEquals(List.of("MSI 0"), interrupts);

        kernel.bus().surpriseRemove(6);
        assertTrue(kernel.bus().functions().isEmpty());
    }
}
