package org.kextkit.harness.cli.ioreg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.kextkit.kit.iokit.IORegistryEntry;

/**
 * Golden output of every ioreg option against the registry of the reference's sample
 * ({@link SampleRegistry}), byte for byte.
 */
class IoregFormatterTest {
    private static final Path REFERENCE = Path.of("..", "..", "shared", "reference", "kext-semantics.md");

    private static final String ROOT = "+-o Root  <class IORegistryEntry, id 0x100000100, retain 23>\n";
    private static final String MACHINE = "<class IOPlatformExpertDevice, id 0x100000110, registered, matched, active, busy 0, retain 31>\n";
    private static final String PCI = "<class IOPCIBridge, id 0x100000200, registered, matched, active, busy 0, retain 9>\n";
    private static final String ETHERNET = "<class IOPCIDevice, id 0x100000300, registered, matched, active, busy 0, retain 12>\n";
    private static final String FOO = "<class com_example_FooEthernet, id 0x100000400, registered, matched, active, busy 0, retain 8>\n";
    private static final String USB = "<class IOPCIDevice, id 0x100000310, registered, matched, active, busy 0, retain 10>\n";
    private static final String RESOURCES = "<class IOResources, id 0x100000120, registered, matched, active, busy 0, retain 20>\n";

    /** The reference's sample: the tree with the driver's properties. */
    private static final String SAMPLE = ROOT
            + "  +-o SimMachine  " + MACHINE
            + "  | +-o pci@0  " + PCI
            + "  |   +-o ethernet@1  " + ETHERNET
            + "  |   | +-o FooEthernet  " + FOO
            + "  |   |     {\n"
            + "  |   |       \"IOClass\" = \"com_example_FooEthernet\"\n"
            + "  |   |       \"CFBundleIdentifier\" = \"com.example.driver.FooEthernet\"\n"
            + "  |   |       \"CFBundleIdentifierKernel\" = \"com.example.driver.FooEthernet\"\n"
            + "  |   |       \"IOProviderClass\" = \"IOPCIDevice\"\n"
            + "  |   |       \"IOPCIMatch\" = \"0x153a8086 0x15a28086&0xffffffff\"\n"
            + "  |   |       \"IOProbeScore\" = 1000\n"
            + "  |   |       \"IOMatchCategory\" = \"IODefaultMatchCategory\"\n"
            + "  |   |     }\n"
            + "  |   |     \n"
            + "  |   +-o usb@14  " + USB
            + "  +-o IOResources  " + RESOURCES;

    private static final String TREE = ROOT
            + "  +-o SimMachine  " + MACHINE
            + "  | +-o pci@0  " + PCI
            + "  |   +-o ethernet@1  " + ETHERNET
            + "  |   | +-o FooEthernet  " + FOO
            + "  |   +-o usb@14  " + USB
            + "  +-o IOResources  " + RESOURCES;

    private final SampleRegistry sample = SampleRegistry.build();

    private String ioreg(String... args) throws IoregUsageException {
        return IoregFormatter.format(sample.root, IoregOptions.parse(args));
    }

    @Test
    void plainIoregPrintsOneLinePerObjectWithBarsWhereSiblingsFollow() throws Exception {
        assertEquals(TREE, ioreg());
        assertEquals(TREE, IoregFormatter.format(sample.root));
    }

    @Test
    void selectingTheDriverByClassPrintsTheReferenceSample() throws Exception {
        assertEquals(SAMPLE, ioreg("-c", "com_example_FooEthernet"));
    }

    @Test
    void theSampleMatchesTheReferenceDocumentByteForByte() throws IOException, IoregUsageException {
        Assumptions.assumeTrue(Files.isRegularFile(REFERENCE),
                "the shared reference (" + REFERENCE.toAbsolutePath().normalize() + ") is not present; skipping");
        String doc = Files.readString(REFERENCE, StandardCharsets.UTF_8);
        int start = doc.indexOf("```\n+-o Root") + 4;
        String inDoc = doc.substring(start, doc.indexOf("```", start));
        assertEquals(inDoc, ioreg("-c", "com_example_FooEthernet"));
    }

