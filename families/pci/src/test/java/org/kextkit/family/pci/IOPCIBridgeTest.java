package org.kextkit.family.pci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.kextkit.hardware.pci.models.EchoDmaDevice;
import org.kextkit.hardware.pci.models.NicDevice;
import org.kextkit.kit.internal.KernelRuntime;
import org.kextkit.kit.iokit.IOService;
import org.kextkit.pci.testing.TestKernel;

/** The bridge publishes one nub per function, and follows hot-plug and surprise removal. */
class IOPCIBridgeTest {
    @Test
    void publishesARegisteredNubPerFunctionBelowPciAtZero() {
        TestKernel kernel = new TestKernel();
        kernel.bus().plug(1, 0, new EchoDmaDevice(), null);
        kernel.bus().plug(2, 0, new NicDevice(), null);
        try (KernelRuntime.Scope scope = kernel.enter()) {
            IOService platform = new IOService();
            IOPCIBridge bridge = new IOPCIBridge();
            assertTrue(bridge.attach(platform));
            assertTrue(bridge.start(platform));
            assertEquals("pci", bridge.getName());
            assertEquals("0", bridge.getLocation());
            List<IOPCIDevice> nubs = bridge.publishedDevices();
            assertEquals(2, nubs.size());
            assertEquals("IOService:/pci@0/pci1234,ed1@1", nubs.get(0).getPath(IOService.gIOServicePlane));
            assertEquals("IOService:/pci@0/ethernet@2", nubs.get(1).getPath(IOService.gIOServicePlane));
            List<Object> registered = new java.util.ArrayList<>(nubs);
            registered.add(bridge);
            assertEquals(registered, kernel.host().registered, "each nub, then the bridge itself, is registered");
            assertEquals(nubs, kernel.host().powerManaged, "each nub is its own power driver");
        }
    }

    @Test
    void publishesHotPluggedDevicesInTheBridgesKernelAndTerminatesRemovedOnes() {
        TestKernel kernel = new TestKernel();
        IOPCIBridge bridge;
        try (KernelRuntime.Scope scope = kernel.enter()) {
            IOService platform = new IOService();
            bridge = new IOPCIBridge();
            bridge.attach(platform);
            assertTrue(bridge.start(platform));
        }
        assertTrue(bridge.publishedDevices().isEmpty());
        assertEquals(List.of(bridge), kernel.host().registered, "the bridge registers itself");

        // The test thread is bound to no kernel here, as a hot-plug from a test would be.
        kernel.bus().hotPlug(5, new NicDevice());
        assertEquals(2, kernel.host().registered.size());
        IOPCIDevice nub = (IOPCIDevice) kernel.host().registered.get(1);
        assertSame(bridge, nub.getProvider());

        kernel.bus().surpriseRemove(5);
        assertEquals(List.of(nub), kernel.host().terminated);
        assertTrue(bridge.publishedDevices().isEmpty());
        assertEquals(0xFFFF_FFFF, nub.configRead32(IOPCIDevice.kIOPCIConfigVendorID), "the driver sees the device gone");
    }

    @Test
    void refusesToStartOnAMachineWithoutPci() {
        TestKernel kernel = new TestKernel() {
            @Override
            public <T> T hardware(Class<T> type) {
                return null;
            }
        };
        try (KernelRuntime.Scope scope = kernel.enter()) {
            IOService platform = new IOService();
            IOPCIBridge bridge = new IOPCIBridge();
            bridge.attach(platform);
            assertFalse(bridge.start(platform));
            assertTrue(kernel.log().get(0).contains("no PCI bus"), kernel.log().toString());
        }
    }
}
