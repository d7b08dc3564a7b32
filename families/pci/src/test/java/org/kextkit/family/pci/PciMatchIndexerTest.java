package org.kextkit.family.pci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.kextkit.family.pci.internal.PciFamilyProvider;
import org.kextkit.harness.family.MatchIndexer;
import org.kextkit.harness.iokit.matching.ChecksFamilyKeys;
import org.kextkit.hardware.pci.PciDeviceModel;
import org.kextkit.hardware.pci.PciIdentity;
import org.kextkit.kit.internal.KernelRuntime;
import org.kextkit.kit.libkern.SInt32;
import org.kextkit.pci.testing.TestKernel;

/** The IOPCIDevice index never hides a personality that would match, and narrows the rest. */
class PciMatchIndexerTest {
    private final MatchIndexer indexer = new PciFamilyProvider().matchIndexers().get("IOPCIDevice");

    static final class Bare extends PciDeviceModel {
        Bare(PciIdentity id) {
            super(id);
        }
    }

    @Test
    void indexesByVendorSubsystemVendorOrBaseClassWhenMasksAllow() {
        assertEquals(Set.of("v:8086"), indexer.personalityKeys(Map.of("IOPCIPrimaryMatch", "0x10d38086")));
        assertEquals(Set.of("v:8086", "s:8086", "v:10de", "s:10de"),
                indexer.personalityKeys(Map.of("IOPCIMatch", "0x10d38086 0x000010de&0x0000ffff")));
        assertEquals(Set.of("s:106b"), indexer.personalityKeys(Map.of("IOPCISecondaryMatch", "0x0000106b&0x0000FFFF")));
        assertEquals(Set.of("c:6"), indexer.personalityKeys(Map.of("IOPCIClassMatch", "0x06040000&0xffff0000")));
        assertEquals(Set.of("v:10de", "s:10de"), indexer.personalityKeys(
                Map.of("IOPCIMatch", "0x000010de&0x0000ffff", "IOPCIClassMatch", "0x03000000&0xff000000")),
                "a vendor key is preferred to the class key");
    }

    @Test
    void leavesUnindexablePersonalitiesForEveryNub() {
        assertEquals(Set.of(), indexer.personalityKeys(Map.of("IOPCIMatch", "0x10d30000&0xffff0000")), "device-only mask");
        assertEquals(Set.of(), indexer.personalityKeys(Map.of("IOPCIMatch", "0x1&0x0x0")), "the typo matches everything");
        assertEquals(Set.of(), indexer.personalityKeys(Map.of("IOPCIClassMatch", "0x00030000&0x00ff0000")));
        assertEquals(Set.of(), indexer.personalityKeys(Map.of("IONameMatch", "pci-bridge")));
        assertEquals(Set.of(), indexer.personalityKeys(Map.of("IONameMatch", List.of("pci8086,153a", "ethernet"))),
                "one name that is not a PCI name leaves the personality unindexed");
    }

    @Test
    void pciDeviceTreeNamesInIONameMatchAreFiledByVendorOrClass() {
        assertEquals(Set.of("v:8086", "s:8086"), indexer.personalityKeys(Map.of("IONameMatch", "pci8086,153a")),
                "a device name matches through the nub's own IDs or its subsystem IDs");
        assertEquals(Set.of("v:8086", "s:8086", "c:2"),
                indexer.personalityKeys(Map.of("IONameMatch", List.of("pci8086,153a", "pciclass,020000"))));
        assertEquals(Set.of(), indexer.personalityKeys(Map.of("IOPCIMatch", 5L)));
    }

    @Test
    void aNubsKeysCoverEveryPersonalityThatMatchesIt() {
        List<Map<String, Object>> personalities = List.of(
                Map.of("IOPCIMatch", "0x10d38086"), Map.of("IOPCIMatch", "0xa01f8086"),
                Map.of("IOPCIPrimaryMatch", "0x00008086&0x0000ffff"), Map.of("IOPCISecondaryMatch", "0xa01f8086"),
                Map.of("IOPCIClassMatch", "0x02000000"), Map.of("IOPCIClassMatch", "0x02000000&0xff000000"),
                Map.of("IOPCIMatch", "0x10d31234"), Map.of("IOPCIClassMatch", "0x03000000"));
        TestKernel kernel = new TestKernel();
        try (KernelRuntime.Scope scope = kernel.enter()) {
            IOPCIDevice nub = new IOPCIDevice(kernel.bus().plug(1, 0,
                    new Bare(new PciIdentity(0x8086, 0x10d3, 0x8086, 0xa01f, 0x020000, 3)), null));
            Set<String> nubKeys = indexer.nubKeys(nub);
            int matched = 0;
            for (Map<String, Object> p : personalities) {
                Set<String> keys = new HashSet<>(indexer.personalityKeys(p));
                boolean matches = nub.matchPropertyTable(p, new SInt32(0));
                keys.retainAll(nubKeys);
                if (matches) {
                    matched++;
                    assertTrue(indexer.personalityKeys(p).isEmpty() || !keys.isEmpty(), "the index would hide " + p);
                }
            }
            assertEquals(6, matched);
        }
    }

    @Test
    void reportsMalformedMasksForTheCatalogue() {
        var warnings = ((ChecksFamilyKeys) indexer).checkFamilyKeys(Map.of("IOPCIClassMatch", "0x02000000&0x0xffff0000"));
        assertEquals(1, warnings.size());
        assertEquals("IOPCIClassMatch", warnings.get(0).key());
        assertTrue(warnings.get(0).message().startsWith("\"0x02000000&0x0xffff0000\": "), warnings.get(0).message());
    }
}
