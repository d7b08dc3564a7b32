package org.kextkit.family.pci.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kextkit.harness.cli.CliContext;
import org.kextkit.harness.cli.KextkitCommand;
import org.kextkit.harness.cli.wiring.InProcessContextProvider;
import org.kextkit.harness.config.ConfigLoader;
import org.kextkit.harness.config.KextkitConfig;

/**
 * The command line run in its own process, as {@code bin/kextkit kextutil} runs, boots its kernel on
 * the configured machine: the built-in SimMachine without a file, else the file {@code kextkit.machine}
 * names; a machine file the PCI family rejects fails the command with status 78 and the file's error.
 */
class InProcessMachineTest {
    @TempDir
    Path dir;

    record Result(int status, String out, String err) {
    }

    private CliContext context(String... sets) {
        Properties props = new Properties();
        props.setProperty("user.home", dir.toString());
        props.setProperty("user.name", "kextkit-test");
        props.setProperty("java.io.tmpdir", dir.toString());
        KextkitConfig config = new ConfigLoader().noUserFile().environment(Map.of()).systemProperties(props)
                .workingDirectory(dir).commandLine(List.of(sets)).load();
        return InProcessContextProvider.context(config);
    }

    private Result run(CliContext context, String... argv) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = KextkitCommand.run(List.of(argv), dir, new PrintWriter(out), new PrintWriter(err), context);
        return new Result(status, out.toString(), err.toString());
    }

    /** Return ioreg's tree with entry IDs and retain counts masked, which vary with what ran before. */
    private static String tree(String ioreg) {
        return ioreg.replaceAll("id 0x[0-9a-f]+", "id ID").replaceAll("retain \\d+", "retain N");
    }

    private Path machineFile(String devices) throws Exception {
        return Files.writeString(dir.resolve("lab.plist"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <plist version="1.0">
                <dict>
                    <key>MachineName</key><string>LabBox</string>
                    <key>Model</key><string>kextkit7,1</string>
                    <key>Devices</key><array>%s</array>
                </dict>
                </plist>
                """.formatted(devices), StandardCharsets.UTF_8);
    }

    private static String pci(int slot, String model) {
        return "<dict><key>Family</key><string>PCI</string><key>Slot</key><integer>" + slot + "</integer>"
                + "<key>Model</key><string>" + model + "</string></dict>";
    }

    @Test
    void kextutilLoadsAPciDriverOnTheDefaultMachineAndIoregShowsTheBus() {
        Path kext = EchoDriverKext.write(dir);
        CliContext context = context();

        Result util = run(context, "kextutil", "-v", kext.toString());
        Result ioreg = run(context, "ioreg", "-w", "0");

        assertEquals(0, util.status(), util.err());
        assertTrue(util.err().contains("(kernel) EchoDriver: engine ID 0x45434831 in slot 1\n"), util.err());
        assertEquals(0, ioreg.status(), ioreg.err());
        assertEquals("""
                +-o Root  <class IORegistryEntry, id ID, retain N>
                  +-o SimMachine  <class IOPlatformExpertDevice, id ID, registered, matched, active, busy 0, retain N>
                  | +-o pci@0  <class IOPCIBridge, id ID, registered, matched, active, busy 0, retain N>
                  |   +-o pci1234,ed1@1  <class IOPCIDevice, id ID, registered, matched, active, busy 0, retain N>
                  |   | +-o com_example_echodriver_EchoDriver  <class com_example_echodriver_EchoDriver, id ID, !registered, !matched, active, busy 0, retain N>
                  |   +-o ethernet@2  <class IOPCIDevice, id ID, registered, matched, active, busy 0, retain N>
                  +-o IOResources  <class IOResources, id ID, registered, matched, active, busy 0, retain N>
                """, tree(ioreg.out()));
    }

    @Test
    void kextlibsNamesTheFamilyADriversBytecodeUses() {
        Path forgets = EchoDriverKext.write(dir, "Forgetful.kext", false);

        Result libs = run(context(), "kextlibs", forgets.toString());

        assertEquals(0, libs.status(), libs.err());
        assertTrue(libs.out().contains("    com.apple.iokit.IOPCIFamily = 2.9\n"), libs.out());
        assertTrue(libs.out().contains("    com.apple.kpi.iokit = "), libs.out());
    }

    @Test
    void kextutilTrialLinksADriverAgainstTheFamilyItDeclares() {
        Path declares = EchoDriverKext.write(dir);
        Path forgets = EchoDriverKext.write(dir, "Forgetful.kext", false);
        CliContext context = context();

        Result linked = run(context, "kextutil", "-n", "-v", declares.toString());
        Result unlinked = run(context, "kextutil", "-n", forgets.toString());

        assertEquals(0, linked.status(), linked.err());
        assertTrue(linked.err().contains(declares + " appears to be loadable (including linkage for on-disk "
                + "libraries).\n"), linked.err());
        assertEquals(4, unlinked.status(), unlinked.err());
        assertTrue(unlinked.err().contains("org.kextkit.family.pci.IOPCIDevice (referenced by "
                + "com.example.echodriver.EchoDriver) is exported by the family com.apple.iokit.IOPCIFamily, which "
                + "com.example.EchoDriver does not declare; add com.apple.iokit.IOPCIFamily (2.9) to OSBundleLibraries.\n"),
                unlinked.err());
    }

    @Test
    void whymatchWithItsOwnKernelExplainsBothNubsOfTheDefaultMachine() {
        Path kext = EchoDriverKext.write(dir);
        CliContext context = context();

        Result engine = run(context, "whymatch", "--own-kernel", kext.toString(), "pci1234,ed1@1");
        Result nic = run(context, "whymatch", "--own-kernel", kext.toString(), "ethernet@2");

        assertEquals(0, engine.status(), engine.err());
        assertTrue(engine.out().startsWith("Kext: com.example.EchoDriver\nMatching for pci1234,ed1@1 (IOPCIDevice : IOService) at "
                + "IOService:/SimMachine/pci@0/pci1234,ed1@1, id 0x"), engine.out());
        assertTrue(engine.out().contains("\ncom.example.EchoDriver \"EchoEngine\"\n  matched, score 0, rank 1 of 1"), engine.out());
        assertTrue(engine.out().contains("* com.example.EchoDriver \"EchoEngine\" com_example_echodriver_EchoDriver"),
                engine.out());
        assertEquals(0, nic.status(), nic.err());
        assertTrue(nic.out().contains("\ncom.example.EchoDriver \"EchoEngine\"\n  "), nic.out());
        assertFalse(nic.out().contains("\"EchoEngine\"\n  matched"), nic.out());
        assertTrue(nic.out().contains("    FAIL  IOPCIMatch       item '0x0ed11234' matches device/vendor 0x0e7e1234 or "
                + "subsystem 0x00021234\n"), nic.out());
        assertTrue(nic.out().endsWith("The nub's last matching found no personality that matches it: no driver was "
                + "probed.\n"), nic.out());
    }

    @Test
    void aMachineFileReplacesTheDefaultMachine() throws Exception {
        machineFile(pci(3, "nic") + pci(4, "echo-dma"));
        CliContext context = context("machine=lab.plist");

        Result util = run(context, "kextutil", "-v", EchoDriverKext.write(dir).toString());
        Result ioreg = run(context, "ioreg", "-w", "0", "-d", "4");

        assertEquals(0, util.status(), util.err());
        assertTrue(util.err().contains("(kernel) EchoDriver: engine ID 0x45434831 in slot 4\n"), util.err());
        assertTrue(tree(ioreg.out()).contains("""
                  +-o LabBox  <class IOPlatformExpertDevice, id ID, registered, matched, active, busy 0, retain N>
                  | +-o pci@0  <class IOPCIBridge, id ID, registered, matched, active, busy 0, retain N>
                  |   +-o ethernet@3  <class IOPCIDevice, id ID, registered, matched, active, busy 0, retain N>
                  |   +-o pci1234,ed1@4  <class IOPCIDevice, id ID, registered, matched, active, busy 0, retain N>
                """), ioreg.out());
    }

    @Test
    void aDeviceModelThePciFamilyDoesNotKnowFailsKextutilWithTheConfigurationStatus() throws Exception {
        Path file = machineFile(pci(1, "sound-card"));
        CliContext context = context("machine=" + file);

        Result util = run(context, "kextutil", "-v", EchoDriverKext.write(dir).toString());

        assertEquals(78, util.status(), util.err());
        assertTrue(util.err().contains("kextutil: Invalid machine description " + file + ": Devices[0].Model: "
                + "'sound-card' is not a built-in model"), util.err());
        assertTrue(util.err().endsWith("Fix the file, or correct kextkit.machine (set in the command line (--set "
                + "kextkit.machine)).\n"), util.err());
        assertFalse(util.err().contains("\tat "), "no stack trace: " + util.err());
    }

    @Test
    void aSlotTakenTwiceOrAMissingFileFailsWhymatchWithTheConfigurationStatus() throws Exception {
        Path file = machineFile(pci(1, "echo-dma") + pci(1, "nic"));

        Result twice = run(context("machine=" + file), "whymatch", "--own-kernel", "com.example.X", "ethernet@1");
        Result missing = run(context("machine=gone.plist"), "whymatch", "--own-kernel", "com.example.X", "ethernet@1");

        assertEquals(78, twice.status(), twice.err());
        assertTrue(twice.err().startsWith("whymatch: Invalid machine description " + file + ": Devices[1].Slot: PCI slot 1 "
                + "function 0 is already taken by echo-dma. "), twice.err());
        assertEquals(78, missing.status(), missing.err());
        assertEquals("whymatch: Invalid machine description " + dir.resolve("gone.plist") + ": the machine description "
                + "file does not exist. Fix the file, or correct kextkit.machine (set in the command line (--set "
                + "kextkit.machine)).\n", missing.err());
    }
}
