package org.kextkit.harness.iokit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kextkit.kit.iokit.IOPMPowerState;
import org.kextkit.kit.iokit.IORegistryEntry;
import org.kextkit.kit.iokit.IOService;

/** Termination, power management and system sleep/wake in a kernel's registry. */
class IOKitKernelLifecycleTest {
    TestRegistry r;

    @BeforeEach
    void setUp() {
        Drivers.CALLS.clear();
        r = new TestRegistry();
    }

    @Test
    void terminatingANubTerminatesItsDriverLeafFirstAndFreesIt() {
        r.personality("Driver", "Label", "driver");
        Drivers.Nub nub = r.publishNub("nub", 0);
        IOService driver = nub.getClient();
        Drivers.CALLS.clear();

        assertTrue(nub.terminate(IOService.kIOServiceSynchronous));

        assertEquals(List.of("driver.willTerminate", "driver.didTerminate", "driver.stop", "driver.detach", "driver.free"),
                Drivers.CALLS);
        assertTrue(driver.isInactive());
        assertFalse(driver.serviceState().started);
        assertTrue(nub.serviceState().finalized);
        assertFalse(r.iokit.platformExpert().isChild(nub, IORegistryEntry.gIOServicePlane), "the nub left the registry");
        assertTrue(r.iokit.lastMatching(nub).isEmpty(), "the kernel forgets a terminated nub");
    }

    @Test
    void asynchronousTerminationRunsPhaseTwoOnAKernelThread() {
        r.personality("Driver", "Label", "driver");
        Drivers.Nub nub = r.publishNub("nub", 0);
        Drivers.CALLS.clear();
        r.scheduler.scheduleCallout("terminator", 0, org.kextkit.kit.internal.ExecutionContext.THREAD, () -> {
            assertTrue(nub.terminate());
            assertTrue(nub.isInactive(), "phase 1 runs on the caller");
            assertTrue(Drivers.CALLS.isEmpty(), "phase 2 waits for the terminate thread");
        });
        assertEquals("driver.free", Drivers.CALLS.get(Drivers.CALLS.size() - 1));
    }

    @Test
    void aDriverThatHasItsNubOpenBlocksTerminationUnlessRequired() {
        r.personality("Driver", "Label", "driver");
        Drivers.Nub nub = r.publishNub("nub", 0);
        IOService driver = nub.getClient();
        assertTrue(nub.open(driver));

        assertFalse(nub.terminate(IOService.kIOServiceSynchronous));
        assertFalse(nub.isInactive());
        assertTrue(r.log.stream().anyMatch(l -> l.startsWith("Can't terminate nub <class Nub>: it is open by a client (Recording")),
                String.join("\n", r.log));

        assertTrue(nub.terminate(IOService.kIOServiceRequired | IOService.kIOServiceSynchronous));
        assertTrue(Drivers.CALLS.contains("driver.stop"));
        assertFalse(nub.isOpen(null), "the kernel closes what a stopped client left open");
    }

    @Test
    void terminateDriversOfAKextTerminatesOnlyItsServices() {
        r.personality("Driver", "Label", "driver");
        Drivers.Nub nub = r.publishNub("nub", 0);

        assertTrue(r.iokit.terminateDriversOf(TestRegistry.BUNDLE));

        assertTrue(nub.getClients().isEmpty());
        assertFalse(nub.isInactive(), "the nub belongs to no kext and stays");
        assertEquals(1, r.iokit.terminateInstancesOf("Nub"));
        assertTrue(nub.isInactive());
    }

    /** A power driver that records its setPowerState calls and answers as told. */
    static final class PowerDriver extends IOService {
        final List<String> calls;
        final String label;
        int answer = kIOPMAckImplied;

        PowerDriver(String label, List<String> calls) {
            this.label = label;
            this.calls = calls;
            setName(label);
        }

        @Override
        public int setPowerState(long ordinal, IOService device) {
            calls.add(label + "->" + ordinal);
            return answer;
        }
    }

    private static final IOPMPowerState[] TWO_STATES = {
        new IOPMPowerState(1, 0, 0, 0),
        new IOPMPowerState(1, IOPMPowerState.kIOPMPowerOn | IOPMPowerState.kIOPMDeviceUsable, IOPMPowerState.kIOPMPowerOn,
                IOPMPowerState.kIOPMPowerOn)};

    private PowerDriver powerDriver(String label, IOService parent, List<String> calls) {
        return r.inKernel(() -> {
            PowerDriver d = new PowerDriver(label, calls);
            d.attach(parent);
            d.release();
            d.PMinit();
            parent.joinPMtree(d);
            d.registerPowerDriver(d, TWO_STATES, 2);
            return d;
        });
    }

