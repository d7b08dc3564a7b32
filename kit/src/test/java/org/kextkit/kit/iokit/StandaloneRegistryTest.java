package org.kextkit.kit.iokit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.kextkit.kit.libkern.SInt32;

/** A driver unit-tested with no kernel: hand-built providers, the standalone registry. */
class StandaloneRegistryTest {
    /** Records every lifecycle call it receives as "name.method(provider)". */
    static class Recorder extends IOService {
        final List<String> calls;
        final String label;
        boolean deferTermination;

        Recorder(String label, List<String> calls) {
            this.label = label;
            this.calls = calls;
            setName(label);
        }

        @Override
        public boolean start(IOService provider) {
            calls.add(label + ".start(" + provider.getName() + ")");
            serviceState().started = true;
            return super.start(provider);
        }

        @Override
        public void stop(IOService provider) {
            calls.add(label + ".stop(" + provider.getName() + ")");
            super.stop(provider);
        }

        @Override
        public int message(int type, IOService provider, Object argument) {
            if (type == kIOMessageServiceIsTerminated) {
                calls.add(label + ".message(isTerminated, " + provider.getName() + ")");
            }
            return IOReturn.kIOReturnSuccess;
        }

        @Override
        public boolean willTerminate(IOService provider, int options) {
            calls.add(label + ".willTerminate(" + provider.getName() + ")");
            return super.willTerminate(provider, options);
        }

        @Override
        public boolean didTerminate(IOService provider, int options, boolean[] defer) {
            calls.add(label + ".didTerminate(" + provider.getName() + ")");
            if (deferTermination) {
                defer[0] = true;
                return true;
            }
            return super.didTerminate(provider, options, defer);
        }

        @Override
        public void detach(IOService provider) {
            calls.add(label + ".detach(" + provider.getName() + ")");
            super.detach(provider);
        }

        @Override
        protected void free() {
            calls.add(label + ".free");
            super.free();
        }
    }

    /** Build root <- nub <- driver <- child, each driver started, as matching would leave them. */
    private static Recorder[] stack(List<String> calls) {
        Recorder nub = new Recorder("nub", calls);
        Recorder driver = new Recorder("driver", calls);
        Recorder child = new Recorder("child", calls);
        nub.attachToParent(nub.host().root(), IORegistryEntry.gIOServicePlane);
        nub.release();
        for (Recorder[] pair : new Recorder[][] {{driver, nub}, {child, driver}}) {
            pair[0].attach(pair[1]);
            pair[0].serviceState().bundleIdentifier = "com.example.driver";
            pair[0].start(pair[1]);
            pair[0].release();
        }
        calls.clear();
        return new Recorder[] {nub, driver, child};
    }

    @Test
    void registryEntryIdsAreUniqueAndInIoregsRange() {
        IORegistryEntry first = new IORegistryEntry();
        IORegistryEntry second = new IORegistryEntry();
        assertTrue(first.getRegistryEntryID() >= 0x100000100L);
        assertTrue(second.getRegistryEntryID() > first.getRegistryEntryID());
        assertEquals("Root", first.host().root().getName());
    }

    @Test
    void registerServiceMarksRegisteredWithoutMatching() {
        Recorder nub = new Recorder("nub", new ArrayList<>());
        nub.registerService();
        assertTrue(nub.serviceState().registered);
        assertFalse(nub.serviceState().matched);
        assertTrue(nub.getClients().isEmpty());
    }

    @Test
    void terminationMessagesTopDownNotifiesAndStopsLeafFirstThenFrees() {
        List<String> calls = new ArrayList<>();
        Recorder[] s = stack(calls);

        assertTrue(s[0].terminate(IOService.kIOServiceSynchronous));

        assertEquals(List.of(
                "driver.message(isTerminated, nub)",
                "child.message(isTerminated, driver)",
                "driver.willTerminate(nub)",
                "child.willTerminate(driver)",
                "child.didTerminate(driver)",
                "driver.didTerminate(nub)",
                "child.stop(driver)",
                "child.detach(driver)",
                "child.free",
                "driver.stop(nub)",
                "driver.detach(nub)",
                "driver.free",
                "nub.free"), calls);
        assertTrue(s[0].isInactive() && s[1].isInactive() && s[2].isInactive());
        assertFalse(s[0].host().root().isChild(s[0], IORegistryEntry.gIOServicePlane));
    }