    @Test
    void selectingByNameOrNameAndLocation() throws Exception {
        assertEquals(SAMPLE, ioreg("-n", "FooEthernet"));
        String pciBlock = "  |   {\n  |   }\n  |   \n";
        String expected = ROOT
                + "  +-o SimMachine  " + MACHINE
                + "  | +-o pci@0  " + PCI
                + pciBlock.replace("|   ", "|   | ")
                + "  |   +-o ethernet@1  " + ETHERNET
                + "  |   | +-o FooEthernet  " + FOO
                + "  |   +-o usb@14  " + USB
                + "  +-o IOResources  " + RESOURCES;
        assertEquals(expected, ioreg("-n", "pci"));
        assertEquals(expected, ioreg("-npci@0"));
        assertEquals(TREE, ioreg("-n", "pci@1"), "the location must match too when the name has one");
        assertEquals(SAMPLE, ioreg("-n", "FooEthernet@"), "an object without a location matches name@");
    }

    @Test
    void classSelectionIncludesSubclassesAndEmptyTablesStillPrintTheirBraces() throws Exception {
        String expected = ROOT
                + "  +-o SimMachine  " + MACHINE
                + "  | +-o pci@0  " + PCI
                + "  |   +-o ethernet@1  " + ETHERNET
                + "  |   | | {\n"
                + "  |   | | }\n"
                + "  |   | | \n"
                + "  |   | +-o FooEthernet  " + FOO
                + "  |   +-o usb@14  " + USB
                + "  |       {\n"
                + "  |       }\n"
                + "  |       \n"
                + "  +-o IOResources  " + RESOURCES;
        assertEquals(expected, ioreg("-c", "IOPCIDevice"));
        String all = ioreg("-c", "IOService");
        assertEquals(6, all.lines().filter(l -> l.endsWith("{")).count(), all);
        assertEquals(7, ioreg("-c", "OSObject").lines().filter(l -> l.endsWith("{")).count());
        assertEquals(TREE, ioreg("-c", "IOUSBHostDevice"));
    }

    @Test
    void listShowsEveryObjectsPropertiesWithBarsDownToItsChildren() throws Exception {
        String l = ioreg("-l");
        assertTrue(l.startsWith(ROOT + "  | {\n  | }\n  | \n  +-o SimMachine  " + MACHINE + "  | | {\n  | | }\n  | | \n"), l);
        assertTrue(l.endsWith("  +-o IOResources  " + RESOURCES + "      {\n      }\n      \n"), l);
        assertTrue(l.contains("  |   | +-o FooEthernet  " + FOO + "  |   |     {\n"), l);
        assertEquals(7, l.lines().filter(line -> line.endsWith("}")).count());
    }

    @Test
    void keySelectsHoldersOfAPropertyAndAllCriteriaMustHold() throws Exception {
        assertEquals(SAMPLE, ioreg("-k", "IOProbeScore"));
        assertEquals(SAMPLE, ioreg("-k", "IOProbeScore", "-c", "IOService", "-n", "FooEthernet"));
        assertEquals(TREE, ioreg("-k", "IOProbeScore", "-c", "IOPCIDevice"));
        assertEquals(TREE, ioreg("-k", "NoSuchKey"));
    }

    @Test
    void hexShowsNumbersInHex() throws Exception {
        assertEquals(SAMPLE.replace("= 1000\n", "= 0x3e8\n"), ioreg("-x", "-c", "com_example_FooEthernet"));
    }

