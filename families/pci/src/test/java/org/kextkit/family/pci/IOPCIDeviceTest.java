package org.kextkit.family.pci;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kextkit.family.pci.IOPCIDevice.*;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kextkit.hardware.pci.PciFunction;
import org.kextkit.hardware.pci.models.EchoDmaDevice;
import org.kextkit.hardware.pci.models.NicDevice;
import org.kextkit.kit.internal.DeviceRegisters;
import org.kextkit.kit.internal.ExecutionContext;
import org.kextkit.kit.internal.KernelRuntime;
import org.kextkit.kit.iokit.IODeviceMemory;
import org.kextkit.kit.iokit.IOReturn;
import org.kextkit.kit.libkern.SInt32;
import org.kextkit.pci.testing.TestKernel;

/** The IOPCIDevice nub as a driver sees it: properties, config access, BARs, interrupts, matching, power. */
class IOPCIDeviceTest {
    private TestKernel kernel;
    private KernelRuntime.Scope scope;
    private PciFunction nicFunction;
    private IOPCIDevice nic;

    @BeforeEach
    void setUp() {
        kernel = new TestKernel();
        scope = kernel.enter();
        nicFunction = kernel.bus().plug(2, 0, new NicDevice(), null);
        nic = new IOPCIDevice(nicFunction);
    }

    @AfterEach
    void tearDown() {
        scope.close();
    }

    private static String text(Object data) {
        return new String((byte[]) data, StandardCharsets.US_ASCII);
    }

    @Test
    void isNamedFromItsClassCodeAndLocatedBySlot() {
        assertEquals("ethernet", nic.getName());
        assertEquals("2", nic.getLocation());
        assertEquals("IOPCIDevice", nic.getMetaClassName());
        IOPCIDevice echo = new IOPCIDevice(kernel.bus().plug(0x1f, 3, new EchoDmaDevice(), null));
        assertEquals("pci1234,ed1", echo.getName(), "an unassigned class falls back to pciVVVV,DDDD");
        assertEquals("1F,3", echo.getLocation());
    }

    @Test
    void publishesDeviceTreeProperties() {
        assertArrayEquals(new byte[] {0x34, 0x12, 0, 0}, (byte[]) nic.getProperty("vendor-id"));
        assertArrayEquals(new byte[] {0x7e, 0x0e, 0, 0}, (byte[]) nic.getProperty("device-id"));
        assertArrayEquals(new byte[] {0, 0, 2, 0}, (byte[]) nic.getProperty("class-code"));
        assertArrayEquals(new byte[] {1, 0, 0, 0}, (byte[]) nic.getProperty("revision-id"));
        assertEquals("pci1234,2\0pci1234,e7e\0pciclass,020000\0", text(nic.getProperty("compatible")));
        assertEquals("ethernet", nic.getProperty("IOName"));
        assertEquals(Boolean.TRUE, nic.getProperty("IOPCIMSIMode"));
        assertEquals("0:2:0", nic.getProperty("pcidebug"));
        byte[] assigned = (byte[]) nic.getProperty("assigned-addresses");
        assertEquals(20, assigned.length, "one 5-cell entry for the one BAR");
        assertEquals(0x82001010, (assigned[0] & 0xFF) | (assigned[1] & 0xFF) << 8 | (assigned[2] & 0xFF) << 16
                | (assigned[3] & 0xFF) << 24, "relocatable=no, 32-bit memory, device 2, register 0x10");
    }

    @Test
    void readsAndWritesConfigurationSpaceInEveryWidth() {
        assertEquals(0x0e7e1234, nic.configRead32(kIOPCIConfigVendorID));
        assertEquals(0x0e7e, nic.configRead16(kIOPCIConfigDeviceID));
        assertEquals(0x02, nic.configRead8(kIOPCIConfigClassCode + 2));
        nic.configWrite8(kIOPCIConfigLatencyTimer, 0x40);
        assertEquals(0x40, nic.configRead8(kIOPCIConfigLatencyTimer));
        assertEquals(0, nic.getBusNumber());
        assertEquals(2, nic.getDeviceNumber());
        assertEquals(0, nic.getFunctionNumber());
    }