    @Test
    void aDeferredDidTerminateHoldsTheStopUntilTheDriverCallsTheBaseImplementation() {
        List<String> calls = new ArrayList<>();
        Recorder[] s = stack(calls);
        s[2].deferTermination = true;

        s[0].terminate();

        assertFalse(calls.contains("child.stop(driver)"), "the child deferred, so nothing below it may stop yet");
        assertFalse(calls.contains("driver.stop(nub)"), "leaf first: the driver waits for its client");
        calls.clear();
        s[2].deferTermination = false;
        s[2].didTerminate(s[1], 0, new boolean[1]);
        assertEquals(List.of("child.didTerminate(driver)", "child.stop(driver)", "child.detach(driver)", "child.free",
                "driver.stop(nub)", "driver.detach(nub)", "driver.free", "nub.free"), calls);
    }

    @Test
    void anOpenProviderRefusesTerminationUnlessRequired() {
        List<String> calls = new ArrayList<>();
        Recorder[] s = stack(calls);
        assertTrue(s[1].open(s[2]));

        assertFalse(s[1].terminate(0), "a client has the driver open");
        assertFalse(s[1].isInactive());

        assertTrue(s[1].terminate(IOService.kIOServiceRequired));
        assertTrue(calls.contains("child.stop(driver)"), "forced termination closes and stops the opener: " + calls);
        assertFalse(s[1].isOpen(null));
    }

    @Test
    void aDriverCanAttachToAndStartOnAMockedProvider() {
        IOService provider = mock(IOService.class);
        when(provider.getName()).thenReturn("pci-nub");
        when(provider.getProperty("vendor-id")).thenReturn(0x8086);
        IOService driver = new IOService() {
            @Override
            public boolean start(IOService nub) {
                return super.start(nub) && Integer.valueOf(0x8086).equals(nub.getProperty("vendor-id"));
            }
        };

        assertTrue(driver.attach(provider));
        assertSame(provider, driver.getProvider());
        assertTrue(driver.start(provider));
        verify(provider).getProperty("vendor-id");
        driver.detach(provider);
        assertNull(driver.getProvider());
    }

    @Test
    void probeDefaultKeepsTheScoreAndReturnsTheDriver() {
        IOService driver = new IOService();
        SInt32 score = new SInt32(1000);
        assertSame(driver, driver.probe(new IOService(), score));
        assertEquals(1000, score.value);
    }

    @Test
    void powerChangesReachTheDriversSetPowerState() {
        List<Long> states = new ArrayList<>();
        IOService driver = new IOService() {
            @Override
            public int setPowerState(long ordinal, IOService device) {
                states.add(ordinal);
                return kIOPMAckImplied;
            }
        };
        IOPMPowerState[] table = {
            new IOPMPowerState(1, 0, 0, 0),
            new IOPMPowerState(1, IOPMPowerState.kIOPMPowerOn | IOPMPowerState.kIOPMDeviceUsable, IOPMPowerState.kIOPMPowerOn,
                    IOPMPowerState.kIOPMPowerOn)};
        assertEquals(IOReturn.kIOReturnSuccess, driver.registerPowerDriver(driver, table, 2));
        assertEquals(1, driver.getPowerState());
        assertEquals(IOReturn.kIOReturnSuccess, driver.changePowerStateTo(0));
        assertEquals(List.of(0L), states);
        assertEquals(0, driver.getPowerState());
        assertEquals(IOReturn.kIOReturnBadArgument, driver.changePowerStateTo(2));
    }

    @Test
    void resourcesMatchOnlyPublishedResources() {
        IOService resources = IOService.getResourceService();
        SInt32 score = new SInt32(0);
        assertTrue(resources.matchPropertyTable(Map.of("IOResourceMatch", "IOKit"), score));
        assertFalse(resources.matchPropertyTable(Map.of("IOResourceMatch", "com.example.NeverPublished"), score));
        IOService.publishResource("com.example.Published", null);
        assertTrue(resources.matchPropertyTable(Map.of("IOResourceMatch", List.of("IOKit", "com.example.Published")), score));
    }
}
