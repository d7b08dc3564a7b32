package org.kextkit.harness.iokit.matching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kextkit.harness.iokit.matching.TestNubs.dict;
import static org.kextkit.harness.iokit.matching.TestNubs.personality;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.kextkit.harness.iokit.matching.DriverCatalogue.MatchContext;
import org.kextkit.harness.iokit.matching.TestNubs.IOPCIBridge;
import org.kextkit.harness.iokit.matching.TestNubs.IOPCIDevice;
import org.kextkit.harness.iokit.matching.TestNubs.IOResources;
import org.kextkit.harness.iokit.matching.TestNubs.ScoringNub;
import org.kextkit.kit.iokit.IOService;

/** Each generic key of {@code IOService::matchPassive}, on its own. */
class PassiveKeysTest {
    private final List<String> warnings = new ArrayList<>();

    /** Return the candidate a one-personality catalogue yields for {@code nub}, or null. */
    private MatchCandidate match(IOService nub, MatchContext context, Map<String, Object> p) {
        IOCatalogue catalogue = new IOCatalogue();
        catalogue.addDrivers("com.example.driver", Map.of("P", p), "Driver.kext/Contents/Info.plist", warnings::add);
        List<MatchCandidate> found = catalogue.findDrivers(nub, context);
        return found.isEmpty() ? null : found.get(0);
    }

    private MatchCandidate match(IOService nub, Map<String, Object> p) {
        return match(nub, MatchContext.EMPTY, p);
    }

    private static ScoringNub named(String name) {
        ScoringNub nub = new ScoringNub();
        nub.setName(name);
        return nub;
    }

    private static byte[] nulSeparated(String... names) {
        return (String.join("\0", names) + "\0").getBytes(StandardCharsets.US_ASCII);
    }

    // ---- IOProviderClass ---------------------------------------------------------------------

    @Test
    void aPersonalityForASuperclassMatchesSubclassNubsButNotTheOtherWayRound() {
        assertTrue(match(new TestNubs.AppleSimPCIDevice(0x10008086), personality("D", "IOPCIDevice")) != null);
        assertTrue(match(new TestNubs.AppleSimPCIDevice(0x10008086), personality("D", "IOService")) != null);
        assertNull(match(new IOPCIDevice(0x10008086, 0), personality("D", "AppleSimPCIDevice")));
        assertNull(match(new ScoringNub(), personality("D", "IOPCIDevice")));
    }

    // ---- IONameMatch ---------------------------------------------------------------------------

    @Test
    void nameMatchComparesAPlainNubsNameExactlyAndRecordsTheMatchedName() {
        MatchCandidate c = match(named("ethernet"), personality("D", "ScoringNub", "IONameMatch", "ethernet"));
        assertEquals("ethernet", c.table().get("IONameMatched"));
        assertNull(match(named("ethernet"), personality("D", "ScoringNub", "IONameMatch", "ether")));
        assertNull(match(named("ethernet"), personality("D", "ScoringNub", "IONameMatch", "ether*")),
                "IORegistryEntry::compareName has no wildcard");
    }

    @Test
    void nameMatchArraysMatchIfAnyNameDoes() {
        MatchCandidate c = match(named("display"), personality("D", "ScoringNub", "IONameMatch",
                List.of("ethernet", "display")));
        assertEquals("display", c.table().get("IONameMatched"));
        assertNull(match(named("display"), personality("D", "ScoringNub", "IONameMatch", List.of())));
    }

    @Test
    void deviceTreeNamesAreSplitAtNulsAndATrailingStarIsAPrefixWildcard() {
        IOPCIDevice nub = new IOPCIDevice(0x153a8086, 0);
        nub.setProperty("name", nulSeparated("ethernet"));
        nub.setProperty("compatible", nulSeparated("pci8086,153a", "pci8086,0", "pciclass,020000"));
        MatchCandidate c = match(nub, personality("D", "IOPCIDevice", "IONameMatch", "pci8086,*"));
        assertEquals("pci8086,153a", c.table().get("IONameMatched"), "the nub's name that matched, not the pattern");
        assertEquals("pciclass,020000", match(nub, personality("D", "IOPCIDevice", "IONameMatch",
                List.of("pci1234,1", "pciclass,020000"))).table().get("IONameMatched"));
        assertEquals("ethernet", match(nub, personality("D", "IOPCIDevice", "IONameMatch", "ethernet"))
                .table().get("IONameMatched"));
        assertNull(match(nub, personality("D", "IOPCIDevice", "IONameMatch", "pci8086")),
                "without * the whole name must match");
        assertNull(match(nub, personality("D", "IOPCIDevice", "IONameMatch", "pci10de,*")));
    }

