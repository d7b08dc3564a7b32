package org.kextkit.harness.iokit.matching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kextkit.harness.iokit.matching.TestNubs.personality;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.kextkit.harness.iokit.matching.DriverCatalogue.MatchContext;
import org.kextkit.harness.iokit.matching.TestNubs.AppleSimPCIDevice;
import org.kextkit.harness.iokit.matching.TestNubs.IOPCIDevice;
import org.kextkit.harness.iokit.matching.TestNubs.ScoringNub;
import org.kextkit.kit.iokit.IOService;

/** Candidate order, categories and family matching (reject and rescore). */
class CandidateOrderTest {
    private final IOCatalogue catalogue = new IOCatalogue();

    private void add(String bundle, Object... namesAndPersonalities) {
        Map<String, Map<String, Object>> map = new LinkedHashMap<>();
        for (int i = 0; i < namesAndPersonalities.length; i += 2) {
            @SuppressWarnings("unchecked")
            Map<String, Object> p = (Map<String, Object>) namesAndPersonalities[i + 1];
            map.put((String) namesAndPersonalities[i], p);
        }
        catalogue.addDrivers(bundle, map, bundle + ".kext/Contents/Info.plist", line -> { });
    }

    private List<String> names(IOService nub, MatchContext context) {
        List<String> names = new ArrayList<>();
        for (MatchCandidate c : catalogue.findDrivers(nub, context)) {
            names.add(c.personalityName() + "=" + c.score());
        }
        return names;
    }

    private static MatchContext taken(String... categories) {
        Set<String> set = Set.of(categories);
        return new MatchContext() {
            @Override
            public boolean categoryTaken(String category) {
                return set.contains(category);
            }

            @Override
            public int matchedServiceCount() {
                return set.size();
            }
        };
    }

    @Test
    void candidatesComeByDescendingScoreAndTiesKeepInsertionOrder() {
        add("com.example.a", "A", personality("A", "ScoringNub", "IOProbeScore", 100),
                "B", personality("B", "ScoringNub", "IOProbeScore", 500));
        add("com.example.c", "C", personality("C", "ScoringNub", "IOProbeScore", 100),
                "D", personality("D", "ScoringNub"));
        add("com.example.e", "E", personality("E", "ScoringNub", "IOProbeScore", -5));
        assertEquals(List.of("B=500", "A=100", "C=100", "D=0", "E=-5"), names(new ScoringNub(), MatchContext.EMPTY));
    }

    @Test
    void onEqualScoresTheNubsOwnClassComesBeforeItsSuperclasses() {
        add("com.example.generic", "Generic", personality("G", "IOService", "IOProbeScore", 10));
        add("com.example.pci", "Pci", personality("P", "IOPCIDevice", "IOProbeScore", 10));
        add("com.example.sim", "Sim", personality("S", "AppleSimPCIDevice", "IOProbeScore", 10));
        assertEquals(List.of("Sim=10", "Pci=10", "Generic=10"),
                names(new AppleSimPCIDevice(0x10008086), MatchContext.EMPTY));
        assertEquals(List.of("Pci=10", "Generic=10"), names(new IOPCIDevice(0x10008086, 0), MatchContext.EMPTY));
    }

    @Test
    void aTakenCategoryIsSkippedOthersStillMatch() {
        add("com.example.a", "Default", personality("A", "ScoringNub"),
                "UserClient", personality("U", "ScoringNub", "IOMatchCategory", "IOUserClientCategory"));
        assertEquals(List.of("UserClient=0"), names(new ScoringNub(), taken("IODefaultMatchCategory")));
        assertEquals(List.of("Default=0"), names(new ScoringNub(), taken("IOUserClientCategory")));
        List<MatchCandidate> all = catalogue.findDrivers(new ScoringNub(), MatchContext.EMPTY);
        assertEquals("IODefaultMatchCategory", all.get(0).table().get("IOMatchCategory"),
                "the default category is written out");
        assertEquals("IOUserClientCategory", all.get(1).category());
    }

