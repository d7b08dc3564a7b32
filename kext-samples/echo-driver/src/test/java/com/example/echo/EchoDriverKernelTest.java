package com.example.echo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import org.kextkit.hardware.pci.models.EchoDmaDevice;
import org.kextkit.junit.Driver;
import org.kextkit.junit.KernelTest;
import org.kextkit.junit.KextKernel;
import org.kextkit.kit.iokit.IOReturn;
import org.kextkit.kit.iokit.IOService;

/**
 * EchoDriver straight from the build output (target/classes and target/kext/Info.plist) against the
 * simulated echo DMA engine of the default machine, one hosted kernel per test; the extension fails a
 * test if the checkers find a leak, a lock held or anything else when the kext unloads.
 */
@KernelTest
class EchoDriverKernelTest {
    /** The driver's client API as the test calls it; forwarded by name to the kernel's copy of the driver. */
    public interface Echo {
        int echo(byte[] data, byte[] result);

        int echoAsync(byte[] data, BiConsumer<Integer, byte[]> completion);

        int outstandingCommands();
    }

    private static byte[] pattern(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (i * 7 + 3);
        }
        return bytes;
    }

    @Test
    void theDriverStartsOnTheEchoEngineAfterItsDmaSelfTest(@Driver IOService driver, EchoDmaDevice engine, KextKernel kernel) {
        assertEquals("1", driver.getProvider().getLocation(), "the echo engine is in slot 1 of the default machine");
        assertEquals(2, engine.completedCommands(), "the self-test's copy and checksum ran on the engine");
        assertTrue(kernel.log().contains("EchoDriver: DMA self-test passed"), kernel.log());
        assertTrue(kernel.ioreg().contains("com_example_echo_EchoDriver"), kernel.ioreg());
    }

    @Test
    void bytesRoundTripThroughTheEngine(@Driver Echo echo, EchoDmaDevice engine) {
        byte[] data = pattern(4096);
        byte[] back = new byte[data.length];

        assertEquals(IOReturn.kIOReturnSuccess, echo.echo(data, back));

        assertArrayEquals(data, back);
        assertEquals(3, engine.completedCommands());
    }

    @Test
    void aStalledCommandTimesOutAfterTheWatchdogIntervalOfKernelTime(@Driver Echo echo, KextKernel kernel) {
        // About two seconds per command: the driver's 100 ms watchdog gives up first.
        kernel.pci().function(1, 0).barRegisters(0).write32(EchoRegisters.LATENCY_NS, 0x7FFF_FFFF);
        List<Integer> statuses = new ArrayList<>();
        long before = kernel.nanoTime();

        assertEquals(IOReturn.kIOReturnSuccess, echo.echoAsync(pattern(32), (status, bytes) -> statuses.add(status)));
        kernel.advance(Duration.ofMillis(99));
        assertEquals(List.of(), statuses, "still waiting before the interval");
        assertTrue(kernel.runUntil(() -> !statuses.isEmpty(), Duration.ofSeconds(1)));

        assertEquals(List.of(IOReturn.kIOReturnTimeout), statuses);
        assertTrue(kernel.nanoTime() - before >= 100_000_000L, "the watchdog fired after 100 ms of kernel time");
        assertEquals(0, echo.outstandingCommands());
    }

    @Test
    void surpriseRemovalStopsTheDriverCleanly(@Driver IOService driver, KextKernel kernel) {
        kernel.runInKernel(() -> kernel.pci().surpriseRemove(1));

        assertTrue(kernel.runUntil(() -> driver.serviceState().finalized, Duration.ofSeconds(1)), kernel.log());
        assertEquals(List.of(), kernel.drivers());
        assertEquals(List.of(), kernel.findings(), "nothing left behind; the extension checks again at unload");
    }
}
