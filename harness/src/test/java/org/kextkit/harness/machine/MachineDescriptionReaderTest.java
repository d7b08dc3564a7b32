package org.kextkit.harness.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kextkit.harness.family.MachineDescription;
import org.kextkit.harness.family.MachineDescriptionException;

/** Reading machine description files, and what their errors say. */
class MachineDescriptionReaderTest {
    @TempDir
    Path dir;

    private Path write(String body) throws Exception {
        Path file = dir.resolve("machine.plist");
        Files.writeString(file, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\">\n" + body + "\n</plist>\n",
                StandardCharsets.UTF_8);
        return file;
    }

    private String error(String body) throws Exception {
        Path file = write(body);
        MachineDescriptionException e = assertThrows(MachineDescriptionException.class,
                () -> new MachineDescriptionReader().read(file, List.of("PCI")));
        assertTrue(e.getMessage().startsWith(file.toString()), "names the file: " + e.getMessage());
        return e.getMessage().substring(file.toString().length());
    }

    @Test
    void readsTheMachineAndItsDevicesInFileOrder() throws Exception {
        Path file = write("<dict><key>MachineName</key><string>TestBox</string><key>Model</key><string>kextkit2,1</string>"
                + "<key>Seed</key><integer>7</integer><key>Devices</key><array>"
                + "<dict><key>Family</key><string>PCI</string><key>Slot</key><integer>3</integer>"
                + "<key>Model</key><string>nic</string><key>VendorID</key><string>0x8086</string></dict>"
                + "<dict><key>Family</key><string>PCI</string><key>Slot</key><integer>4</integer>"
                + "<key>Model</key><string>echo-dma</string></dict></array></dict>");
        MachineDescription machine = new MachineDescriptionReader().read(file, List.of("PCI"));
        assertEquals("TestBox", machine.name());
        assertEquals("kextkit2,1", machine.model());
        assertEquals(7, machine.seed());
        assertEquals(file.toString(), machine.source());
        assertEquals(2, machine.devices().size());
        MachineDescription.Device first = machine.devices().get(0);
        assertEquals("PCI", first.family());
        assertEquals("Devices[0]", first.keyPath());
        assertEquals(Map.of("Family", "PCI", "Slot", 3L, "Model", "nic", "VendorID", "0x8086"), first.properties());
    }

    @Test
    void theDefaultMachineHasAnEchoEngineAndANic() {
        MachineDescription machine = MachineDescriptionReader.defaultMachine();
        assertEquals("SimMachine", machine.name());
        assertEquals(MachineDescriptionReader.DEFAULT_MACHINE_SOURCE, machine.source());
        assertEquals(List.of("echo-dma", "nic"), machine.devices().stream().map(d -> d.properties().get("Model")).toList());
        assertEquals(List.of(1L, 2L), machine.devices().stream().map(d -> d.properties().get("Slot")).toList());
    }

    @Test
    void devicesAreOptional() throws Exception {
        MachineDescription machine = new MachineDescriptionReader().read(
                write("<dict><key>MachineName</key><string>Empty</string><key>Model</key><string>m</string></dict>"), null);
        assertEquals(List.of(), machine.devices());
        assertEquals(0, machine.seed());
    }

    @Test
    void errorsNameTheKeyPathAndWhatWasExpected() throws Exception {
        String head = "<key>MachineName</key><string>M</string><key>Model</key><string>m</string>";
        assertEquals(": MachineName: missing (expected a <string>)", error("<dict><key>Model</key><string>m</string></dict>"));
        assertEquals(": Model: an <integer> (expected a non-empty <string>)",
                error("<dict><key>MachineName</key><string>M</string><key>Model</key><integer>1</integer></dict>"));
        assertEquals(": Seed: a <string> (expected an <integer>)",
                error("<dict>" + head + "<key>Seed</key><string>7</string></dict>"));
        assertEquals(": Devices: a <dict> (expected an <array> of <dict>, one per device)",
                error("<dict>" + head + "<key>Devices</key><dict/></dict>"));
        assertEquals(": Devices[1]: a <string> (expected a <dict> with Family and the family's keys)",
                error("<dict>" + head + "<key>Devices</key><array><dict><key>Family</key><string>PCI</string></dict>"
                        + "<string>nic</string></array></dict>"));
        assertEquals(": Devices[0].Family: missing (expected a <string>)",
                error("<dict>" + head + "<key>Devices</key><array><dict/></array></dict>"));
        assertEquals(": Devices[0].Family: unknown family 'USB' (expected one of [PCI])",
                error("<dict>" + head + "<key>Devices</key><array><dict><key>Family</key><string>USB</string></dict></array></dict>"));
        assertTrue(error("<dict>" + head + "<key>Devcies</key><array/></dict>").startsWith(": Devcies: unknown key"));
    }

    @Test
    void unreadableFilesAreReportedWithoutAStackTrace() throws Exception {
        MachineDescriptionException missing = assertThrows(MachineDescriptionException.class,
                () -> new MachineDescriptionReader().read(dir.resolve("nope.plist"), null));
        assertTrue(missing.getMessage().endsWith("nope.plist: the machine description file does not exist"));
        Path file = dir.resolve("broken.plist");
        Files.writeString(file, "<plist><dict><key>MachineName</key></plist>");
        MachineDescriptionException broken = assertThrows(MachineDescriptionException.class,
                () -> new MachineDescriptionReader().read(file, null));
        assertTrue(broken.getMessage().startsWith(file.toString()), broken.getMessage());
        Path array = write("<array/>");
        MachineDescriptionException notDict = assertThrows(MachineDescriptionException.class,
                () -> new MachineDescriptionReader().read(array, null));
        assertTrue(notDict.getMessage().contains("a machine description must be a <dict>"), notDict.getMessage());
    }
}
