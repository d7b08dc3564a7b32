package org.kextkit.harness.iokit.matching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kextkit.harness.iokit.matching.TestNubs.dict;
import static org.kextkit.harness.iokit.matching.TestNubs.personality;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kextkit.harness.iokit.matching.DriverCatalogue.MatchContext;
import org.kextkit.harness.iokit.matching.MatchExplanation.Entry;
import org.kextkit.harness.iokit.matching.MatchExplanation.KeyVerdict;
import org.kextkit.harness.iokit.matching.TestNubs.IOPCIBridge;
import org.kextkit.harness.iokit.matching.TestNubs.IOPCIDevice;
import org.kextkit.harness.iokit.matching.TestNubs.IOResources;
import org.kextkit.harness.iokit.matching.TestNubs.ScoringNub;

/** "Why did (or didn't) it match": the explanation's entries, verdicts and outcomes, and its text. */
class MatchExplanationTest {
    private final IOCatalogue catalogue = new IOCatalogue();
    private IOPCIDevice nub;

    private void add(String bundle, Object... namesAndPersonalities) {
        Map<String, Map<String, Object>> map = new LinkedHashMap<>();
        for (int i = 0; i < namesAndPersonalities.length; i += 2) {
            @SuppressWarnings("unchecked")
            Map<String, Object> p = (Map<String, Object>) namesAndPersonalities[i + 1];
            map.put((String) namesAndPersonalities[i], p);
        }
        catalogue.addDrivers(bundle, map, bundle + ".kext/Contents/Info.plist", line -> { });
    }

    @BeforeEach
    void machine() {
        ScoringNub machine = new ScoringNub();
        machine.setName("SimMachine");
        IOPCIBridge bridge = new IOPCIBridge();
        bridge.setName("pci");
        bridge.setLocation("0");
        bridge.attach(machine);
        nub = new IOPCIDevice(0x100e8086, 0);
        nub.setName("ethernet");
        nub.setLocation("1");
        nub.attach(bridge);
    }

    private static Entry entry(MatchExplanation explanation, String name) {
        return explanation.entries().stream().filter(e -> e.personalityName().equals(name)).findFirst().orElseThrow();
    }

    private static KeyVerdict verdict(Entry entry, String key) {
        return entry.keys().stream().filter(v -> v.key().equals(key)).findFirst().orElseThrow();
    }

    @Test
    void winnersComeFirstRankedInTheirCategoryThenTheOthersWithTheirReasons() {
        add("com.example.driver", "FooEthernet", personality("FooEthernet", "IOPCIDevice", "IOPCIMatch", "0x100e8086"),
                "FooUSB", personality("FooUSB", "IOUSBHostDevice", "idVendor", 0x05ac));
        add("com.example.generic", "GenericNet", personality("GenericNet", "IOPCIDevice", "IOProbeScore", 500));
        add("com.example.other", "Other", personality("Other", "IOPCIDevice", "IOPCIMatch", "0x12348086"),
                "Display", personality("Display", "IOPCIDevice", "IONameMatch", "display"));

        MatchExplanation explanation = catalogue.explain(nub, MatchContext.EMPTY, "com.example.driver");
        assertTrue(explanation.nubDescription().startsWith(
                "ethernet@1 (IOPCIDevice : IOService) at IOService:/pci@0/ethernet@1, id 0x"), explanation.nubDescription());
        assertEquals(List.of("FooEthernet", "GenericNet", "Other", "Display", "FooUSB"),
                explanation.entries().stream().map(Entry::personalityName).toList());

        Entry foo = entry(explanation, "FooEthernet");
        assertTrue(foo.matched());
        assertEquals(0, foo.initialScore());
        assertEquals(1000, foo.finalScore());
        assertEquals("matched, score 0 -> 1000, rank 1 of 2 in category IODefaultMatchCategory (starts first)",
                foo.outcome());
        assertEquals(new KeyVerdict("family matching (IOPCIDevice.matchPropertyTable)", true,
                "accepted, score 0 -> 1000"), verdict(foo, "family matching (IOPCIDevice.matchPropertyTable)"));
        assertTrue(verdict(foo, "IOPCIMatch").passed(), "the family's own verdict on its key");

        Entry generic = entry(explanation, "GenericNet");
        assertEquals("matched, score 500, rank 2 of 2 in category IODefaultMatchCategory (starts only if those "
                + "ranked above fail probe or start)", generic.outcome());

        Entry other = entry(explanation, "Other");
        assertFalse(other.matched());
        assertEquals("failed IOPCIMatch, family matching (IOPCIDevice.matchPropertyTable)", other.outcome());
        assertEquals("\"0x12348086\" against primary 0x100e8086 and subsystem 0x0", verdict(other, "IOPCIMatch").detail());

        Entry display = entry(explanation, "Display");
        assertEquals("failed IONameMatch", display.outcome());
        assertEquals("\"display\" matched none of the nub's names: \"ethernet\"", verdict(display, "IONameMatch").detail());

        Entry usb = entry(explanation, "FooUSB");
        assertEquals("not a candidate: IOProviderClass IOUSBHostDevice is not the nub's class or a superclass",
                usb.outcome());
        assertEquals(new KeyVerdict("IOProviderClass", false,
                "IOUSBHostDevice: the nub is an IOPCIDevice (IOPCIDevice : IOService)"), verdict(usb, "IOProviderClass"));
    }