    @Test
    void commandHelpersReturnThePreviousStateAndGateTheRegisters() {
        DeviceRegisters regs = nic.getDeviceMemoryWithRegister(kIOPCIConfigBaseAddress0).deviceRegisters();
        assertEquals(0xFFFF_FFFF, regs.read32(NicDevice.MAC_LO));
        assertFalse(nic.setMemoryEnable(true));
        assertTrue(nic.setMemoryEnable(true));
        assertEquals(0x006b6b02, regs.read32(NicDevice.MAC_LO));
        assertFalse(nic.setBusMasterEnable(true));
        assertEquals(kIOPCICommandMemorySpace | kIOPCICommandBusMaster, nic.configRead16(kIOPCIConfigCommand));
        assertTrue(nic.setMemoryEnable(false));
        assertEquals(0xFFFF_FFFF, regs.read32(NicDevice.MAC_LO));
    }

    @Test
    void findsCapabilitiesByWalkingTheList() {
        assertEquals(0x40, nic.findPCICapability(kIOPCIPowerManagementCapability));
        SInt32 offset = new SInt32(0);
        assertEquals(0x50, nic.findPCICapability(kIOPCIMSICapability, offset));
        assertEquals(0x50, offset.value);
        assertEquals(0, nic.findPCICapability(kIOPCIMSICapability, offset), "there is no second MSI capability");
        assertEquals(0, nic.findPCICapability(kIOPCIPCIExpressCapability));
    }

    @Test
    void offersEachBarAsDeviceMemoryByRegister() {
        IODeviceMemory bar0 = nic.getDeviceMemoryWithRegister(kIOPCIConfigBaseAddress0);
        assertNotNull(bar0);
        assertEquals(nicFunction.barAddress(0), bar0.getPhysicalAddress());
        assertEquals(4096, bar0.getLength());
        assertEquals(1, nic.getDeviceMemoryCount());
        assertNull(nic.getDeviceMemoryWithRegister(kIOPCIConfigBaseAddress1));
        assertNull(nic.getDeviceMemoryWithRegister(0x11));
    }

    @Test
    void reportsLegacyAndMessagedInterruptSources() {
        SInt32 type = new SInt32(-1);
        assertEquals(IOReturn.kIOReturnSuccess, nic.getInterruptType(0, type));
        assertEquals(kIOInterruptTypeLevel, type.value);
        assertEquals(IOReturn.kIOReturnSuccess, nic.getInterruptType(1, type));
        assertEquals(kIOInterruptTypeEdge | kIOInterruptTypePCIMessaged, type.value);
        assertEquals(IOReturn.kIOReturnSuccess, nic.getInterruptType(2, type));
        assertEquals(IOReturn.kIOReturnNoInterrupt, nic.getInterruptType(3, type), "the NIC has two MSI vectors");
    }

    @Test
    void deliversLegacyInterruptsAtPrimaryLevelWhileEnabled() {
        List<String> calls = new ArrayList<>();
        nic.setMemoryEnable(true);
        assertEquals(IOReturn.kIOReturnSuccess, nic.registerInterrupt(0, "target", (target, refCon, device, source) ->
                calls.add(target + " " + refCon + " " + source + " " + kernel.scheduler().currentContext()), "ref"));
        DeviceRegisters regs = nic.getDeviceMemoryWithRegister(kIOPCIConfigBaseAddress0).deviceRegisters();
        regs.write32(NicDevice.INT_MASK, NicDevice.INT_LINK);
        NicDevice model = (NicDevice) nicFunction.model();
        model.setLinkUp(false);
        kernel.scheduler().deliverInterrupts();
        assertEquals(List.of(), calls, "a registered but disabled source does not fire");

        nic.enableInterrupt(0);
        kernel.scheduler().deliverInterrupts();
        assertEquals(List.of("target ref 0 " + ExecutionContext.PRIMARY_INTERRUPT), calls,
                "enabling a source whose level interrupt is still asserted fires it");
        regs.write32(NicDevice.INT_STATUS, NicDevice.INT_LINK);
        model.setLinkUp(true);
        kernel.scheduler().deliverInterrupts();
        assertEquals(2, calls.size());
        assertEquals(IOReturn.kIOReturnNoResources, nic.registerInterrupt(0, null, (t, r, d, s) -> { }, null));
    }

    @Test
    void enablingAnMsiSourceProgramsTheCapabilityAndRoutesVectorsToTheirIndices() {
        List<Integer> sources = new ArrayList<>();
        nic.setMemoryEnable(true);
        nic.setBusMasterEnable(true);
        nic.registerInterrupt(1, null, (t, r, d, s) -> sources.add(s), null);
        nic.registerInterrupt(2, null, (t, r, d, s) -> sources.add(s), null);
        nic.enableInterrupt(1);
        nic.enableInterrupt(2);
        assertTrue(nicFunction.msiEnabled());
        assertEquals(2, nicFunction.msiAllocatedVectors());
        assertEquals(0xFEE00000, nic.configRead32(0x54));

        DeviceRegisters regs = nic.getDeviceMemoryWithRegister(kIOPCIConfigBaseAddress0).deviceRegisters();
        regs.write32(NicDevice.INT_MASK, NicDevice.INT_LINK | NicDevice.INT_TX);
        ((NicDevice) nicFunction.model()).setLinkUp(false);
        kernel.scheduler().deliverInterrupts();
        assertEquals(List.of(1), sources, "vector 0 (link) arrives at index 1");
    }

