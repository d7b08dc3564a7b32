package org.kextkit.family.pci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.kextkit.family.pci.internal.PciFamilyProvider;
import org.kextkit.hardware.pci.PciFunction;
import org.kextkit.hardware.pci.PciHardware;
import org.kextkit.hardware.pci.models.EchoDmaDevice;
import org.kextkit.hardware.pci.models.NicDevice;
import org.kextkit.harness.family.BuiltInKext;
import org.kextkit.harness.family.FamilyProvider;
import org.kextkit.harness.family.MachineDescription;
import org.kextkit.harness.family.MachineDescriptionException;
import org.kextkit.harness.machine.MachineDescriptionReader;
import org.kextkit.pci.testing.TestKernel;

/** The PCI family as the kernel finds it: its built-in kext, its index, and the bus it builds from a machine. */
class PciFamilyProviderTest {
    private static final PciFamilyProvider PCI = new PciFamilyProvider();

    private static MachineDescription machine(Map<String, Object> device) {
        return new MachineDescription("test.plist", "M", "m", 0, List.of(new MachineDescription.Device("PCI", "Devices[0]", device)));
    }

    private static String error(Map<String, Object> device) {
        return assertThrows(MachineDescriptionException.class, () -> PCI.createHardware(machine(device), new TestKernel()))
                .getMessage();
    }

    @Test
    void isFoundByTheServiceLoader() {
        List<String> names = ServiceLoader.load(FamilyProvider.class).stream().map(p -> p.get().familyName())
                .collect(Collectors.toList());
        assertTrue(names.contains("PCI"), names.toString());
    }

    @Test
    @SuppressWarnings("unchecked")
    void shipsIoPciFamilyAsALibraryKextWithTheBridgePersonality() {
        BuiltInKext kext = PCI.builtInKexts().get(0);
        assertEquals("com.apple.iokit.IOPCIFamily", kext.bundleIdentifier());
        assertEquals("2.9", kext.infoPlist().get("CFBundleVersion"));
        assertEquals("1.0.0b1", kext.infoPlist().get("OSBundleCompatibleVersion"));
        assertEquals(Map.of("com.apple.kpi.iokit", "8.0", "com.apple.kpi.libkern", "8.0"), kext.infoPlist().get("OSBundleLibraries"));
        assertEquals(List.of("org.kextkit.family.pci"), kext.exportedPackages());
        Map<String, Object> bridge = ((Map<String, Map<String, Object>>) kext.infoPlist().get("IOKitPersonalities")).get("IOPCIBridge");
        assertEquals("IOPlatformExpertDevice", bridge.get("IOProviderClass"));
        assertEquals("IOPCIBridge", bridge.get("IOMatchCategory"));
        assertEquals("IOPCIBridge", bridge.get("IOClass"));
        assertEquals(IOPCIBridge.class.getClassLoader(), kext.classLoader());
        assertTrue(PCI.matchIndexers().containsKey("IOPCIDevice"));
    }

    @Test
    void buildsTheDefaultMachinesBus() throws Exception {
        PciHardware bus = (PciHardware) PCI.createHardware(MachineDescriptionReader.defaultMachine(), new TestKernel());
        assertEquals(2, bus.functions().size());
        assertInstanceOf(EchoDmaDevice.class, bus.model(1, EchoDmaDevice.class));
        assertInstanceOf(NicDevice.class, bus.model(2, NicDevice.class));
        assertEquals(PciHardware.class, bus.lookupType());
    }

    @Test
    void appliesIdentityOverridesFromTheMachineFile() throws Exception {
        PciHardware bus = (PciHardware) PCI.createHardware(machine(Map.of("Family", "PCI", "Slot", 3L, "Function", 1L,
                "Model", "nic", "VendorID", "0x8086", "DeviceID", 0x10d3L, "SubsystemID", "0xa01f")), new TestKernel());
        PciFunction f = bus.function(3, 1);
        assertEquals(0x10d38086, f.configRead32(0));
        assertEquals(0xa01f1234, f.configRead32(0x2C));
    }

    @Test
    void acceptsAModelClassByName() throws Exception {
        PciHardware bus = (PciHardware) PCI.createHardware(machine(Map.of("Family", "PCI", "Slot", 4L,
                "Model", EchoDmaDevice.class.getName())), new TestKernel());
        assertInstanceOf(EchoDmaDevice.class, bus.function(4, 0).model());
    }

    @Test
    void badEntriesNameTheFileTheKeyPathAndWhatWasExpected() {
        assertEquals("test.plist: Devices[0].Slot: missing (expected an <integer> or hexadecimal <string> from 0 to 0x1f)",
                error(Map.of("Family", "PCI", "Model", "nic")));
        assertEquals("test.plist: Devices[0].Slot: 0x20 is out of range (expected an <integer> or hexadecimal <string> from 0 to 0x1f)",
                error(Map.of("Family", "PCI", "Slot", 32L, "Model", "nic")));
        assertTrue(error(Map.of("Family", "PCI", "Slot", 1L, "Model", "sound-card"))
                .startsWith("test.plist: Devices[0].Model: 'sound-card' is not a built-in model (expected one of [echo-dma, nic]"));
        assertTrue(error(Map.of("Family", "PCI", "Slot", 1L, "Model", "com.example.Missing"))
                .startsWith("test.plist: Devices[0].Model: class com.example.Missing is not on the class path"));
        assertTrue(error(Map.of("Family", "PCI", "Slot", 1L, "Model", "java.lang.String"))
                .contains("is not a concrete subclass of org.kextkit.hardware.pci.PciDeviceModel"));
        assertEquals("test.plist: Devices[0].VendorID: \"intel\" is not a number (expected an <integer> or hexadecimal"
                + " <string> from 0 to 0xfffe)", error(Map.of("Family", "PCI", "Slot", 1L, "Model", "nic", "VendorID", "intel")));
        assertTrue(error(Map.of("Family", "PCI", "Slot", 1L, "Model", "nic", "Colour", "red"))
                .startsWith("test.plist: Devices[0].Colour: unknown key for a PCI device"));
    }

    @Test
    void twoDevicesInOneSlotAreRefused() {
        MachineDescription machine = new MachineDescription("test.plist", "M", "m", 0, List.of(
                new MachineDescription.Device("PCI", "Devices[0]", Map.of("Family", "PCI", "Slot", 1L, "Model", "nic")),
                new MachineDescription.Device("PCI", "Devices[1]", Map.of("Family", "PCI", "Slot", 1L, "Model", "echo-dma"))));
        String message = assertThrows(MachineDescriptionException.class, () -> PCI.createHardware(machine, new TestKernel()))
                .getMessage();
        assertEquals("test.plist: Devices[1].Slot: PCI slot 1 function 0 is already taken by nic", message);
    }
}
