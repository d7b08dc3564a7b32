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
import org.junit.jupiter.api.Test;
import org.kextkit.harness.iokit.matching.DriverCatalogue.MatchContext;
import org.kextkit.harness.iokit.matching.TestNubs.ScoringNub;

class IOCatalogueStorageTest {
    private static final String PLIST = "Foo.kext/Contents/Info.plist";

    private final IOCatalogue catalogue = new IOCatalogue();
    private final List<String> warnings = new ArrayList<>();

    private int add(String bundle, Object... namesAndPersonalities) {
        Map<String, Map<String, Object>> map = new LinkedHashMap<>();
        for (int i = 0; i < namesAndPersonalities.length; i += 2) {
            @SuppressWarnings("unchecked")
            Map<String, Object> p = (Map<String, Object>) namesAndPersonalities[i + 1];
            map.put((String) namesAndPersonalities[i], p);
        }
        return catalogue.addDrivers(bundle, map, PLIST, warnings::add);
    }

    private List<String> matchNames(ScoringNub nub) {
        List<String> names = new ArrayList<>();
        for (MatchCandidate c : catalogue.findDrivers(nub, MatchContext.EMPTY)) {
            names.add(c.personalityName());
        }
        return names;
    }

    @Test
    void exactDuplicatesAreSkippedComparingNumbersByValueAndDataByContent() {
        assertEquals(1, add("com.example.foo", "A", personality("Foo", "ScoringNub", "IOProbeScore", 5,
                "Blob", new byte[] {1, 2}, "List", List.of(1, dict("k", "v")))));
        assertEquals(0, add("com.example.foo", "A again", personality("Foo", "ScoringNub", "IOProbeScore", 5L,
                "Blob", new byte[] {1, 2}, "List", List.of(1L, dict("k", "v")))));
        assertEquals(1, catalogue.size());
        assertEquals(1, add("com.example.foo", "B", personality("Foo", "ScoringNub", "IOProbeScore", 6)));
        assertEquals(2, catalogue.size());
        assertTrue(warnings.isEmpty(), warnings.toString());
    }

    @Test
    void theSamePersonalityFromAnotherKextIsNotADuplicateBecauseItsBundleIdentifierDiffers() {
        add("com.example.foo", "A", personality("Foo", "ScoringNub"));
        assertEquals(1, add("com.example.bar", "A", personality("Foo", "ScoringNub")));
        assertEquals(2, catalogue.size());
    }

    @Test
    void candidatesCarryTheKextIdentifierAndTheirOwnWhenTheyNameAnotherKext() {
        add("com.example.codeless", "Own", personality("Foo", "ScoringNub"),
                "ForFamily", personality("Bar", "ScoringNub", "CFBundleIdentifier", "com.example.family"));
        List<MatchCandidate> found = catalogue.findDrivers(new ScoringNub(), MatchContext.EMPTY);
        assertEquals(2, found.size());
        MatchCandidate own = found.get(0);
        assertEquals("com.example.codeless", own.bundleIdentifier());
        assertEquals("com.example.codeless", own.table().get("CFBundleIdentifier"));
        assertEquals("com.example.codeless", own.table().get("IOPersonalityPublisher"));
        MatchCandidate forFamily = found.get(1);
        assertEquals("com.example.family", forFamily.bundleIdentifier());
        assertEquals("com.example.codeless", forFamily.table().get("IOPersonalityPublisher"));
    }

    @Test
    void removeDriversRemovesByTheBundleIdentifierThePersonalitiesCarry() {
        add("com.example.codeless", "Own", personality("Foo", "ScoringNub"),
                "ForFamily", personality("Bar", "ScoringNub", "CFBundleIdentifier", "com.example.family"));
        add("com.example.other", "Other", personality("Baz", "IOService"));
        assertEquals(1, catalogue.removeDrivers("com.example.family"));
        assertEquals(List.of("Own", "Other"), matchNames(new ScoringNub()));
        assertEquals(1, catalogue.removeDrivers("com.example.codeless"));
        assertEquals(0, catalogue.removeDrivers("com.example.codeless"));
        assertEquals(List.of("Other"), matchNames(new ScoringNub()));
        assertEquals(1, catalogue.size());
        assertFalse(catalogue.hasPersonalitiesOf("com.example.codeless"));
        assertTrue(catalogue.hasPersonalitiesOf("com.example.other"));
    }

