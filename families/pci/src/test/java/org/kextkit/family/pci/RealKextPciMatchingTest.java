package org.kextkit.family.pci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.dd.plist.NSDictionary;
import com.dd.plist.NSObject;
import com.dd.plist.NSString;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.kextkit.family.pci.internal.PciFamilyProvider;
import org.kextkit.family.pci.internal.PciIds;
import org.kextkit.family.pci.internal.PciMatchKey;
import org.kextkit.family.pci.internal.PciMatchList;
import org.kextkit.family.pci.internal.PciMatcher;
import org.kextkit.hardware.pci.PciDeviceModel;
import org.kextkit.hardware.pci.PciIdentity;
import org.kextkit.harness.bundle.InfoPlistReader;
import org.kextkit.harness.iokit.Personalities;
import org.kextkit.harness.iokit.matching.DriverCatalogue.MatchContext;
import org.kextkit.harness.iokit.matching.IOCatalogue;
import org.kextkit.harness.iokit.matching.MatchCandidate;
import org.kextkit.kit.internal.KernelRuntime;
import org.kextkit.pci.testing.TestKernel;

/**
 * Every personality in the shared real-kext corpus whose provider is {@code IOPCIDevice}, matched
 * against simulated devices built from the IDs it names: one device per item of each PCI key (with
 * the personality's other keys satisfied), each of which must match with the expected score and
 * category, and one device with other IDs, which must not.
 *
 * <p>Matching goes the kernel's way: every readable Info.plist of the corpus sends its
 * {@code IOKitPersonalities} to one {@link IOCatalogue} indexed by the PCI family, and each device is
 * an {@link IOPCIDevice} nub over a simulated function, for which {@code findDrivers} runs the index,
 * the generic keys ({@code IONameMatch} among them) and the nub's {@code matchPropertyTable}. The
 * personality under test must be among the candidates, with its score and category.
 */
class RealKextPciMatchingTest {
    /**
     * What each personality must do. Score on x86_64 is always the personality's IOProbeScore; on
     * arm64 an IOPCIMatch hit on the vendor/device register adds 1000.
     *
     * @param devices how many matching devices the personality's items yield
     */
    record Expected(String file, String personality, int devices, int x86Score, int arm64Score, String category,
            String what) {
    }

    private static final List<Expected> TABLE = List.of(
            new Expected("OpenIntelWireless-itlwm/Info.plist", "itlwm", 1, 2000, 2000, "IODefaultMatchCategory",
                    "vendor-only IOPCIPrimaryMatch 0x00008086&0x0000ffff: any Intel device; a primary key adds no bonus"),
            new Expected("acidanthera-WhateverGreen/Info.plist", "NVHDAEnabler", 2, 300000, 301000, "IOFramebuffer",
                    "vendor-only IOPCIMatch (NVIDIA) AND class match on base class 0x03 (display)"),
            new Expected("apple-IOPCIFamily/Info.plist", "IOPCI2PCIBridge-Name", 1, 0, 0, "IODefaultMatchCategory",
                    "IONameMatch pci-bridge: any PCI-to-PCI bridge by its device-tree name"),
            new Expected("apple-IOPCIFamily/Info.plist", "IOPCI2PCIBridge-PCI", 1, 0, 1000, "IODefaultMatchCategory",
                    "one exact IOPCIMatch ID (DEC 21152 bridge)"),
            new Expected("apple-IOPCIFamily/Info.plist", "IOPCI2PCIBridge-i386", 1, 0, 0, "IODefaultMatchCategory",
                    "class match 0x06040000&0xffff0000: PCI-to-PCI bridges, any programming interface"),
            new Expected("apple-IOUSBFamily/PlugIns/AppleUSBEHCI.kext/Info.plist", "AppleUSBEHCI", 1, 0, 0,
                    "IODefaultMatchCategory", "class match 0x0c032000 with the default mask: EHCI, any revision"),
            new Expected("VoodooI2C-VoodooI2C/Info.plist", "VoodooI2CPCIController", 4, 9999, 10999, "IODefaultMatchCategory",
                    "four IOPCIMatch IDs with upper-case masks 0xFFFCFFFF: four device IDs each"),
            new Expected("VoodooI2C-VoodooI2C/Info.plist", "VoodooI2CPCILakeController", 3, 9999, 10999,
                    "IODefaultMatchCategory", "three IOPCIMatch IDs with upper-case masks"),
            new Expected("acidanthera-IntelMausi/Info.plist", "IntelMausi", 51, 1000, 2000, "IODefaultMatchCategory",
                    "a list of 51 exact IOPCIMatch IDs in upper-case hex"),
            new Expected("RehabMan-XHCI-unsupported/Info.plist", "AppleUSBXHCILPTH 9-series", 1, 900, 900,
                    "IODefaultMatchCategory", "one exact IOPCIPrimaryMatch ID"),
            new Expected("RehabMan-XHCI-unsupported/Info.plist", "AppleUSBXHCILPTH X99", 1, 900, 900,
                    "IODefaultMatchCategory", "one exact IOPCIPrimaryMatch ID"),
            new Expected("RehabMan-XHCI-unsupported/Info.plist", "AppleUSBXHCISPT 200-X299", 1, 900, 900,
                    "IODefaultMatchCategory", "one exact IOPCIPrimaryMatch ID"),
            new Expected("RehabMan-XHCI-unsupported/Info.plist", "AppleUSBXHCISPT 300", 2, 900, 900,
                    "IODefaultMatchCategory", "two IOPCIPrimaryMatch IDs"));

