package com.example.echodriver;

import org.kextkit.family.pci.IOPCIDevice;
import org.kextkit.kit.iokit.IOService;
import static org.kextkit.kit.libkern.Libkern.printf;

/**
 * A driver for the echo DMA engine that kextkit's machine tests load from a kext bundle: it checks
 * the engine's ID register through BAR 0 and logs what it read.
 */
public class EchoDriver extends IOService {
    @Override
    public boolean start(IOService provider) {
        if (!super.start(provider)) {
            return false;
        }
        IOPCIDevice pci = (IOPCIDevice) provider;
        pci.setMemoryEnable(true);
        int id = pci.mapDeviceMemoryWithRegister(IOPCIDevice.kIOPCIConfigBaseAddress0).read32(0);
        printf("EchoDriver: engine ID 0x%x in slot %d", id, pci.getDeviceNumber());
        return true;
    }
}
