package com.example.echo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kextkit.hardware.pci.PciFunction;
import org.kextkit.hardware.pci.models.EchoDmaDevice;
import org.kextkit.harness.iokit.PowerTransition;
import org.kextkit.harness.lifecycle.LoadReport;
import org.kextkit.harness.lifecycle.UnloadReport;
import org.kextkit.kit.iokit.IOReturn;
import org.kextkit.kit.iokit.IOService;
import org.kextkit.samples.testing.SampleKernel;

/**
 * EchoDriver.kext, as built, against the echo DMA engine of the default machine (PCI slot 1), in
 * virtual time.
 */
class EchoDriverTest {
    private static final String BUNDLE_ID = "org.kextkit.sample.EchoDriver";
    private static final String IO_CLASS = "com_example_echo_EchoDriver";
    private static final int SLOT = 1;

    /** The driver's client API, as the test calls it. */
    public interface Echo {
        int echo(byte[] data, byte[] result);

        int checksum(byte[] data, int[] crc);

        int echoAsync(byte[] data, BiConsumer<Integer, byte[]> completion);

        int outstandingCommands();

        List<Long> powerStateCalls();
    }

    private SampleKernel kernel;

    @BeforeEach
    void boot() {
        kernel = SampleKernel.boot(SampleKernel.builtBundle("EchoDriver"));
    }

    @AfterEach
    void shutDown() {
        kernel.close();
        // A clean sample driver gives the runtime checks nothing to report, through unload and shutdown.
        org.junit.jupiter.api.Assertions.assertEquals(java.util.List.of(), kernel.kernel().findings().list());
    }

    private IOService loadAndStart() {
        LoadReport report = kernel.load();
        assertTrue(report.isLoaded(), report.messages() + "\n" + kernel.kernel().logText());
        return kernel.awaitDriver(SLOT, IO_CLASS);
    }

    private EchoDmaDevice engine() {
        return kernel.pci().model(SLOT, EchoDmaDevice.class);
    }