    // The IDs of a device no corpus personality names: Red Hat's QEMU vendor, an unassigned class.
    private static final PciIds NEUTRAL = PciIds.of(0x1b36, 0x0001, 0xff0000, 0x00, 0x1b36, 0x0001);

    /** A function with an identity and nothing else, enough to match against. */
    static final class IdentityOnly extends PciDeviceModel {
        IdentityOnly(PciIdentity identity) {
            super(identity);
        }
    }

    /** What matching said about one nub. */
    record Outcome(boolean matched, int score, String category) {
    }

    private static Path corpus() {
        Path module = Paths.get(System.getProperty("basedir", "")).toAbsolutePath();
        Path root = module.resolve("../..").normalize();
        Path corpus = root.resolve("../shared/corpus/real-kexts").normalize();
        assumeTrue(Files.isDirectory(corpus), "the real-kext corpus is not at " + corpus
                + " (it lives in ../shared beside the project); skipping the corpus matching test");
        return corpus;
    }

    @Test
    void everyIoPciDevicePersonalityInTheCorpusIsInTheTable() throws Exception {
        Path corpus = corpus();
        TreeSet<String> found = new TreeSet<>();
        try (Stream<Path> files = Files.walk(corpus)) {
            for (Path file : files.filter(p -> p.getFileName().toString().equals("Info.plist")).collect(Collectors.toList())) {
                if (!readable(file)) {
                    // Unbuilt templates (C preprocessor directives) cannot be read; none may hide a PCI personality.
                    assertFalse(Files.readString(file).contains("IOPCIDevice"), file + " names IOPCIDevice but cannot be read");
                    continue;
                }
                for (Map.Entry<String, Map<String, Object>> p : pciPersonalities(file).entrySet()) {
                    found.add(corpus.relativize(file).toString().replace('\\', '/') + " " + p.getKey());
                }
            }
        }
        TreeSet<String> expected = TABLE.stream().map(e -> e.file() + " " + e.personality())
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(expected, found, "a corpus personality with IOProviderClass IOPCIDevice is missing from the table, or gone");
    }

    @TestFactory
    Stream<DynamicTest> eachPersonalityMatchesTheDevicesItNamesAndNoOther() {
        Path corpus = corpus();
        return TABLE.stream().map(e -> DynamicTest.dynamicTest(e.file() + " " + e.personality() + ": " + e.what(), () -> {
            Map<String, Object> personality = pciPersonalities(corpus.resolve(e.file())).get(e.personality());
            List<PciIds> devices = devicesNamedBy(personality);
            assertEquals(e.devices(), devices.size(), "devices built from the personality's items");
            for (PciIds ids : devices) {
                Outcome x86 = match(e.file(), e.personality(), ids, "x86_64");
                assertTrue(x86.matched(), "should match " + ids);
                assertEquals(e.x86Score(), x86.score(), "x86_64 score for " + ids);
                assertEquals(e.category(), x86.category());
                Outcome arm = match(e.file(), e.personality(), ids, "arm64");
                assertTrue(arm.matched(), "should match " + ids + " on arm64");
                assertEquals(e.arm64Score(), arm.score(), "arm64 score for " + ids);
            }
            assertFalse(match(e.file(), e.personality(), NEUTRAL, "x86_64").matched(),
                    "should not match a device with other IDs " + NEUTRAL);
            assertFalse(match(e.file(), e.personality(), NEUTRAL, "arm64").matched(),
                    "should not match a device with other IDs " + NEUTRAL + " on arm64");
        }));
    }

