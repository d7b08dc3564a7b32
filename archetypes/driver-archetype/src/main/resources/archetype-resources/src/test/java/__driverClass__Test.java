package ${package};

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kextkit.junit.Driver;
import org.kextkit.junit.KernelExtension;
import org.kextkit.junit.KextKernel;
import org.kextkit.kit.iokit.IOReturn;
import org.kextkit.kit.iokit.IOService;

/**
 * ${driverClass} straight from the build output (target/classes and target/kext/Info.plist), in a
 * hosted kernel of its own per test, against the simulated device in PCI slot 3. After each test
 * the kext is unloaded and the test fails if the checkers found anything: a lock still held, memory
 * left allocated, a timer left armed, ...
 */
class ${driverClass}Test {
    /** The PCI slot the simulated device is plugged into. */
    static final int SLOT = 3;

    @RegisterExtension
    static final KernelExtension KERNEL = KernelExtension.builder()
            .pciDevice(SLOT, ${driverClass}Device::new)
            .build();

    /**
     * The driver's methods the tests call. The driver's class is loaded by the kernel's own kext class
     * loader, so the test cannot use it directly; kextkit forwards these calls to it by name, entering
     * the kernel as a kernel thread would.
     */
    public interface Api {
        int ring(int value);

        int counter();

        long interruptsHandled();
    }

    @Test
    void theDriverMatchesAndStartsOnItsDevice(@Driver IOService driver, KextKernel kernel) {
        assertEquals(String.valueOf(SLOT), driver.getProvider().getLocation());
        assertTrue(kernel.log().contains("${driverClass}: started on"), kernel.log());
        assertTrue(kernel.ioreg().contains("${package.replace('.', '_')}_${driverClass}"), kernel.ioreg());
    }

    @Test
    void aDoorbellReachesTheDeviceAndItsInterruptTheDriver(@Driver Api driver, ${driverClass}Device device, KextKernel kernel) {
        assertEquals(IOReturn.kIOReturnSuccess, driver.ring(5));
        assertEquals(IOReturn.kIOReturnSuccess, driver.ring(7));

        assertTrue(kernel.runUntil(() -> driver.interruptsHandled() >= 1 && driver.counter() == 12, Duration.ofMillis(10)),
                kernel.log());
        assertEquals(2, device.doorbellsRung());
        assertEquals(12, driver.counter());
    }

    @Test
    void unpluggingTheDeviceStopsTheDriverCleanly(@Driver IOService driver, KextKernel kernel) {
        kernel.runInKernel(() -> kernel.pci().surpriseRemove(SLOT));

        assertTrue(kernel.runUntil(() -> driver.serviceState().finalized, Duration.ofSeconds(1)), kernel.log());
        assertEquals(List.of(), kernel.drivers());
        assertEquals(List.of(), kernel.findings(), "nothing left behind");
    }
}
