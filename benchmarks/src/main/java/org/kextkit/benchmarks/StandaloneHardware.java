package org.kextkit.benchmarks;

import java.util.ArrayList;
import java.util.List;
import org.kextkit.family.pci.IOPCIBridge;
import org.kextkit.family.pci.IOPCIDevice;
import org.kextkit.hardware.pci.PciHardware;
import org.kextkit.harness.family.HardwareContext;
import org.kextkit.kit.internal.KernelHeap;
import org.kextkit.kit.internal.KernelScheduler;
import org.kextkit.kit.internal.Standalone;

/**
 * PCI buses and their nubs without a booted kernel: the kit's standalone clock and heap stand in for
 * the kernel's, and the PCI family's own bridge enumerates each bus and creates the
 * {@link IOPCIDevice} nubs, exactly as it does in a kernel.
 */
final class StandaloneHardware {
    /** The clock and heap of code running outside any kernel. */
    static final HardwareContext CONTEXT = new HardwareContext() {
        @Override
        public KernelScheduler scheduler() {
            return Standalone.scheduler();
        }

        @Override
        public KernelHeap heap() {
            return Standalone.heap();
        }

        @Override
        public long seed() {
            return 1;
        }
    };

    private StandaloneHardware() {
    }

    /** Return a new empty x86_64 bus. */
    static PciHardware newBus() {
        return new PciHardware(CONTEXT, "x86_64");
    }

    /** Return the nubs the family's bridge publishes for every function of {@code bus}, in slot order. */
    static List<IOPCIDevice> enumerate(PciHardware bus) {
        Enumerator bridge = new Enumerator();
        if (!bridge.startOn(bus)) {
            throw new IllegalStateException("the PCI bridge did not start on the bus");
        }
        return new ArrayList<>(bridge.publishedDevices());
    }

    /** The family's bridge, started on a bus handed to it instead of the kernel's. */
    private static final class Enumerator extends IOPCIBridge {
        @Override
        protected boolean startOn(PciHardware hardware) {
            return super.startOn(hardware);
        }
    }
}
