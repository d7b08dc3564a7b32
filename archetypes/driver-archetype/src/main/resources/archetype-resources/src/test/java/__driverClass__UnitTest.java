package ${package};

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import org.junit.jupiter.api.Test;
import org.kextkit.family.pci.IOPCIDevice;
import org.kextkit.kit.iokit.IOMemoryMap;
import org.kextkit.kit.iokit.IOService;

/**
 * ${driverClass}'s start logic as a plain unit test, with no kernel at all: the nub and its register
 * map are Mockito mocks (kextkit's kit and family classes are not final), so each path through start
 * can be forced.
 */
class ${driverClass}UnitTest {
    private final IOPCIDevice nub = mock(IOPCIDevice.class);
    private final IOMemoryMap registers = mock(IOMemoryMap.class);

    @Test
    void startRefusesAProviderThatIsNotAPciDevice() {
        assertFalse(new ${driverClass}().start(mock(IOService.class)));
    }

    @Test
    void startGivesUpWithoutBarZero() {
        when(nub.mapDeviceMemoryWithRegister(IOPCIDevice.kIOPCIConfigBaseAddress0)).thenReturn(null);

        assertFalse(new ${driverClass}().start(nub));
    }

    @Test
    void startRejectsADeviceWithTheWrongIdAndReleasesItsMapping() {
        when(nub.mapDeviceMemoryWithRegister(IOPCIDevice.kIOPCIConfigBaseAddress0)).thenReturn(registers);
        when(registers.read32(${driverClass}Registers.ID)).thenReturn(0xDEAD_BEEF);

        assertFalse(new ${driverClass}().start(nub));

        verify(registers).release();
        verify(registers, never()).write32(anyInt(), anyInt());
    }
}
