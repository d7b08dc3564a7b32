package org.kextkit.harness.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kextkit.harness.config.ConfigException;
import org.kextkit.harness.config.ConfigLoader;
import org.kextkit.harness.config.KextkitConfig;
import org.kextkit.harness.family.MachineDescription;

/** Which machine a configuration boots on, and how a machine file that cannot be used is reported. */
class ConfiguredMachineTest {
    @TempDir
    Path dir;

    private KextkitConfig config(String... sets) {
        Properties props = new Properties();
        props.setProperty("user.home", dir.toString());
        props.setProperty("user.name", "kextkit-test");
        props.setProperty("java.io.tmpdir", dir.toString());
        return new ConfigLoader().noUserFile().environment(Map.of()).systemProperties(props).workingDirectory(dir)
                .commandLine(List.of(sets)).load();
    }

    private Path write(String name, String body) throws Exception {
        return Files.writeString(dir.resolve(name), "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\">\n"
                + body + "\n</plist>\n", StandardCharsets.UTF_8);
    }

    @Test
    void withoutAMachineFileTheBuiltInMachineIsUsed() {
        MachineDescription machine = ConfiguredMachine.load(config());

        assertEquals("SimMachine", machine.name());
        assertEquals(MachineDescriptionReader.DEFAULT_MACHINE_SOURCE, machine.source());
        assertEquals(List.of("echo-dma", "nic"), machine.devices().stream().map(d -> d.properties().get("Model")).toList());
    }

    @Test
    void theConfiguredFileIsReadRelativeToTheWorkingDirectory() throws Exception {
        Path file = write("lab.plist", "<dict><key>MachineName</key><string>Lab</string><key>Model</key>"
                + "<string>kextkit9,1</string><key>Devices</key><array><dict><key>Family</key><string>PCI</string>"
                + "<key>Slot</key><integer>5</integer><key>Model</key><string>nic</string></dict></array></dict>");

        MachineDescription machine = ConfiguredMachine.load(config("machine=lab.plist"));

        assertEquals("Lab", machine.name());
        assertEquals("kextkit9,1", machine.model());
        assertEquals(file.toString(), machine.source());
        assertEquals(1, machine.devices().size());
        assertEquals(5L, machine.devices().get(0).properties().get("Slot"));
    }

    @Test
    void aMissingFileIsAConfigurationErrorNamingFileAndSetting() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfiguredMachine.load(config("machine=gone.plist")));

        assertEquals("Invalid machine description " + dir.resolve("gone.plist") + ": the machine description file does "
                + "not exist. Fix the file, or correct kextkit.machine (set in the command line (--set kextkit.machine)).",
                e.getMessage());
    }

    @Test
    void aWrongTypeNamesTheKeyPathAndWhatWasExpected() throws Exception {
        Path file = write("lab.plist", "<dict><key>MachineName</key><string>Lab</string><key>Model</key><string>m</string>"
                + "<key>Devices</key><array><dict><key>Family</key><integer>1</integer></dict></array></dict>");

        ConfigException e = assertThrows(ConfigException.class, () -> ConfiguredMachine.load(config("machine=" + file)));

        assertTrue(e.getMessage().startsWith("Invalid machine description " + file + ": Devices[0].Family: an <integer> "
                + "(expected a non-empty <string>)."), e.getMessage());
    }

    @Test
    void aFileThatIsNoPropertyListIsReportedWithItsName() throws Exception {
        Path file = Files.writeString(dir.resolve("lab.plist"), "MachineName = Lab\n");

        ConfigException e = assertThrows(ConfigException.class, () -> ConfiguredMachine.load(config("machine=" + file)));

        assertTrue(e.getMessage().startsWith("Invalid machine description " + file), e.getMessage());
        assertTrue(e.getMessage().endsWith("Fix the file, or correct kextkit.machine (set in the command line (--set "
                + "kextkit.machine))."), e.getMessage());
    }

    @Test
    void aDirectoryIsNoMachineDescription() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("machines"));

        ConfigException e = assertThrows(ConfigException.class, () -> ConfiguredMachine.load(config("machine=machines")));

        assertTrue(e.getMessage().startsWith("Invalid machine description " + folder), e.getMessage());
    }

    @Test
    void devicesOfAnyFamilyNameAreLeftForTheKernelToCheck() throws Exception {
        write("usb.plist", "<dict><key>MachineName</key><string>Lab</string><key>Model</key><string>m</string>"
                + "<key>Devices</key><array><dict><key>Family</key><string>USB</string></dict></array></dict>");

        MachineDescription machine = ConfiguredMachine.load(config("machine=usb.plist"));

        assertEquals("USB", machine.devices().get(0).family());
    }
}
