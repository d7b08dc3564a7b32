package org.kextkit.harness.iokit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kextkit.kit.iokit.IORegistryEntry;
import org.kextkit.kit.iokit.IOService;

/** Matching, probe and start as IOService::probeCandidates does them. */
class IOKitKernelMatchingTest {
    TestRegistry r;

    @BeforeEach
    void setUp() {
        Drivers.CALLS.clear();
        r = new TestRegistry();
    }

    private static List<String> started(IOService nub) {
        return nub.getClients().stream().filter(c -> c.serviceState().started).map(c -> (String) c.getProperty("Label"))
                .collect(Collectors.toList());
    }

    private static List<MatchOutcome.Result> results(List<MatchOutcome> outcomes) {
        return outcomes.stream().map(MatchOutcome::result).collect(Collectors.toList());
    }

    @Test
    void theRegistryStartsWithRootPlatformAndResourcesWithIoregsIds() {
        IORegistryEntry root = r.iokit.root();
        assertEquals("Root", root.getName());
        assertEquals(IOKitKernel.FIRST_REGISTRY_ENTRY_ID, root.getRegistryEntryID());
        assertEquals("SimMachine", r.iokit.platformExpert().getName());
        assertEquals("kextkit1,1", r.iokit.platformExpert().getProperty("model"));
        assertEquals(List.of("SimMachine", "IOResources"),
                root.getChildEntries(IORegistryEntry.gIOServicePlane).stream().map(IORegistryEntry::getName).toList());
        assertTrue(r.iokit.resources().hasProperty("IOKit"));
        assertTrue(r.iokit.platformExpert().serviceState().registered);
        assertTrue(r.iokit.platformExpert().serviceState().matched);
    }

    @Test
    void aDriverIsInitialisedAttachedProbedDetachedThenAttachedAndStarted() {
        r.personality("Only", "Label", "only", "IOProbeScore", 100);

        Drivers.Nub nub = r.publishNub("nub", 0);

        assertEquals(List.of("only.init", "only.attach", "only.probe", "only.detach", "only.attach", "only.start"), Drivers.CALLS);
        IOService driver = nub.getClient();
        assertTrue(driver.serviceState().started);
        assertEquals(TestRegistry.BUNDLE, driver.serviceState().bundleIdentifier);
        assertEquals("IODefaultMatchCategory", driver.getProperty("IOMatchCategory"), "the default category is written out");
        assertEquals(TestRegistry.BUNDLE, driver.getProperty("CFBundleIdentifier"));
        assertEquals(100L, driver.getProperty("IOProbeScore"));
        assertTrue(nub.serviceState().matched);
        assertEquals(1, driver.getRetainCount(), "only the registry's link holds a started driver");
        assertEquals(List.of(TestRegistry.BUNDLE), r.loadRequests, "the owning kext is loaded on demand");
    }

    @Test
    void theHighestScoreAfterProbeWinsItsCategoryAndOtherCategoriesStartToo() {
        r.personality("Low", "Label", "low", "IOProbeScore", 100, "NewScore", 900);
        r.personality("High", "Label", "high", "IOProbeScore", 500);
        r.personality("Own", "Label", "own", "IOProbeScore", 1, "IOMatchCategory", "OwnCategory");

        Drivers.Nub nub = r.publishNub("nub", 0);

        assertEquals(List.of("low", "own"), started(nub).stream().sorted().toList(), "probe raised low above high");
        List<MatchOutcome> outcomes = r.iokit.lastMatching(nub);
        MatchOutcome high = outcomes.stream().filter(o -> o.personalityName().equals("High")).reduce((a, b) -> b).orElseThrow();
        assertEquals(MatchOutcome.Result.LOST, high.result());
        assertTrue(Drivers.CALLS.contains("high.free"), "the loser is released: " + Drivers.CALLS);
        assertFalse(Drivers.CALLS.contains("high.start"));
    }

    @Test
    void whenStartFailsTheNextCandidateOfTheCategoryIsTried() {
        r.personality("Best", "Label", "best", "IOProbeScore", 900, "Fail", "start");
        r.personality("Next", "Label", "next", "IOProbeScore", 500);

        Drivers.Nub nub = r.publishNub("nub", 0);

        assertEquals(List.of("next"), started(nub));
        assertTrue(Drivers.CALLS.indexOf("best.start") < Drivers.CALLS.indexOf("next.start"));
        assertTrue(Drivers.CALLS.contains("best.free"), "the failed driver is detached and released");
        assertEquals(1, nub.getClients().size());
        assertTrue(r.log.stream().anyMatch(l -> l.contains("Recording::start(nub <class Nub>) of kext " + TestRegistry.BUNDLE
                + " returned false; trying the next candidate in IODefaultMatchCategory")), String.join("\n", r.log));
        assertEquals(List.of(MatchOutcome.Result.START_FAILED, MatchOutcome.Result.STARTED), results(r.iokit.lastMatching(nub)));
    }