    @Test
    void aTakenCategoryIsTheReasonEvenWhenEveryKeyPasses() {
        add("com.example.driver", "FooEthernet", personality("FooEthernet", "IOPCIDevice"),
                "FooUserClient", personality("FooUC", "IOPCIDevice", "IOMatchCategory", "FooUserClient"));
        MatchContext defaultTaken = new MatchContext() {
            @Override
            public boolean categoryTaken(String category) {
                return category.equals("IODefaultMatchCategory");
            }

            @Override
            public int matchedServiceCount() {
                return 1;
            }
        };
        MatchExplanation explanation = catalogue.explain(nub, defaultTaken, null);
        Entry foo = entry(explanation, "FooEthernet");
        assertFalse(foo.matched());
        assertEquals("not started: category IODefaultMatchCategory already has a client", foo.outcome());
        assertEquals("matched, score 0, rank 1 of 1 in category FooUserClient (starts first)",
                entry(explanation, "FooUserClient").outcome());
    }

    @Test
    void propertyMatchFailuresSayWhichPropertyDifferedAndWhy() {
        nub.setProperty("model", "X1");
        nub.setProperty("ports", 4);
        add("com.example.driver", "WrongType", personality("A", "IOPCIDevice", "IOPropertyMatch", dict("ports", "4")),
                "Missing", personality("B", "IOPCIDevice", "IOPropertyMatch", dict("model", "X1", "speed", 10)));
        MatchExplanation explanation = catalogue.explain(nub, MatchContext.EMPTY, null);
        assertEquals("\"ports\" = \"4\": the nub's value is 4 (a string never equals an integer)",
                verdict(entry(explanation, "WrongType"), "IOPropertyMatch").detail());
        assertEquals("\"speed\" = 10 (0xa): the nub has no such property",
                verdict(entry(explanation, "Missing"), "IOPropertyMatch").detail());
    }

    @Test
    void parentMatchFailuresNameTheAncestorsAndWhatFailed() {
        add("com.example.driver", "UnderUSB", personality("A", "IOPCIDevice", "IOParentMatch",
                dict("IOProviderClass", "IOUSBHostDevice")));
        Entry e = entry(catalogue.explain(nub, MatchContext.EMPTY, null), "UnderUSB");
        assertEquals("failed IOParentMatch", e.outcome());
        assertEquals("{\"IOProviderClass\"=\"IOUSBHostDevice\"} matched no ancestor: pci@0 (IOPCIBridge : IOService) "
                + "failed IOProviderClass (IOUSBHostDevice: the ancestor is an IOPCIBridge (IOPCIBridge : IOService)); "
                + "SimMachine (ScoringNub : IOService) failed IOProviderClass (IOUSBHostDevice: the ancestor is a "
                + "ScoringNub (ScoringNub : IOService))", verdict(e, "IOParentMatch").detail());
    }

    @Test
    void unpublishedResourcesAreNamedOnTheResourcesNub() {
        IOResources resources = new IOResources();
        resources.setProperty("IOKit", "IOKit");
        add("com.example.driver", "NeedsBSD", personality("A", "IOResources", "IOResourceMatch", "IOBSD"));
        Entry e = entry(catalogue.explain(resources, MatchContext.EMPTY, null), "NeedsBSD");
        assertEquals("failed IOResourceMatch", e.outcome());
        assertEquals("\"IOBSD\": not yet published on IOResources: IOBSD", verdict(e, "IOResourceMatch").detail());
    }

