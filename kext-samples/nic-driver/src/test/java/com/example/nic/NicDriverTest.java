package com.example.nic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kextkit.hardware.pci.models.NicDevice;
import org.kextkit.harness.iokit.PowerTransition;
import org.kextkit.harness.lifecycle.LoadReport;
import org.kextkit.harness.lifecycle.UnloadReport;
import org.kextkit.kit.iokit.IOReturn;
import org.kextkit.kit.iokit.IOService;
import org.kextkit.samples.testing.SampleKernel;

/** NicDriver.kext, as built, against the NIC of the default machine (PCI slot 2), in virtual time. */
class NicDriverTest {
    private static final String IO_CLASS = "com_example_nic_NicDriver";
    private static final int SLOT = 2;

    /** The driver's client API, as the test calls it. */
    public interface Nic {
        int send(byte[] frame);

        List<byte[]> takeReceivedFrames();

        boolean isLinkUp();

        int transmitsInFlight();

        byte[] macAddress();

        List<Long> powerStateCalls();
    }

    private SampleKernel kernel;
    private IOService driver;
    private Nic nic;

    @BeforeEach
    void bootAndLoad() {
        kernel = SampleKernel.boot(SampleKernel.builtBundle("NicDriver"));
        LoadReport report = kernel.load();
        assertTrue(report.isLoaded(), report.messages() + "\n" + kernel.kernel().logText());
        driver = kernel.awaitDriver(SLOT, IO_CLASS);
        nic = kernel.client(driver, Nic.class);
    }

    @AfterEach
    void shutDown() {
        kernel.close();
        // A clean sample driver gives the runtime checks nothing to report, through unload and shutdown.
        org.junit.jupiter.api.Assertions.assertEquals(java.util.List.of(), kernel.kernel().findings().list());
    }

    private NicDevice device() {
        return kernel.pci().model(SLOT, NicDevice.class);
    }

