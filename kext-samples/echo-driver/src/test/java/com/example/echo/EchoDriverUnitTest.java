package com.example.echo;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import org.junit.jupiter.api.Test;
import org.kextkit.family.pci.IOPCIDevice;
import org.kextkit.kit.iokit.IOMemoryMap;
import org.kextkit.kit.iokit.IOService;
import org.mockito.InOrder;

/**
 * EchoDriver's start logic as a plain unit test, with no kernel: the nub and its register map are
 * Mockito mocks (kit and family classes are not final), so each path through start can be forced.
 */
class EchoDriverUnitTest {
    private final IOPCIDevice nub = mock(IOPCIDevice.class);
    private final IOMemoryMap registers = mock(IOMemoryMap.class);

    @Test
    void startRefusesAProviderThatIsNotAPciDevice() {
        IOService other = mock(IOService.class);

        assertFalse(new EchoDriver().start(other));
    }

    @Test
    void startGivesUpWithoutBarZeroAndTouchesNoRegister() {
        when(nub.mapDeviceMemoryWithRegister(IOPCIDevice.kIOPCIConfigBaseAddress0)).thenReturn(null);

        assertFalse(new EchoDriver().start(nub));

        verify(registers, never()).write32(anyInt(), anyInt());
        verify(nub).setBusMasterEnable(false);
    }

    @Test
    void startRejectsADeviceWhoseIdRegisterIsWrongAndTurnsBusMasteringOffAgain() {
        when(nub.mapDeviceMemoryWithRegister(IOPCIDevice.kIOPCIConfigBaseAddress0)).thenReturn(registers);
        when(registers.read32(EchoRegisters.ID)).thenReturn(0xDEAD_BEEF);

        assertFalse(new EchoDriver().start(nub));

        InOrder order = inOrder(nub, registers);
        order.verify(nub).setMemoryEnable(true);
        order.verify(nub).setBusMasterEnable(true);
        order.verify(registers).read32(EchoRegisters.ID);
        order.verify(registers).release();
        order.verify(nub).setBusMasterEnable(false);
        verify(registers, never()).write32(anyInt(), anyInt());
    }
}