    @Test
    void personalitiesThatAreNeverFiledAreStillExplainedForTheirKext() {
        Map<String, Object> noProvider = new LinkedHashMap<>(Map.of("IOClass", "Foo"));
        add("com.example.driver", "NoProvider", noProvider);
        MatchExplanation explanation = catalogue.explain(nub, MatchContext.EMPTY, "com.example.driver");
        Entry e = entry(explanation, "NoProvider");
        assertEquals("never matches: no IOProviderClass string", e.outcome());
        assertEquals("missing: the personality is not filed under any class", verdict(e, "IOProviderClass").detail());
    }

    @Test
    void theFormatterPrintsOneBlockPerPersonalityWithKeysAlignedUnlessTooLong() {
        add("com.example.driver", "FooEthernet", personality("FooEthernet", "IOPCIDevice", "IOPCIMatch", "0x100e8086"));
        add("com.example.other", "Display", personality("Display", "IOPCIDevice", "IONameMatch", "display*"));
        String id = Long.toHexString(nub.getRegistryEntryID());
        MatchExplanation explanation = catalogue.explain(nub, MatchContext.EMPTY, null);
        assertEquals(""
                + "Matching for ethernet@1 (IOPCIDevice : IOService) at IOService:/pci@0/ethernet@1, id 0x" + id + "\n"
                + "2 personalities considered, 1 matched.\n"
                + "\n"
                + "com.example.driver \"FooEthernet\"\n"
                + "  matched, score 0 -> 1000, rank 1 of 1 in category IODefaultMatchCategory (starts first)\n"
                + "    pass  IOProviderClass  IOPCIDevice: the nub is an IOPCIDevice (IOPCIDevice : IOService)\n"
                + "    pass  IOPCIMatch       \"0x100e8086\" against primary 0x100e8086 and subsystem 0x0\n"
                + "    pass  family matching (IOPCIDevice.matchPropertyTable)  accepted, score 0 -> 1000\n"
                + "\n"
                + "com.example.other \"Display\"\n"
                + "  failed IONameMatch\n"
                + "    pass  IOProviderClass  IOPCIDevice: the nub is an IOPCIDevice (IOPCIDevice : IOService)\n"
                + "    FAIL  IONameMatch      \"display*\" matched none of the nub's names: \"ethernet\" (a trailing * is "
                + "a wildcard only for nubs with device-tree names; the nub's name is compared exactly)\n",
                new MatchExplanationFormatter().format(explanation));
        assertEquals(""
                + "Matching for ethernet@1 (IOPCIDevice : IOService) at IOService:/pci@0/ethernet@1, id 0x" + id + "\n"
                + "2 personalities considered, 1 matched.\n"
                + "\n"
                + "com.example.driver \"FooEthernet\"\n"
                + "  matched, score 0 -> 1000, rank 1 of 1 in category IODefaultMatchCategory (starts first)\n"
                + "\n"
                + "com.example.other \"Display\"\n"
                + "  failed IONameMatch\n"
                + "    FAIL  IONameMatch  \"display*\" matched none of the nub's names: \"ethernet\" (a trailing * is "
                + "a wildcard only for nubs with device-tree names; the nub's name is compared exactly)\n",
                new MatchExplanationFormatter().failuresOnly().format(explanation));
    }

    @Test
    void anEmptyCatalogueSaysNothingNamesTheNubsClasses() {
        assertTrue(new MatchExplanationFormatter().format(catalogue.explain(nub, MatchContext.EMPTY, null))
                .endsWith("No personality in the catalogue names this nub's class or a superclass as IOProviderClass.\n"));
    }

    @Test
    void theExplanationsWinnersAreExactlyWhatFindDriversReturnsInTheSameOrder() {
        Random random = new Random(5);
        for (int k = 0; k < 60; k++) {
            add("com.example.k" + k, "P" + k, personality("C" + k, random.nextBoolean() ? "IOPCIDevice" : "IOService",
                    "IOProbeScore", random.nextInt(3) * 10,
                    "IOPCIMatch", String.format("0x%04x8086", random.nextInt(4)),
                    "IOMatchCategory", random.nextInt(4) == 0 ? "Other" : "IODefaultMatchCategory"));
        }
        for (int d = 0; d < 4; d++) {
            IOPCIDevice device = new IOPCIDevice((d << 16) | 0x8086, 0);
            List<String> found = new ArrayList<>();
            catalogue.findDrivers(device, MatchContext.EMPTY).forEach(c -> found.add(c.personalityName() + "=" + c.score()));
            List<String> explained = new ArrayList<>();
            catalogue.explain(device, MatchContext.EMPTY, null).entries().stream().filter(Entry::matched)
                    .forEach(e -> explained.add(e.personalityName() + "=" + e.finalScore()));
            assertFalse(found.isEmpty());
            assertEquals(found, explained);
        }
    }
}