    @Test
    void deviceTreeNamesGivenAsStringsWork() {
        IOPCIDevice nub = new IOPCIDevice(0x153a8086, 0);
        nub.setProperty("device_type", "network");
        nub.setProperty("model", "Simulated Ethernet");
        assertEquals("network", match(nub, personality("D", "IOPCIDevice", "IONameMatch", "network"))
                .table().get("IONameMatched"));
        assertEquals("Simulated Ethernet", match(nub, personality("D", "IOPCIDevice", "IONameMatch", "Simulated*"))
                .table().get("IONameMatched"));
    }

    @Test
    void nameMatchOfTheWrongTypeNeverMatches() {
        assertNull(match(named("5"), personality("D", "ScoringNub", "IONameMatch", 5)));
    }

    // ---- IOPropertyMatch / IOPropertyExistsMatch --------------------------------------------------

    @Test
    void propertyMatchIsASubsetMatchWithNumbersComparedByValue() {
        ScoringNub nub = new ScoringNub();
        nub.setProperty("model", "X1");
        nub.setProperty("ports", 4L);
        nub.setProperty("extra", true);
        assertTrue(match(nub, personality("D", "ScoringNub", "IOPropertyMatch", dict("model", "X1", "ports", 4))) != null);
        assertNull(match(nub, personality("D", "ScoringNub", "IOPropertyMatch", dict("model", "X1", "ports", 5))));
        assertNull(match(nub, personality("D", "ScoringNub", "IOPropertyMatch", dict("ports", "4"))),
                "a string never equals a number");
        assertNull(match(nub, personality("D", "ScoringNub", "IOPropertyMatch", dict("missing", 1))));
        assertTrue(match(nub, personality("D", "ScoringNub", "IOPropertyMatch", dict())) != null,
                "an empty dictionary asks for nothing");
    }

    @Test
    void propertyMatchArraysMatchIfAnyDictionaryDoes() {
        ScoringNub nub = new ScoringNub();
        nub.setProperty("model", "X2");
        assertTrue(match(nub, personality("D", "ScoringNub", "IOPropertyMatch",
                List.of(dict("model", "X1"), dict("model", "X2")))) != null);
        assertNull(match(nub, personality("D", "ScoringNub", "IOPropertyMatch",
                List.of(dict("model", "X1"), dict("model", "X3")))));
        assertNull(match(nub, personality("D", "ScoringNub", "IOPropertyMatch", "model")),
                "a string is not a dictionary: never matches");
    }

    @Test
    void propertyMatchComparesAStringWithDataHoldingItsBytes() {
        ScoringNub nub = new ScoringNub();
        nub.setProperty("model", "X1\0".getBytes(StandardCharsets.US_ASCII));
        assertTrue(match(nub, personality("D", "ScoringNub", "IOPropertyMatch", dict("model", "X1"))) != null);
    }

    @Test
    void propertyExistsMatchNeedsAnyOfTheKeys() {
        ScoringNub nub = new ScoringNub();
        nub.setProperty("built-in", new byte[0]);
        assertTrue(match(nub, personality("D", "ScoringNub", "IOPropertyExistsMatch", "built-in")) != null);
        assertTrue(match(nub, personality("D", "ScoringNub", "IOPropertyExistsMatch",
                List.of("external", "built-in"))) != null);
        assertNull(match(nub, personality("D", "ScoringNub", "IOPropertyExistsMatch", List.of("external"))));
    }

    // ---- IOResourceMatch -------------------------------------------------------------------------

    @Test
    void onTheResourcesNubEachNamedResourceMustBePublished() {
        IOResources resources = new IOResources();
        resources.setProperty("IOKit", "IOKit");
        assertTrue(match(resources, personality("D", "IOResources", "IOResourceMatch", "IOKit")) != null);
        assertNull(match(resources, personality("D", "IOResources", "IOResourceMatch", "IOBSD")));
        resources.setProperty("IOBSD", "IOBSD");
        assertTrue(match(resources, personality("D", "IOResources", "IOResourceMatch",
                new java.util.LinkedHashSet<>(List.of("IOKit", "IOBSD")))) != null);
    }

    @Test
    void onAnyOtherNubResourceMatchDoesNotStopMatchingButIsAWaitAtStart() {
        MatchCandidate c = match(new ScoringNub(), personality("D", "ScoringNub", "IOResourceMatch", "IOBSD"));
        assertTrue(c != null);
        assertEquals(List.of("IOBSD"), ResourceWait.of(c.table()).resources());
    }

    // ---- IOParentMatch -----------------------------------------------------------------------------