    @Test
    void registeringAPowerDriverRaisesTheDeviceToItsHighestStateAndJoinsTheIOPowerPlane() {
        List<String> calls = new ArrayList<>();
        PowerDriver bus = powerDriver("bus", r.iokit.platformExpert(), calls);

        assertEquals(List.of("bus->1"), calls);
        assertEquals(1, bus.getPowerState());
        IORegistryEntry connection = bus.getParentEntry(IORegistryEntry.gIOPowerPlane);
        assertEquals("IOPowerConnection", connection.getMetaClassName());
        assertEquals(r.iokit.platformExpert(), connection.getParentEntry(IORegistryEntry.gIOPowerPlane));
    }

    @Test
    void systemSleepGoesLeafFirstAndWakeRootFirst() {
        List<String> calls = new ArrayList<>();
        PowerDriver bus = powerDriver("bus", r.iokit.platformExpert(), calls);
        PowerDriver device = powerDriver("device", bus, calls);
        PowerDriver function = powerDriver("function", device, calls);
        calls.clear();

        PowerTransition sleep = r.iokit.systemSleep();
        assertTrue(sleep.isComplete());
        assertEquals(List.of("function->0", "device->0", "bus->0"), calls);
        assertEquals(0, bus.getPowerState());
        calls.clear();

        PowerTransition wake = r.iokit.systemWake();
        assertTrue(wake.isComplete());
        assertEquals(List.of("bus->1", "device->1", "function->1"), calls);
        assertEquals(PowerTransition.Ending.ACK_IMPLIED, wake.changes().get(0).ending());
        assertEquals(1, function.getPowerState());
    }

    @Test
    void aDriverThatNeverAcknowledgesIsLoggedAfterTheTimeItGaveAndTheSequenceGoesOn() {
        List<String> calls = new ArrayList<>();
        PowerDriver bus = powerDriver("bus", r.iokit.platformExpert(), calls);
        PowerDriver slow = powerDriver("slow", bus, calls);
        slow.answer = 250_000; // microseconds
        calls.clear();

        PowerTransition sleep = r.iokit.systemSleep();

        assertEquals(List.of("slow->0"), calls, "the parent waits for the child's acknowledgement");
        assertFalse(sleep.isComplete());
        r.scheduler.advanceBy(249_000_000L);
        assertFalse(sleep.isComplete());
        r.scheduler.advanceBy(1_000_000L);
        assertTrue(sleep.isComplete());
        assertEquals(List.of("slow->0", "bus->0"), calls);
        assertTrue(r.log.contains("PowerDriver::setPowerState(0x" + Long.toHexString(slow.getRegistryEntryID())
                + ", 1 -> 0) timed out after 250 ms"), String.join("\n", r.log));
        assertEquals(PowerTransition.Ending.TIMED_OUT, sleep.changes().get(0).ending());
    }

    @Test
    void anAcknowledgementInTimeLetsTheNextChangeGoOn() {
        List<String> calls = new ArrayList<>();
        PowerDriver bus = powerDriver("bus", r.iokit.platformExpert(), calls);
        PowerDriver slow = powerDriver("slow", bus, calls);
        slow.answer = 1_000_000;
        calls.clear();

        PowerTransition sleep = r.iokit.systemSleep();
        r.scheduler.advanceBy(10_000_000L);
        slow.acknowledgeSetPowerState();

        assertTrue(sleep.isComplete());
        assertEquals(List.of("slow->0", "bus->0"), calls);
        assertEquals(PowerTransition.Ending.ACKNOWLEDGED, sleep.changes().get(0).ending());
        assertTrue(r.log.stream().noneMatch(l -> l.contains("timed out")));
    }

    @Test
    void pmStopLeavesThePowerTree() {
        List<String> calls = new ArrayList<>();
        PowerDriver bus = powerDriver("bus", r.iokit.platformExpert(), calls);
        bus.PMstop();
        assertEquals(-1, bus.getPowerState());
        assertNull(bus.getParentEntry(IORegistryEntry.gIOPowerPlane));
        calls.clear();
        assertTrue(r.iokit.systemSleep().isComplete());
        assertTrue(calls.isEmpty());
    }

    @Test
    void servicesAreFoundByPathNameLocationOrId() {
        Drivers.Nub nub = r.publishNub("ethernet", 0);
        nub.setLocation("1");

        assertEquals(nub, r.iokit.findService("IOService:/SimMachine/ethernet@1").service());
        assertEquals(nub, r.iokit.findService("/SimMachine/ethernet@1").service());
        assertEquals(nub, r.iokit.findService("ethernet@1").service());
        assertEquals(nub, r.iokit.findService("ethernet").service());
        assertEquals(nub, r.iokit.findService("0x" + Long.toHexString(nub.getRegistryEntryID())).service());
        assertEquals("no service in the registry is named wifi", r.iokit.findService("wifi").error());
    }
}