    @Test
    void theCatalogueWarnsAboutExactlyTheKeysOfTheCorpusThatIoKitWouldMisread() throws Exception {
        Corpus corpus = corpusCatalogue();
        for (Expected e : TABLE) {
            assertEquals(List.of(), corpus.warnings.get(e.file()).stream()
                    .filter(line -> line.contains("personality \"" + e.personality() + "\" ")).collect(Collectors.toList()),
                    e.file() + " " + e.personality() + ": the real PCI keys (upper-case masks, lists, vendor-only and"
                            + " class matches) parse cleanly");
        }
        // The corpus's one misreadable key: IOHIDFamily's IOMatchDefer written as the string "YES".
        String hid = "apple-IOHIDFamily/PlugIns/IOHIDEventDriver.kext/Info.plist";
        List<String> all = corpus.warnings.values().stream().flatMap(List::stream).collect(Collectors.toList());
        assertEquals(List.of("HID Fast Path", "BLE Trackable Accessory").stream().map(name -> hid + ": personality \"" + name
                + "\" key IOMatchDefer: expected a boolean (<true/> or <false/>), found the string \"YES\"; I/O Kit reads it as"
                + " an OSBoolean, so it is ignored as if the key were absent").collect(Collectors.toList()), all);
    }

    @Test
    void ioPciMatchItemsAlsoMatchTheSubsystemRegisterWithoutTheArm64Bonus() throws Exception {
        Map<String, Object> mausi = pciPersonalities(corpus().resolve("acidanthera-IntelMausi/Info.plist")).get("IntelMausi");
        PciMatchList ids = PciMatcher.parsed(PciMatchKey.IOPCIMatch, (String) mausi.get("IOPCIMatch"));
        assertEquals(51, ids.items().size());
        PciIds subsystemOnly = new PciIds(NEUTRAL.vendorDevice(), NEUTRAL.classRevision(), ids.items().get(50).value());
        Outcome arm = match("acidanthera-IntelMausi/Info.plist", "IntelMausi", subsystemOnly, "arm64");
        assertTrue(arm.matched());
        assertEquals(1000, arm.score());
    }

    @Test
    void maskedItemsMatchEveryDeviceIdTheMaskAllows() throws Exception {
        String file = "VoodooI2C-VoodooI2C/Info.plist";
        String voodoo = "VoodooI2CPCIController";
        for (int device = 0x9d60; device <= 0x9d63; device++) {
            assertTrue(match(file, voodoo, withPrimary(NEUTRAL, device << 16 | 0x8086), "x86_64").matched(),
                    Integer.toHexString(device));
        }
        assertFalse(match(file, voodoo, withPrimary(NEUTRAL, 0x9d64_8086), "x86_64").matched());
        assertFalse(match(file, voodoo, withPrimary(NEUTRAL, 0x9d60_8087), "x86_64").matched(), "the vendor is not masked");
    }

    // ---- the match itself: the kernel's catalogue and a nub ----------------------------------------

    /** The corpus catalogue, built once: every personality of every readable Info.plist. */
    private static final class Corpus {
        final IOCatalogue catalogue = new IOCatalogue(new PciFamilyProvider().matchIndexers());
        /** Info.plist path relative to the corpus -> the catalogue's warnings for it, in order. */
        final Map<String, List<String>> warnings = new LinkedHashMap<>();
        /** Info.plist path relative to the corpus -> its CFBundleIdentifier (the personalities' publisher). */
        final Map<String, String> publishers = new LinkedHashMap<>();