    @Test
    void exceptionsFromInitProbeOrStartFailOnlyThatCandidate() {
        r.personality("InitThrows", "Label", "a", "IOProbeScore", 900, "Fail", "init", "FailBy", "throw");
        r.personality("ProbeThrows", "Label", "b", "IOProbeScore", 800, "Fail", "probe", "FailBy", "throw");
        r.personality("StartThrows", "Label", "c", "IOProbeScore", 700, "Fail", "start", "FailBy", "throw");
        r.personality("Works", "Label", "d", "IOProbeScore", 1);

        Drivers.Nub nub = r.publishNub("nub", 0);

        assertEquals(List.of("d"), started(nub));
        assertEquals(List.of(MatchOutcome.Result.INIT_FAILED, MatchOutcome.Result.PROBE_FAILED, MatchOutcome.Result.START_FAILED,
                MatchOutcome.Result.STARTED), results(r.iokit.lastMatching(nub)));
        String log = String.join("\n", r.log);
        assertTrue(log.contains("Recording::init of kext " + TestRegistry.BUNDLE + " threw java.lang.IllegalStateException: init exploded"), log);
        assertTrue(log.contains("Recording::probe(nub <class Nub>) of kext " + TestRegistry.BUNDLE
                + " threw java.lang.IllegalArgumentException: probe exploded"), log);
        assertTrue(log.contains("Recording::start(nub <class Nub>) of kext " + TestRegistry.BUNDLE
                + " threw java.lang.UnsupportedOperationException: start exploded"), log);
        assertTrue(log.contains("(at org.kextkit.harness.iokit.Drivers$Recording.start(Drivers.java:"), "the log points into the driver: " + log);
    }

    @Test
    void probeReturningNullDropsTheCandidateQuietly() {
        r.personality("Declines", "Label", "no", "IOProbeScore", 900, "Fail", "probe");
        r.personality("Accepts", "Label", "yes");

        Drivers.Nub nub = r.publishNub("nub", 0);

        assertEquals(List.of("yes"), started(nub));
        assertEquals(MatchOutcome.Result.PROBE_DECLINED, r.iokit.lastMatching(nub).get(0).result());
        assertTrue(Drivers.CALLS.contains("no.free"));
    }

    @Test
    void anUnknownIOClassIsReportedAsCouldntAllocClass() {
        r.personality("Missing", "Label", "missing", "IOClass", "com_example_NoSuchDriver", "IOProbeScore", 9);
        r.personality("Fallback", "Label", "fallback");

        Drivers.Nub nub = r.publishNub("nub", 0);

        assertTrue(r.log.contains("Couldn't alloc class \"com_example_NoSuchDriver\""), String.join("\n", r.log));
        assertEquals(MatchOutcome.Result.CLASS_NOT_FOUND, r.iokit.lastMatching(nub).get(0).result());
        assertEquals(List.of("fallback"), started(nub));
    }

    @Test
    void anIOClassMayBeGivenAsTheIOKitClassName() {
        r.personality("ByIOKitName", "Label", "other", "IOClass", "Other");

        Drivers.Nub nub = r.publishNub("nub", 0);

        assertTrue(nub.getClient() instanceof Drivers.Other);
        assertEquals("Other", nub.getClient().getMetaClassName());
    }

    @Test
    void aKextThatCannotBeLoadedFailsItsCandidateWithTheLoadReport() {
        r.iokit.catalogue().addDrivers("com.example.Absent", java.util.Map.of("Absent",
                java.util.Map.of("IOClass", "com_example_Absent", "IOProviderClass", "Nub")), "test", r.log::add);

        Drivers.Nub nub = r.publishNub("nub", 0);

        MatchOutcome outcome = r.iokit.lastMatching(nub).get(0);
        assertEquals(MatchOutcome.Result.LOAD_FAILED, outcome.result());
        assertTrue(outcome.detail().contains("Can't find kext with bundle identifier com.example.Absent."));
        assertTrue(r.log.contains("    Can't find kext with bundle identifier com.example.Absent."), String.join("\n", r.log));
    }

    @Test
    void asynchronousRegistrationMatchesOnAKernelThreadCallout() {
        r.personality("Only", "Label", "only");
        Drivers.Nub nub = r.inKernel(() -> {
            Drivers.Nub n = new Drivers.Nub();
            n.setName("nub");
            n.attach(r.iokit.platformExpert());
            n.release();
            return n;
        });
        // Scheduled from inside a callout, matching waits until that callout returns.
        r.scheduler.scheduleCallout("publisher", 0, org.kextkit.kit.internal.ExecutionContext.THREAD, () -> {
            nub.registerService();
            assertTrue(nub.serviceState().registered);
            assertFalse(nub.serviceState().matched, "matching runs after the registering thread returns");
        });
        assertTrue(nub.serviceState().matched);
        assertEquals(0, nub.serviceState().busy);
        assertEquals(List.of("only"), started(nub));
    }

    @Test
    void aDriverWaitsForItsIOResourceMatchResourceBeforeStart() {
        r.personality("Waits", "Label", "waits", "IOResourceMatch", "com.example.Firmware");

        Drivers.Nub nub = r.publishNub("nub", 0);

        assertFalse(Drivers.CALLS.contains("waits.start"));
        assertEquals(MatchOutcome.Result.WAITING_FOR_RESOURCES, r.iokit.lastMatching(nub).get(0).result());
        assertSame(nub, nub.getClient().getProvider(), "a waiting driver is attached, as in I/O Kit");

        r.inKernel(() -> {
            IOService.publishResource("com.example.Firmware", null);
            return null;
        });

        assertTrue(Drivers.CALLS.contains("waits.start"));
        assertEquals(List.of("waits"), started(nub));
    }

    @Test
    void resourceDriversMatchIOResourcesOnceTheirResourceIsPublished() {
        java.util.Map<String, Object> table = new java.util.LinkedHashMap<>();
        table.put("IOClass", Drivers.Recording.class.getName());
        table.put("IOProviderClass", "IOResources");
        table.put("IOResourceMatch", "com.example.Later");
        table.put("IOMatchCategory", "com.example.Resourceful");
        table.put("Label", "resourceful");
        r.iokit.addPersonalities(TestRegistry.BUNDLE, java.util.Map.of("Resourceful", table), "test");
        assertTrue(r.iokit.resources().getClients().isEmpty());

        r.iokit.publishResource("com.example.Later", Boolean.TRUE);

        assertEquals(List.of("resourceful"), started(r.iokit.resources()));
    }
}