    private static byte[] frame(int length, int seed) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (seed + i * 13);
        }
        return bytes;
    }

    @SuppressWarnings("unchecked")
    private long statistic(String name) {
        return (Long) ((Map<String, Object>) driver.getProperty(NicDriver.STATISTICS_KEY)).get(name);
    }

    @Test
    void thePersonalityWinsOnTheEthernetNubAndTheDriverPublishesMacAndLink() {
        assertEquals("ethernet", driver.getProvider().getName(), "class 0x020000 names the nub ethernet");
        assertEquals("2", driver.getProvider().getLocation());
        assertArrayEquals(device().macAddress(), nic.macAddress(), "read from MAC_LO/MAC_HI");
        assertArrayEquals(device().macAddress(), (byte[]) driver.getProperty("IOMACAddress"));
        assertTrue(nic.isLinkUp());
        assertEquals(NicDriver.kIONetworkLinkValid | NicDriver.kIONetworkLinkActive, driver.getProperty("IOLinkStatus"));
        assertTrue(kernel.driverOn(1, IO_CLASS).isEmpty(), "the echo engine in slot 1 is not matched");
        assertTrue(kernel.kernel().logText().contains("NicDriver: started on ethernet@2, MAC 02:6b:6b:00:00:01"),
                kernel.kernel().logText());
    }

    @Test
    void sentFramesLeaveTheWireInOrderAndTransmitInterruptsReclaimTheRing() {
        List<byte[]> sent = new ArrayList<>();
        // Twice the ring: the driver's ring fills, transmit interrupts free it, sending goes on.
        for (int i = 0; i < 2 * NicDriver.RING_ENTRIES; i++) {
            byte[] frame = frame(60 + i, i);
            int status;
            while ((status = nic.send(frame)) == IOReturn.kIOReturnNoResources) {
                kernel.advance(Duration.ofNanos(10_000));
            }
            assertEquals(IOReturn.kIOReturnSuccess, status);
            sent.add(frame);
        }
        assertTrue(kernel.runUntil(() -> nic.transmitsInFlight() == 0, Duration.ofMillis(1)));

        List<byte[]> onWire = device().transmittedFrames();
        assertEquals(sent.size(), onWire.size());
        for (int i = 0; i < sent.size(); i++) {
            assertArrayEquals(sent.get(i), onWire.get(i), "frame " + i);
        }
        assertEquals(32L, statistic("FramesSent"));
        assertEquals(IOReturn.kIOReturnBadArgument, nic.send(new byte[NicDriver.BUFFER_SIZE + 1]));
    }

    @Test
    void injectedFramesAreReceivedAndCountedAndBuffersAreRecycled() {
        List<byte[]> injected = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            byte[] frame = frame(64 + i, 100 + i);
            injected.add(frame);
            assertTrue(device().receive(frame), "buffer available for frame " + i);
            kernel.advance(Duration.ofNanos(1_000));
        }

        List<byte[]> received = nic.takeReceivedFrames();
        assertEquals(40, received.size(), "more frames than receive buffers: the driver gave them back");
        for (int i = 0; i < 40; i++) {
            assertArrayEquals(injected.get(i), received.get(i), "frame " + i);
        }
        assertEquals(40L, statistic("FramesReceived"));
        assertEquals(List.of(), nic.takeReceivedFrames(), "taken once");
    }

    @Test
    void linkDownIsNoticedSendingIsRefusedAndLinkUpResumesIt() {
        device().setLinkUp(false);
        kernel.advance(Duration.ofMillis(1));

        assertFalse(nic.isLinkUp());
        assertEquals(NicDriver.kIONetworkLinkValid, driver.getProperty("IOLinkStatus"));
        assertEquals(IOReturn.kIOReturnOffline, nic.send(frame(60, 1)));
        assertTrue(kernel.kernel().logText().contains("NicDriver: link down on ethernet@2"));

        device().setLinkUp(true);
        kernel.advance(Duration.ofMillis(1));
        assertTrue(nic.isLinkUp());
        assertEquals(IOReturn.kIOReturnSuccess, nic.send(frame(60, 2)));
        assertTrue(kernel.runUntil(() -> device().transmittedFrames().size() == 1, Duration.ofMillis(1)));
        assertEquals(2L, statistic("LinkChanges"));
    }

    @Test
    void sleepAndWakeReprogramTheNicAndTrafficFlowsAfterWake() {
        assertTrue(kernel.runUntil(() -> driver.getPowerState() == 1, Duration.ofMillis(10)));
        PowerTransition sleep = kernel.kernel().iokit().systemSleep();
        assertTrue(kernel.runUntil(sleep::isComplete, Duration.ofSeconds(1)));
        assertFalse(device().receive(frame(64, 1)), "the receiver is off while asleep");
        assertEquals(IOReturn.kIOReturnNoDevice, nic.send(frame(60, 1)));

        PowerTransition wake = kernel.kernel().iokit().systemWake();
        assertTrue(kernel.runUntil(wake::isComplete, Duration.ofSeconds(1)));

        assertEquals(List.of(1L, 0L, 1L), nic.powerStateCalls());
        assertTrue(device().receive(frame(64, 2)), "receive buffers given again after D3hot reset the NIC");
        kernel.advance(Duration.ofMillis(1));
        List<byte[]> received = nic.takeReceivedFrames();
        assertEquals(1, received.size());
        assertArrayEquals(frame(64, 2), received.get(0));
        assertEquals(IOReturn.kIOReturnSuccess, nic.send(frame(70, 3)));
        assertTrue(kernel.runUntil(() -> device().transmittedFrames().size() == 1, Duration.ofMillis(1)));
    }

    @Test
    void hotUnplugWhileSendingStopsTheDriverWithNoLeaksAndTheKextUnloads() {
        for (int i = 0; i < 4; i++) {
            assertEquals(IOReturn.kIOReturnSuccess, nic.send(frame(1500, i)));
        }
        assertEquals(4, nic.transmitsInFlight());

        kernel.kernel().iokit().inKernel(() -> kernel.pci().surpriseRemove(SLOT));
        assertTrue(kernel.runUntil(() -> driver.serviceState().finalized, Duration.ofSeconds(1)), kernel.kernel().logText());

        assertTrue(kernel.kernel().logText().contains("NicDriver: device removed; 4 frame(s) were not sent"),
                kernel.kernel().logText());
        assertEquals(List.of(), kernel.liveAllocationsOf("com.example.nic"), "rings and buffers freed");
        assertEquals(IOReturn.kIOReturnNoDevice, nic.send(frame(60, 9)), "a stopped driver refuses");
        UnloadReport unload = kernel.unload();
        assertTrue(unload.isUnloaded(), unload.messages() + "\n" + kernel.kernel().logText());
    }

    @Test
    void unloadingTheKextTerminatesTheDriverFirst() {
        UnloadReport unload = kernel.unload();

        assertTrue(unload.isUnloaded(), unload.messages() + "\n" + kernel.kernel().logText());
        assertTrue(driver.serviceState().finalized);
        assertEquals(List.of(), kernel.liveAllocationsOf("com.example.nic"));
        assertFalse(kernel.pci().function(SLOT, 0).busMasterEnabled());
    }
}