    @Test
    void inheritanceShowsTheClassChainRootMostFirstWithoutOSObject() throws Exception {
        String expected = "+-o Root  <class IORegistryEntry, id 0x100000100, retain 23>\n"
                + "  +-o SimMachine  <class IORegistryEntry:IOService:IOPlatformExpertDevice, id 0x100000110, registered, matched, active, busy 0, retain 31>\n"
                + "  | +-o pci@0  <class IORegistryEntry:IOService:IOPCIBridge, id 0x100000200, registered, matched, active, busy 0, retain 9>\n"
                + "  |   +-o ethernet@1  <class IORegistryEntry:IOService:IOPCIDevice, id 0x100000300, registered, matched, active, busy 0, retain 12>\n"
                + "  |   | +-o FooEthernet  <class IORegistryEntry:IOService:com_example_FooEthernet, id 0x100000400, registered, matched, active, busy 0, retain 8>\n"
                + "  |   +-o usb@14  <class IORegistryEntry:IOService:IOPCIDevice, id 0x100000310, registered, matched, active, busy 0, retain 10>\n"
                + "  +-o IOResources  <class IORegistryEntry:IOService:IOResources, id 0x100000120, registered, matched, active, busy 0, retain 20>\n";
        assertEquals(expected, ioreg("-i"));
    }

    @Test
    void depthLimitsTheLevelsShown() throws Exception {
        assertEquals(ROOT, ioreg("-d", "1"));
        assertEquals(ROOT + "  +-o SimMachine  " + MACHINE + "  +-o IOResources  " + RESOURCES, ioreg("-d2"));
        assertEquals(TREE, ioreg("-d", "0"));
        assertEquals(TREE, ioreg("-d", "5"));
        // At the limit an object has no children shown, so its property block has no bar below it.
        assertEquals(ROOT + "    {\n    }\n    \n", ioreg("-l", "-d", "1"));
    }

    @Test
    void rootedPrintsEachSelectedSubtreeAsItsOwnTreeFollowedByAnEmptyLine() throws Exception {
        String expected = "+-o ethernet@1  " + ETHERNET
                + "  | {\n"
                + "  | }\n"
                + "  | \n"
                + "  +-o FooEthernet  " + FOO
                + "\n"
                + "+-o usb@14  " + USB
                + "    {\n"
                + "    }\n"
                + "    \n"
                + "\n";
        assertEquals(expected, ioreg("-r", "-c", "IOPCIDevice"));
        assertEquals("", ioreg("-r"), "-r without -c, -k or -n selects nothing");
        assertEquals("", ioreg("-r", "-c", "IOUSBHostDevice"));
    }

    @Test
    void rootedWithAncestorsShowsThePathDownToEachSubtree() throws Exception {
        String path = ROOT + "  +-o SimMachine  " + MACHINE + "    +-o pci@0  " + PCI;
        String expected = path
                + "      +-o ethernet@1  " + ETHERNET
                + "        | {\n"
                + "        | }\n"
                + "        | \n"
                + "        +-o FooEthernet  " + FOO
                + "\n"
                + path
                + "      +-o usb@14  " + USB
                + "          {\n"
                + "          }\n"
                + "          \n"
                + "\n";
        assertEquals(expected, ioreg("-rtc", "IOPCIDevice"));
    }

    @Test
    void rootedDepthAppliesPerSubtreeAndObjectsBelowItCanStartTheirOwn() throws Exception {
        String expected = "+-o SimMachine  " + MACHINE
                + "  | {\n  | }\n  | \n"
                + "  +-o pci@0  " + PCI
                + "      {\n      }\n      \n"
                + "\n"
                + "+-o ethernet@1  " + ETHERNET
                + "  | {\n  | }\n  | \n"
                + "  +-o FooEthernet  " + FOO
                + "      {\n" + "        \"IOClass\" = \"com_example_FooEthernet\"\n"
                + "        \"CFBundleIdentifier\" = \"com.example.driver.FooEthernet\"\n"
                + "        \"CFBundleIdentifierKernel\" = \"com.example.driver.FooEthernet\"\n"
                + "        \"IOProviderClass\" = \"IOPCIDevice\"\n"
                + "        \"IOPCIMatch\" = \"0x153a8086 0x15a28086&0xffffffff\"\n"
                + "        \"IOProbeScore\" = 1000\n"
                + "        \"IOMatchCategory\" = \"IODefaultMatchCategory\"\n"
                + "      }\n      \n"
                + "\n"
                + "+-o usb@14  " + USB
                + "    {\n    }\n    \n"
                + "\n"
                + "+-o IOResources  " + RESOURCES
                + "    {\n    }\n    \n"
                + "\n";
        assertEquals(expected, ioreg("-r", "-d", "2", "-c", "IOService"));
        assertEquals("+-o ethernet@1  " + ETHERNET + "    {\n    }\n    \n\n+-o usb@14  " + USB + "    {\n    }\n    \n\n",
                ioreg("-r", "-d", "1", "-c", "IOPCIDevice"));
    }