    @Test
    void familyMatchingMayRejectAndMayRescoreAndTheResultIsSortedByTheNewScore() {
        add("com.example.a", "Low", personality("L", "ScoringNub", "IOProbeScore", 10, "NewScore", 900),
                "High", personality("H", "ScoringNub", "IOProbeScore", 500),
                "Rejected", personality("R", "ScoringNub", "IOProbeScore", 1000, "Reject", true));
        List<MatchCandidate> found = catalogue.findDrivers(new ScoringNub(), MatchContext.EMPTY);
        assertEquals(List.of("Low", "High"), found.stream().map(MatchCandidate::personalityName).toList());
        assertEquals(900, found.get(0).score());
        assertEquals(900, found.get(0).table().get("IOProbeScore"), "the family's score is written back into the copy");
    }

    @Test
    void pciFamilyScoreBoostReordersCandidates() {
        add("com.example.generic", "ClassDriver", personality("C", "IOPCIDevice", "IOProbeScore", 500));
        add("com.example.vendor", "VendorDriver", personality("V", "IOPCIDevice", "IOPCIMatch", "0x10008086"));
        add("com.example.other", "OtherVendor", personality("O", "IOPCIDevice", "IOPCIMatch", "0x20008086"));
        assertEquals(List.of("VendorDriver=1000", "ClassDriver=500"),
                names(new IOPCIDevice(0x10008086, 0), MatchContext.EMPTY));
    }

    @Test
    void personalitiesWithoutAClassToInstantiateAreNeverCandidates() {
        Map<String, Object> noClass = new LinkedHashMap<>(Map.of("IOProviderClass", "ScoringNub"));
        add("com.example.a", "NoClass", noClass, "WithClass", personality("W", "ScoringNub"));
        assertEquals(List.of("WithClass=0"), names(new ScoringNub(), MatchContext.EMPTY));
    }

    @Test
    void eachCandidateGetsItsOwnChangeableCopyOfThePersonality() {
        add("com.example.a", "A", personality("A", "ScoringNub", "Nested", new ArrayList<>(List.of("x"))));
        MatchCandidate first = catalogue.findDrivers(new ScoringNub(), MatchContext.EMPTY).get(0);
        first.table().put("Scribble", 1);
        @SuppressWarnings("unchecked")
        List<Object> nested = (List<Object>) first.table().get("Nested");
        nested.add("y");
        MatchCandidate second = catalogue.findDrivers(new ScoringNub(), MatchContext.EMPTY).get(0);
        assertNotSame(first.table(), second.table());
        assertTrue(!second.table().containsKey("Scribble"));
        assertEquals(List.of("x"), second.table().get("Nested"));
        assertEquals("A", second.ioClass());
        assertEquals("com.example.a", second.table().get("CFBundleIdentifier"));
    }

    /** A family that notes in the table what it decided, as some families do. */
    static class NotingNub extends IOService {
        @Override
        public boolean matchPropertyTable(Map<String, Object> table, org.kextkit.kit.libkern.SInt32 score) {
            table.put("FamilyNote", "seen");
            return !table.containsKey("Reject");
        }
    }

    @Test
    void whatFamilyMatchingWritesReachesTheCandidateButNeverTheCatalogue() {
        add("com.example.a", "Kept", personality("K", "NotingNub"),
                "Rejected", personality("R", "NotingNub", "Reject", true));
        List<MatchCandidate> found = catalogue.findDrivers(new NotingNub(), MatchContext.EMPTY);
        assertEquals(1, found.size());
        assertEquals("seen", found.get(0).table().get("FamilyNote"));
        MatchExplanation explanation = catalogue.explain(new NotingNub(), MatchContext.EMPTY, null);
        assertEquals("rejected by family matching (NotingNub.matchPropertyTable)",
                explanation.entries().get(1).outcome());
        IOCatalogue fresh = new IOCatalogue();
        fresh.addDrivers("com.example.a", Map.of("Kept", personality("K", "NotingNub")), "A", line -> { });
        assertEquals(0, fresh.addDrivers("com.example.a", Map.of("Kept", personality("K", "NotingNub")), "A",
                line -> { }), "matching must not have changed the filed personality");
        fresh.findDrivers(new NotingNub(), MatchContext.EMPTY);
        assertEquals(0, fresh.addDrivers("com.example.a", Map.of("Kept", personality("K", "NotingNub")), "A",
                line -> { }));
    }
}