    private static byte[] pattern(int length, int seed) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (i * 31 + seed);
        }
        return bytes;
    }

    private static int crc32(byte[] data) {
        CRC32 crc = new CRC32();
        crc.update(data);
        return (int) crc.getValue();
    }

    @Test
    void thePersonalityWinsOnTheEchoEngineAndTheDriverStartsWithADmaSelfTest() {
        IOService driver = loadAndStart();

        IOService nub = driver.getProvider();
        assertEquals("IOPCIDevice", nub.getMetaClassName());
        assertEquals("1", nub.getLocation(), "the echo engine is in slot 1 of the default machine");
        assertEquals(BUNDLE_ID, driver.getProperty("CFBundleIdentifier"));
        assertEquals("0x0ed11234", driver.getProperty("IOPCIMatch"));
        assertTrue(kernel.driverOn(2, IO_CLASS).isEmpty(), "the NIC in slot 2 is not matched");
        String log = kernel.kernel().logText();
        assertTrue(log.contains("EchoDriver: DMA self-test passed: echoed 64 bytes through the engine and back"), log);
        assertEquals(2, engine().completedCommands(), "the self-test's copy and checksum ran on the engine");

        PciFunction function = kernel.pci().function(SLOT, 0);
        assertTrue(function.busMasterEnabled(), "bus mastering on for DMA");
        assertTrue(function.memoryEnabled(), "memory decoding on for BAR 0");
        assertTrue(function.msiEnabled(), "the driver chose the MSI source");
    }

    @Test
    void copiesRoundTripThroughDmaAndChecksumsMatchCrc32() {
        Echo echo = kernel.client(loadAndStart(), Echo.class);

        for (int length : new int[] {1, 100, 4096, 10_000}) {
            byte[] data = pattern(length, length);
            byte[] back = new byte[length];
            assertEquals(IOReturn.kIOReturnSuccess, echo.echo(data, back), "echo of " + length + " bytes");
            assertArrayEquals(data, back, "bytes came back through the engine for length " + length);
            int[] crc = new int[1];
            assertEquals(IOReturn.kIOReturnSuccess, echo.checksum(data, crc));
            assertEquals(crc32(data), crc[0], "CRC-32 of " + length + " bytes");
        }
        assertEquals(IOReturn.kIOReturnBadArgument, echo.echo(new byte[0], new byte[0]), "an empty transfer is refused");
        assertEquals(IOReturn.kIOReturnBadArgument, echo.echo(new byte[8], new byte[4]), "the result must fit");
    }

    @Test
    void completionsArriveOnTheWorkLoopFromInterruptsAndTheRingWrapsAround() {
        IOService driver = loadAndStart();
        Echo echo = kernel.client(driver, Echo.class);
        List<byte[]> sent = new ArrayList<>();
        List<byte[]> received = new ArrayList<>();
        List<Boolean> onWorkLoop = new ArrayList<>();

        // More than the ring holds, so some wait in the driver's queue and go in as slots free up.
        for (int i = 0; i < 40; i++) {
            byte[] data = pattern(256, i);
            sent.add(data);
            assertEquals(IOReturn.kIOReturnSuccess, echo.echoAsync(data, (status, bytes) -> {
                assertEquals(IOReturn.kIOReturnSuccess, status);
                onWorkLoop.add(driver.getWorkLoop().onThread());
                received.add(bytes);
            }));
        }
        assertTrue(kernel.runUntil(() -> received.size() == 40, Duration.ofMillis(10)), "all 40 completed");

        for (int i = 0; i < 40; i++) {
            assertArrayEquals(sent.get(i), received.get(i), "completion " + i + " in submission order");
        }
        assertTrue(onWorkLoop.stream().allMatch(b -> b), "every completion ran on the driver's work-loop thread");
        @SuppressWarnings("unchecked")
        Map<String, Object> statistics = (Map<String, Object>) driver.getProperty(EchoDriver.STATISTICS_KEY);
        assertEquals(42L, statistics.get("CommandsCompleted"), "40 copies and the self-test's two commands");
        long interrupts = (Long) statistics.get("Interrupts");
        assertTrue(interrupts >= 3 && interrupts <= 42, "interrupts handled: " + interrupts);
        assertEquals(0, echo.outstandingCommands());
    }

    @Test
    void theWatchdogFailsAStalledCommandAndTheEngineServesTheNextOne() {
        Echo echo = kernel.client(loadAndStart(), Echo.class);
        // Tell the engine to take about two seconds per command: it looks hung to the driver.
        kernel.pci().function(SLOT, 0).barRegisters(0).write32(EchoRegisters.LATENCY_NS, 0x7FFF_FFFF);
        List<Integer> statuses = new ArrayList<>();
        long before = kernel.clock().nanoTime();

        assertEquals(IOReturn.kIOReturnSuccess, echo.echoAsync(pattern(32, 1), (status, bytes) -> statuses.add(status)));
        assertTrue(kernel.runUntil(() -> !statuses.isEmpty(), Duration.ofSeconds(1)));

        assertEquals(List.of(IOReturn.kIOReturnTimeout), statuses);
        long waited = kernel.clock().nanoTime() - before;
        assertTrue(waited >= 100_000_000L && waited < 200_000_000L, "fired after the 100 ms interval: " + waited + " ns");
        assertTrue(kernel.kernel().logText().contains("made no progress for 100 ms"), kernel.kernel().logText());
        // The reset restored the engine's normal latency.
        byte[] back = new byte[16];
        assertEquals(IOReturn.kIOReturnSuccess, echo.echo(pattern(16, 2), back));
        assertArrayEquals(pattern(16, 2), back);
    }

    @Test
    void sleepAndWakeCallSetPowerStateInOrderAndIoWorksAfterWake() {
        IOService driver = loadAndStart();
        Echo echo = kernel.client(driver, Echo.class);
        assertTrue(kernel.runUntil(() -> driver.getPowerState() == 1, Duration.ofMillis(10)), "initial power state");

        PowerTransition sleep = kernel.kernel().iokit().systemSleep();
        assertTrue(kernel.runUntil(sleep::isComplete, Duration.ofSeconds(1)), sleep.toString());
        List<PowerTransition.Change> sleeps = sleep.changes();
        int driverSleeps = indexOf(sleeps, IO_CLASS, 0);
        int nubSleeps = indexOf(sleeps, "IOPCIDevice", 0);
        assertTrue(driverSleeps >= 0 && nubSleeps > driverSleeps, "the driver sleeps before its nub: " + sleeps);
        assertEquals(0, driver.getPowerState());
        // Queued while asleep: held by the driver, sent after wake.
        List<byte[]> whileAsleep = new ArrayList<>();
        assertEquals(IOReturn.kIOReturnSuccess, echo.echoAsync(pattern(48, 9), (status, bytes) -> whileAsleep.add(bytes)));
        kernel.advance(Duration.ofMillis(500));
        assertTrue(whileAsleep.isEmpty(), "nothing reaches the engine while it sleeps");

        PowerTransition wake = kernel.kernel().iokit().systemWake();
        assertTrue(kernel.runUntil(() -> wake.isComplete() && whileAsleep.size() == 1, Duration.ofSeconds(1)), wake.toString());
        List<PowerTransition.Change> wakes = wake.changes();
        assertTrue(indexOf(wakes, "IOPCIDevice", 1) < indexOf(wakes, IO_CLASS, 1), "the nub wakes first: " + wakes);
        assertEquals(List.of(1L, 0L, 1L), echo.powerStateCalls(), "initial, sleep, wake");
        assertArrayEquals(pattern(48, 9), whileAsleep.get(0), "the held command ran after wake");

        byte[] back = new byte[100];
        assertEquals(IOReturn.kIOReturnSuccess, echo.echo(pattern(100, 3), back), "the engine was re-initialised after D3hot");
        assertArrayEquals(pattern(100, 3), back);
    }

    private static int indexOf(List<PowerTransition.Change> changes, String driverClass, long to) {
        for (int i = 0; i < changes.size(); i++) {
            if (changes.get(i).driverClass().equals(driverClass) && changes.get(i).to() == to) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void hotUnplugWithACommandInFlightFailsItStopsTheDriverCleanlyAndTheKextUnloads() {
        IOService driver = loadAndStart();
        Echo echo = kernel.client(driver, Echo.class);
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            assertEquals(IOReturn.kIOReturnSuccess, echo.echoAsync(pattern(512, i), (status, bytes) -> statuses.add(status)));
        }
        assertEquals(3, echo.outstandingCommands(), "in flight when the device goes");

        kernel.kernel().iokit().inKernel(() -> kernel.pci().surpriseRemove(SLOT));
        assertTrue(kernel.runUntil(() -> driver.serviceState().finalized, Duration.ofSeconds(1)), kernel.kernel().logText());

        assertEquals(List.of(IOReturn.kIOReturnNoDevice, IOReturn.kIOReturnNoDevice, IOReturn.kIOReturnNoDevice), statuses);
        String log = kernel.kernel().logText();
        assertTrue(log.contains("EchoDriver: device removed with 3 command(s) in flight"), log);
        assertTrue(log.contains("EchoDriver: stopping on pci1234,ed1@1"), log);
        assertEquals(List.of(), kernel.liveAllocationsOf("com.example.echo"), "no DMA buffer, ring or lock left behind");
        assertTrue(kernel.driverOn(SLOT, IO_CLASS).isEmpty());
        assertFalse(kernel.kernel().hasPanicked());

        UnloadReport unload = kernel.unload();
        assertTrue(unload.isUnloaded(), unload.messages() + "\n" + kernel.kernel().logText());
    }

    @Test
    void unloadingTheKextTerminatesTheDriverFirst() {
        IOService driver = loadAndStart();
        Echo echo = kernel.client(driver, Echo.class);
        byte[] back = new byte[8];
        assertEquals(IOReturn.kIOReturnSuccess, echo.echo(pattern(8, 5), back));

        UnloadReport unload = kernel.unload();

        assertTrue(unload.isUnloaded(), unload.messages() + "\n" + kernel.kernel().logText());
        assertTrue(driver.serviceState().finalized, "terminated before the kext went");
        assertTrue(kernel.kernel().logText().contains("EchoDriver: stopping on pci1234,ed1@1 after 3 command(s), 0 failed"),
                kernel.kernel().logText());
        assertEquals(List.of(), kernel.liveAllocationsOf("com.example.echo"));
        assertFalse(kernel.pci().function(SLOT, 0).busMasterEnabled(), "stop turned bus mastering off");
        assertNotNull(kernel.nubOf(SLOT).orElse(null), "the device itself stays");
    }
}