    @Test
    void aStringProbeScoreIsIgnoredAsIOKitDoesAndTheWarningSaysSo() {
        add("com.example.foo", "Foo", personality("Foo", "ScoringNub", "IOProbeScore", "1000"),
                "Bar", personality("Bar", "ScoringNub", "IOProbeScore", 10));
        assertEquals(List.of(PLIST + ": personality \"Foo\" key IOProbeScore: expected an integer, found the string "
                + "\"1000\"; I/O Kit ignores it and uses 0"), warnings);
        List<MatchCandidate> found = catalogue.findDrivers(new ScoringNub(), MatchContext.EMPTY);
        assertEquals("Bar", found.get(0).personalityName());
        assertEquals(0, found.get(1).score());
        assertEquals(0, found.get(1).table().get("IOProbeScore"), "the score I/O Kit used is written back");
    }

    @Test
    void aProbeScoreWiderThan32BitsKeepsItsLowBits() {
        add("com.example.foo", "Wide", personality("Foo", "ScoringNub", "IOProbeScore", 0x1_0000_0005L));
        assertEquals(5, catalogue.findDrivers(new ScoringNub(), MatchContext.EMPTY).get(0).score());
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).contains("key IOProbeScore: expected a 32-bit integer"), warnings.get(0));
    }

    @Test
    void aCategoryThatIsNotAStringFallsBackToTheDefaultCategory() {
        add("com.example.foo", "Foo", personality("Foo", "ScoringNub", "IOMatchCategory", 7));
        assertEquals(List.of(PLIST + ": personality \"Foo\" key IOMatchCategory: expected a string, found the "
                + "integer 7; I/O Kit uses IODefaultMatchCategory"), warnings);
        MatchCandidate c = catalogue.findDrivers(new ScoringNub(), MatchContext.EMPTY).get(0);
        assertEquals("IODefaultMatchCategory", c.category());
        assertEquals("IODefaultMatchCategory", c.table().get("IOMatchCategory"));
    }

    @Test
    void booleansWrittenAsStringsAreReportedAsIgnored() {
        add("com.example.foo", "Foo", personality("Foo", "ScoringNub", "IOPCITunnelCompatible", "YES"));
        assertEquals(List.of(PLIST + ": personality \"Foo\" key IOPCITunnelCompatible: expected a boolean (<true/> "
                + "or <false/>), found the string \"YES\"; I/O Kit reads it as an OSBoolean, so it is ignored as if "
                + "the key were absent"), warnings);
    }

    @Test
    void personalitiesWithoutProviderClassOrClassAreReportedAndNeverMatch() {
        Map<String, Object> noProvider = dict("IOClass", "Foo");
        Map<String, Object> noClass = dict("IOProviderClass", "ScoringNub");
        Map<String, Object> numericProvider = dict("IOClass", "Foo", "IOProviderClass", 3);
        assertEquals(1, add("com.example.foo", "NoProvider", noProvider, "NoClass", noClass,
                "NumericProvider", numericProvider), "only the one with a provider class is filed");
        assertEquals(List.of(
                PLIST + ": personality \"NoProvider\" key IOProviderClass: missing; I/O Kit files personalities by "
                        + "provider class, so this one never matches",
                PLIST + ": personality \"NoClass\" key IOClass: missing; I/O Kit has no class to instantiate, so the "
                        + "personality never matches",
                PLIST + ": personality \"NumericProvider\" key IOProviderClass: expected a string (a class name), "
                        + "found the integer 3; I/O Kit does not file the personality, so it never matches"), warnings);
        assertTrue(catalogue.findDrivers(new ScoringNub(), MatchContext.EMPTY).isEmpty());
    }

    @Test
    void passiveKeysOfTheWrongTypeAreReportedWithWhatIOKitDoes() {
        add("com.example.foo", "Foo", personality("Foo", "ScoringNub", "IONameMatch", 5, "IOPathMatch", 9,
                "IOParentMatch", "IOPCIBridge", "IOPropertyMatch", List.of(dict("a", 1), "b"),
                "IOResourceMatch", List.of("IOKit")));
        assertEquals(List.of(
                PLIST + ": personality \"Foo\" key IONameMatch: expected a string or an array of strings, found the "
                        + "integer 5; I/O Kit never matches it",
                PLIST + ": personality \"Foo\" key IOPropertyMatch: expected a dictionary or an array of dictionaries, "
                        + "found the string \"b\" at index 1; I/O Kit stops reading the dictionaries there",
                PLIST + ": personality \"Foo\" key IOPathMatch: expected a string, found the integer 9; I/O Kit "
                        + "ignores the key",
                PLIST + ": personality \"Foo\" key IOParentMatch: expected a dictionary, found the string "
                        + "\"IOPCIBridge\"; I/O Kit ignores the key",
                PLIST + ": personality \"Foo\" key IOResourceMatch: expected a string (or a set), found the array "
                        + "(\"IOKit\"); I/O Kit does not read an array here: on the IOResources nub the key is "
                        + "ignored, and a driver on any other nub starts without waiting (the kernel logs \"Can't "
                        + "match using: OSArray\")"), warnings);
    }

    @Test
    void familyKeyChecksOfAnIndexerBecomeWarnings() {
        IOCatalogue withChecks = new IOCatalogue();
        withChecks.registerFamilyKeyChecks(Map.of("IOPCIDevice", p -> p.get("IOPCIMatch") instanceof String
                && ((String) p.get("IOPCIMatch")).contains("zz")
                ? List.of(new ChecksFamilyKeys.Problem("IOPCIMatch", "expected hex values, found \"zz\"; "
                        + "IOPCIFamily stops reading there"))
                : List.of()));
        withChecks.addDrivers("com.example.foo", Map.of("Foo", personality("Foo", "IOPCIDevice", "IOPCIMatch",
                "0x1234 &zz")), PLIST, warnings::add);
        assertEquals(List.of(PLIST + ": personality \"Foo\" key IOPCIMatch: expected hex values, found \"zz\"; "
                + "IOPCIFamily stops reading there"), warnings);
    }

    @Test
    void resourceWaitReadsStringsDictionariesAndSetsButNotArrays() {
        assertTrue(ResourceWait.of(dict("IOClass", "Foo")).isEmpty());
        assertEquals(List.of("IOBSD"), ResourceWait.of(dict("IOResourceMatch", "IOBSD")).resources());
        ResourceWait set = ResourceWait.of(dict("IOResourceMatch",
                new java.util.LinkedHashSet<>(List.of("IOKit", dict("IOProviderClass", "IOMedia")))));
        assertEquals(List.of("IOKit"), set.resources());
        assertEquals(List.of(dict("IOProviderClass", "IOMedia")), set.matchingTables());
        ResourceWait array = ResourceWait.of(dict("IOResourceMatch", List.of("IOBSD")));
        assertTrue(array.isEmpty(), "an array is not waited for");
        assertEquals("OSArray", array.unusableType());
    }

    @Test
    void problemsInsideIOParentMatchNameTheNestedKey() {
        add("com.example.foo", "Foo", personality("Foo", "ScoringNub", "IOParentMatch",
                dict("IOProviderClass", "IOPCIBridge", "IORegistryEntryID", "0x100")));
        assertEquals(List.of(PLIST + ": personality \"Foo\" key IOParentMatch.IORegistryEntryID: expected an integer, "
                + "found the string \"0x100\"; I/O Kit ignores the key"), warnings);
    }
}