    @Test
    void anMsiRaisedWhileItsVectorIsDisabledIsDeliveredWhenItIsEnabledAgain() {
        List<Integer> sources = new ArrayList<>();
        nic.setMemoryEnable(true);
        nic.setBusMasterEnable(true);
        nic.registerInterrupt(1, null, (t, r, d, s) -> sources.add(s), null);
        nic.enableInterrupt(1);
        nic.disableInterrupt(1);
        DeviceRegisters regs = nic.getDeviceMemoryWithRegister(kIOPCIConfigBaseAddress0).deviceRegisters();
        regs.write32(NicDevice.INT_MASK, NicDevice.INT_LINK);

        ((NicDevice) nicFunction.model()).setLinkUp(false);
        kernel.scheduler().deliverInterrupts();
        assertEquals(List.of(), sources, "nothing arrives while the vector is masked");

        nic.enableInterrupt(1);
        kernel.scheduler().deliverInterrupts();
        assertEquals(List.of(1), sources, "the pending message arrives once the vector is unmasked, and only once");
        nic.enableInterrupt(1);
        kernel.scheduler().deliverInterrupts();
        assertEquals(List.of(1), sources);
    }

    @Test
    void matchesPciKeysAndNamesLikeApplesFamily() {
        SInt32 score = new SInt32(500);
        assertTrue(nic.matchPropertyTable(Map.of("IOPCIMatch", "0x0e7e1234"), score));
        assertEquals(500, score.value, "x86 never changes the score");
        assertFalse(nic.matchPropertyTable(Map.of("IOPCIClassMatch", "0x03000000&0xff000000"), score));
        assertTrue(nic.matchPropertyTable(Map.of("IOPCISecondaryMatch", "0x00021234"), score));

        String[] matched = new String[1];
        assertTrue(nic.compareName("pci1234,e7e", matched));
        assertEquals("pci1234,e7e", matched[0]);
        assertTrue(nic.compareName("ethernet", null));
        assertTrue(nic.compareNames(List.of("display", "pciclass,02*"), matched));
        assertEquals("pciclass,020000", matched[0]);
        assertFalse(nic.compareName("pci1234,0e7e", null), "the binding writes no leading zeros");
        assertEquals("IOPCIClassMatch", nic.explainFamilyMatch(Map.of("IOPCIClassMatch", "0x03000000")).get(0).key());
    }

    @Test
    void addsTheArm64PrimaryBonus() {
        TestKernel arm = new TestKernel("arm64");
        try (KernelRuntime.Scope s = arm.enter()) {
            IOPCIDevice device = new IOPCIDevice(arm.bus().plug(2, 0, new NicDevice(), null));
            SInt32 score = new SInt32(500);
            assertTrue(device.matchPropertyTable(Map.of("IOPCIMatch", "0x0e7e1234"), score));
            assertEquals(1500, score.value);
        }
    }

    @Test
    void sleepSavesTheHeaderAndWakeRestoresItAfterTheDeviceReset() {
        nic.setMemoryEnable(true);
        nic.setBusMasterEnable(true);
        long bar = nicFunction.barAddress(0);
        DeviceRegisters regs = nic.getDeviceMemoryWithRegister(kIOPCIConfigBaseAddress0).deviceRegisters();
        regs.write32(NicDevice.TX_SIZE, 4);

        assertEquals(kIOPMAckImplied, nic.setPowerState(kIOPCIDeviceOffState, nic));
        assertEquals(0xFFFF_FFFF, regs.read32(NicDevice.TX_SIZE), "a device in D3hot does not decode");
        assertEquals(kIOPMAckImplied, nic.setPowerState(kIOPCIDeviceOnState, nic));
        assertEquals(bar, nicFunction.barAddress(0));
        assertEquals(kIOPCICommandMemorySpace | kIOPCICommandBusMaster, nic.configRead16(kIOPCIConfigCommand));
        assertEquals(0, regs.read32(NicDevice.TX_SIZE), "the device itself was reset: the driver must re-program it");
    }
}