        Corpus(Path root) throws Exception {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path file : files.filter(p -> p.getFileName().toString().equals("Info.plist")).sorted()
                        .collect(Collectors.toList())) {
                    if (!readable(file)) {
                        continue;
                    }
                    NSDictionary plist = new InfoPlistReader().read(file);
                    NSObject id = plist.get("CFBundleIdentifier");
                    NSObject personalities = plist.get("IOKitPersonalities");
                    if (!(id instanceof NSString) || !(personalities instanceof NSDictionary)) {
                        continue;
                    }
                    String relative = root.relativize(file).toString().replace('\\', '/');
                    String bundleId = ((NSString) id).getContent();
                    Map<String, Map<String, Object>> tables = new LinkedHashMap<>();
                    for (Map.Entry<String, NSObject> e : ((NSDictionary) personalities).entrySet()) {
                        if (e.getValue() instanceof NSDictionary) {
                            tables.put(e.getKey(), Personalities.dictionary((NSDictionary) e.getValue()));
                        }
                    }
                    List<String> lines = new ArrayList<>();
                    catalogue.addDrivers(bundleId, tables, relative, lines::add);
                    warnings.put(relative, lines);
                    publishers.put(relative, bundleId);
                }
            }
        }
    }

    private static Corpus loaded;

    private static synchronized Corpus corpusCatalogue() throws Exception {
        if (loaded == null) {
            loaded = new Corpus(corpus());
        }
        return loaded;
    }

    /** Match a nub with {@code ids} on {@code architecture}; return what became of the file's personality. */
    private static Outcome match(String file, String personality, PciIds ids, String architecture) throws Exception {
        Corpus corpus = corpusCatalogue();
        String publisher = corpus.publishers.get(file);
        TestKernel kernel = new TestKernel(architecture);
        try (KernelRuntime.Scope scope = kernel.enter()) {
            PciIdentity identity = new PciIdentity(ids.vendorId(), ids.deviceId(), ids.subsystemVendorId(),
                    ids.subsystemId(), ids.classCode(), ids.revisionId());
            IOPCIDevice nub = new IOPCIDevice(kernel.bus().plug(1, 0, new IdentityOnly(identity), null));
            for (MatchCandidate c : corpus.catalogue.findDrivers(nub, MatchContext.EMPTY)) {
                if (c.personalityName().equals(personality) && publisher.equals(c.table().get("IOPersonalityPublisher"))) {
                    return new Outcome(true, c.score(), c.category());
                }
            }
            return new Outcome(false, 0, null);
        }
    }

    // ---- building devices from a personality's items ------------------------------------------------

    private static List<PciIds> devicesNamedBy(Map<String, Object> personality) {
        List<PciIds> devices = new ArrayList<>();
        for (PciMatchKey key : PciMatchKey.values()) {
            Object value = personality.get(key.key());
            if (value == null) {
                continue;
            }
            for (PciMatchList.Item item : PciMatcher.parsed(key, (String) value).items()) {
                PciIds ids = apply(satisfyingAllBut(personality, key), key, item);
                devices.add(ids);
            }
        }
        if (devices.isEmpty() && personality.get("IONameMatch") instanceof String) {
            devices.add(deviceNamed((String) personality.get("IONameMatch")));
        }
        return devices;
    }

    // The neutral device with the first item of every PCI key other than {@code except} applied.
    private static PciIds satisfyingAllBut(Map<String, Object> personality, PciMatchKey except) {
        PciIds ids = NEUTRAL;
        for (PciMatchKey key : PciMatchKey.values()) {
            Object value = personality.get(key.key());
            if (key != except && value != null) {
                ids = apply(ids, key, PciMatcher.parsed(key, (String) value).items().get(0));
            }
        }
        return ids;
    }

    private static PciIds apply(PciIds ids, PciMatchKey key, PciMatchList.Item item) {
        int mask = item.mask();
        if (key.comparesClass()) {
            return new PciIds(ids.vendorDevice(), merge(ids.classRevision(), item.value(), mask), ids.subsystem());
        }
        if (key.comparesPrimary()) {
            return withPrimary(ids, merge(ids.vendorDevice(), item.value(), mask));
        }
        return new PciIds(ids.vendorDevice(), ids.classRevision(), merge(ids.subsystem(), item.value(), mask));
    }

    private static int merge(int register, int value, int mask) {
        return (register & ~mask) | (value & mask);
    }

    private static PciIds withPrimary(PciIds ids, int vendorDevice) {
        return new PciIds(vendorDevice, ids.classRevision(), ids.subsystem());
    }

    private static PciIds deviceNamed(String name) {
        if (name.equals("pci-bridge")) {
            return new PciIds(NEUTRAL.vendorDevice(), 0x06040000, NEUTRAL.subsystem());
        }
        throw new IllegalArgumentException("no device recipe for the name " + name);
    }

    // ---- reading the corpus --------------------------------------------------------------------------

    private static boolean readable(Path plist) {
        try {
            new InfoPlistReader().read(plist);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static Map<String, Map<String, Object>> pciPersonalities(Path plist) {
        NSDictionary root;
        try {
            root = new InfoPlistReader().read(plist);
        } catch (Exception e) {
            throw new IllegalStateException(plist + ": " + e.getMessage(), e);
        }
        Map<String, Map<String, Object>> result = new LinkedHashMap<>();
        NSObject personalities = root.get("IOKitPersonalities");
        if (!(personalities instanceof NSDictionary)) {
            return result;
        }
        for (Map.Entry<String, NSObject> e : ((NSDictionary) personalities).entrySet()) {
            if (e.getValue() instanceof NSDictionary) {
                Map<String, Object> table = Personalities.dictionary((NSDictionary) e.getValue());
                if ("IOPCIDevice".equals(table.get("IOProviderClass"))) {
                    result.put(e.getKey(), table);
                }
            }
        }
        return result;
    }
}