    @Test
    void widthClipsLongLinesToWidthMinusOneAndADollar() throws Exception {
        String clipped = ioreg("-w", "60");
        List<String> lines = clipped.lines().toList();
        assertEquals(List.of(
                "+-o Root  <class IORegistryEntry, id 0x100000100, retain 23$",
                "  +-o SimMachine  <class IOPlatformExpertDevice, id 0x10000$",
                "  | +-o pci@0  <class IOPCIBridge, id 0x100000200, register$",
                "  |   +-o ethernet@1  <class IOPCIDevice, id 0x100000300, r$",
                "  |   | +-o FooEthernet  <class com_example_FooEthernet, id$",
                "  |   +-o usb@14  <class IOPCIDevice, id 0x100000310, regis$",
                "  +-o IOResources  <class IOResources, id 0x100000120, regi$"), lines);
        // Root's line is 60 characters: it fits in 61 columns, and in 60 it is clipped
        assertTrue(lines.stream().allMatch(line -> line.length() == 60 && line.endsWith("$")), clipped);
        assertEquals(ROOT, ioreg("-d", "1", "-w", "61"));
        assertEquals("+-o Root  <class IORegistryEntry, id 0x100000100, retain 23$\n", ioreg("-d", "1", "-w", "60"));
        assertEquals("$\n", ioreg("-d", "1", "-w", "1"));
        assertEquals(TREE, ioreg("-w", "0"));
    }

    @Test
    void widthTurnsNewlinesInsideValuesIntoSpaces() throws Exception {
        sample.foo.setProperty("Note", "two\nlines");
        assertTrue(ioreg("-c", "com_example_FooEthernet").contains("  |   |       \"Note\" = \"two\nlines\"\n"));
        assertTrue(ioreg("-c", "com_example_FooEthernet", "-w", "200").contains("  |   |       \"Note\" = \"two lines\"\n"));
    }

    @Test
    void boldWrapsNamesInTerminalAttributesThatTakeNoColumns() throws Exception {
        String bold = ioreg("-b", "-d", "1", "-w", "20");
        assertEquals("+-o \u001b[1mRoot\u001b[0m  <class IO$\n", bold);
    }

    @Test
    void serviceStateShowsWhatIsNotSoAndAccumulatedBusyTime() throws Exception {
        sample.usb.serviceState().registered = false;
        sample.usb.serviceState().matched = false;
        sample.usb.serviceState().inactive = true;
        sample.usb.serviceState().busy = 2;
        sample.usb.serviceState().busyMillis = 153;
        assertTrue(ioreg().contains("  |   +-o usb@14  <class IOPCIDevice, id 0x100000310, !registered, !matched, "
                + "inactive, busy 2 (153 ms), retain 10>\n"), ioreg());
    }

    @Test
    void planeSelectsWhichParentChildLinksAreFollowed() throws Exception {
        assertEquals(ROOT, ioreg("-p", "IOPower"));
        sample.machine.attachToParent(sample.root, IORegistryEntry.gIOPowerPlane);
        sample.foo.attachToParent(sample.machine, IORegistryEntry.gIOPowerPlane);
        // Attaching in a plane retains both ends, as in I/O Kit.
        assertEquals(ROOT.replace("retain 23", "retain 24") + "  +-o SimMachine  " + MACHINE.replace("retain 31", "retain 33")
                + "    +-o FooEthernet  " + FOO.replace("retain 8", "retain 9"), ioreg("-p", "IOPower"));
    }
}