    @Test
    void parentMatchLooksAtTheProviderAndItsAncestors() {
        IOPCIBridge bridge = new IOPCIBridge();
        bridge.setName("pci-bridge");
        ScoringNub middle = new ScoringNub();
        middle.attach(bridge);
        ScoringNub nub = named("leaf");
        nub.attach(middle);
        assertTrue(match(nub, personality("D", "ScoringNub", "IOParentMatch",
                dict("IOProviderClass", "IOPCIBridge"))) != null, "the grandparent is a bridge");
        assertTrue(match(nub, personality("D", "ScoringNub", "IOParentMatch",
                dict("IONameMatch", "pci-bridge"))) != null);
        assertNull(match(nub, personality("D", "ScoringNub", "IOParentMatch",
                dict("IOProviderClass", "IOPCIDevice"))));
        assertNull(match(nub, personality("D", "ScoringNub", "IOParentMatch", dict("IONameMatch", "leaf"))),
                "I/O Kit starts the search at the provider, not at the nub itself");
        assertNull(match(new ScoringNub(), personality("D", "ScoringNub", "IOParentMatch",
                dict("IOProviderClass", "IOService"))), "a nub with no provider has no parent to match");
    }

    @Test
    void parentMatchRunsTheAncestorsFamilyMatchingForFamilyKeys() {
        IOPCIDevice pci = new IOPCIDevice(0x10008086, 0);
        ScoringNub nub = new ScoringNub();
        nub.attach(pci);
        assertTrue(match(nub, personality("D", "ScoringNub", "IOParentMatch",
                dict("IOProviderClass", "IOPCIDevice", "IOPCIMatch", "0x10008086"))) != null);
        assertNull(match(nub, personality("D", "ScoringNub", "IOParentMatch",
                dict("IOProviderClass", "IOPCIDevice", "IOPCIMatch", "0x20008086"))));
    }

    // ---- location, path, ID, count, BSD ----------------------------------------------------------------

    @Test
    void locationMatchComparesTheLocation() {
        ScoringNub nub = new ScoringNub();
        nub.setLocation("1,0");
        assertTrue(match(nub, personality("D", "ScoringNub", "IOLocationMatch", "1,0")) != null);
        assertNull(match(nub, personality("D", "ScoringNub", "IOLocationMatch", "2")));
        assertNull(match(new ScoringNub(), personality("D", "ScoringNub", "IOLocationMatch", "1,0")));
    }

    @Test
    void pathMatchComparesTheServicePlanePathOrTheIOPathProperty() {
        ScoringNub root = named("SimMachine");
        ScoringNub nub = named("ethernet");
        nub.setLocation("1");
        nub.attach(root);
        assertEquals("IOService:/ethernet@1", nub.getPath("IOService"));
        assertTrue(match(nub, personality("D", "ScoringNub", "IOPathMatch", "IOService:/ethernet@1")) != null);
        assertNull(match(nub, personality("D", "ScoringNub", "IOPathMatch", "IOService:/ethernet@2")));
        nub.setProperty("IOPath", "IODeviceTree:/pci@0/ethernet@1");
        assertTrue(match(nub, personality("D", "ScoringNub", "IOPathMatch", "IODeviceTree:/pci@0/ethernet@1")) != null);
    }

    @Test
    void registryEntryIDMatchesOnlyThatEntry() {
        ScoringNub nub = new ScoringNub();
        assertTrue(match(nub, personality("D", "ScoringNub", "IORegistryEntryID", nub.getRegistryEntryID())) != null);
        assertNull(match(nub, personality("D", "ScoringNub", "IORegistryEntryID", nub.getRegistryEntryID() + 1)));
    }

    @Test
    void matchedServiceCountComparesWithClientsThatHaveACategory() {
        MatchContext twoClients = new MatchContext() {
            @Override
            public boolean categoryTaken(String category) {
                return false;
            }

            @Override
            public int matchedServiceCount() {
                return 2;
            }
        };
        assertTrue(match(new ScoringNub(), twoClients, personality("D", "ScoringNub", "IOMatchedServiceCountMatch", 2)) != null);
        assertNull(match(new ScoringNub(), twoClients, personality("D", "ScoringNub", "IOMatchedServiceCountMatch", 0)));
        assertTrue(match(new ScoringNub(), personality("D", "ScoringNub", "IOMatchedServiceCountMatch", 0)) != null);
    }

    @Test
    void bsdKeysCompareForEquality() {
        ScoringNub nub = new ScoringNub();
        nub.setProperty("BSD Name", "disk2");
        nub.setProperty("BSD Unit", 2);
        assertTrue(match(nub, personality("D", "ScoringNub", "BSD Name", "disk2", "BSD Unit", 2L)) != null);
        assertNull(match(nub, personality("D", "ScoringNub", "BSD Name", "disk3")));
        assertNull(match(nub, personality("D", "ScoringNub", "BSD Major", 1)), "absent on the nub");
    }

    @Test
    void keysOfTheWrongTypeThatIOKitIgnoresDoNotPreventAMatch() {
        assertTrue(match(new ScoringNub(), personality("D", "ScoringNub", "IOPathMatch", 3, "IORegistryEntryID",
                "0x10", "IOLocationMatch", 4, "IOParentMatch", "IOPCIBridge")) != null);
        assertFalse(warnings.isEmpty());
    }
}
