package org.kextkit.pci.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.kextkit.hardware.pci.PciHardware;
import org.kextkit.harness.family.HardwareContext;
import org.kextkit.kit.internal.IOKitHost;
import org.kextkit.kit.internal.KernelHeap;
import org.kextkit.kit.internal.KernelRuntime;
import org.kextkit.kit.internal.KernelScheduler;
import org.kextkit.kit.internal.KernelServices;
import org.kextkit.kit.iokit.IOPMPowerState;
import org.kextkit.kit.iokit.IORegistryEntry;
import org.kextkit.kit.iokit.IOService;

/**
 * A minimal kernel for family tests: a manual scheduler, a test heap, a PCI bus, and an I/O Kit host
 * that records registrations and terminations instead of matching. Bind it around code that
 * creates kit objects with {@link #enter()}.
 */
public class TestKernel implements KernelServices, HardwareContext {
    private final ManualScheduler scheduler = new ManualScheduler();
    private final TestHeap heap = new TestHeap();
    private final String architecture;
    private final RecordingHost host = new RecordingHost();
    private final List<String> log = new ArrayList<>();
    private PciHardware bus;

    /** Create an x86_64 kernel. */
    public TestKernel() {
        this("x86_64");
    }

    /** Create a kernel of {@code architecture}. */
    public TestKernel(String architecture) {
        this.architecture = architecture;
        this.bus = new PciHardware(this, architecture);
    }

    /** Bind the calling thread to this kernel until the scope closes. */
    public KernelRuntime.Scope enter() {
        return KernelRuntime.enter(this);
    }

    /** Return the PCI bus. */
    public PciHardware bus() {
        return bus;
    }

    /** Replace the PCI bus (machine-file tests). */
    public void setBus(PciHardware replacement) {
        bus = replacement;
    }

    /** Return the scheduler. */
    @Override
    public ManualScheduler scheduler() {
        return scheduler;
    }

    @Override
    public TestHeap heap() {
        return heap;
    }

    @Override
    public long seed() {
        return 42;
    }

    @Override
    public String architecture() {
        return architecture;
    }

    @Override
    public IOKitHost iokit() {
        return host;
    }

    /** Return the recording host. */
    public RecordingHost host() {
        return host;
    }

    @Override
    public <T> T hardware(Class<T> type) {
        return type == PciHardware.class ? type.cast(bus) : null;
    }

    @Override
    public void log(Class<?> caller, String function, String message) {
        log.add(message);
    }

    /** Return the kernel log lines. */
    public List<String> log() {
        return log;
    }

    /** An I/O Kit host that records what the family asked of it. */
    public static final class RecordingHost implements IOKitHost {
        private final AtomicLong ids = new AtomicLong(0x100);
        /** Services that called registerService, in order. */
        public final List<IOService> registered = new ArrayList<>();
        /** Services terminated, in order. */
        public final List<IOService> terminated = new ArrayList<>();
        /** Services that registered a power driver. */
        public final List<IOService> powerManaged = new ArrayList<>();

        @Override
        public long newRegistryEntryID() {
            return ids.getAndIncrement();
        }

        @Override
        public IORegistryEntry root() {
            return null;
        }

        @Override
        public IOService resources() {
            return null;
        }

        @Override
        public void registerService(IOService service, int options) {
            service.serviceState().registered = true;
            registered.add(service);
        }

        @Override
        public boolean terminate(IOService service, int options) {
            service.serviceState().inactive = true;
            terminated.add(service);
            return true;
        }

        @Override
        public void publishResource(String key, Object value) {
        }

        @Override
        public int registerPowerDriver(IOService service, IOService driver, IOPMPowerState[] states) {
            powerManaged.add(service);
            return 0;
        }

        @Override
        public void joinPMtree(IOService parent, IOService child) {
        }

        @Override
        public int changePowerStateTo(IOService service, long ordinal) {
            return 0;
        }

        @Override
        public int acknowledgeSetPowerState(IOService service) {
            return 0;
        }

        @Override
        public void PMstop(IOService service) {
        }
    }
}
