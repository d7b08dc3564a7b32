package org.kextkit.family.pci;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kextkit.family.pci.internal.PciDeviceTree;
import org.kextkit.hardware.pci.PciBusListener;
import org.kextkit.hardware.pci.PciFunction;
import org.kextkit.hardware.pci.PciHardware;
import org.kextkit.kit.internal.KernelRuntime;
import org.kextkit.kit.internal.KernelServices;
import org.kextkit.kit.iokit.IOLib;
import org.kextkit.kit.iokit.IOService;

/**
 * The PCI family's host bridge driver ({@code IOPCIBridge}): matched on the platform expert device
 * (match category {@code IOPCIBridge}), it names itself {@code pci@0}, enumerates the machine's
 * simulated bus and publishes one {@link IOPCIDevice} per function, calling
 * {@code registerService()} on each so drivers can match. While it runs it publishes a nub for every
 * hot-plugged function and terminates the nub of every surprise-removed one.
 */
public class IOPCIBridge extends IOService implements PciBusListener {
    private final Map<PciFunction, IOPCIDevice> nubs = new LinkedHashMap<>();
    private PciHardware bus;
    private KernelServices kernel;

    /** Created by the kernel from the family's personality. */
    public IOPCIBridge() {
    }

    @Override
    public boolean start(IOService provider) {
        if (!super.start(provider)) {
            return false;
        }
        kernel = kernelServices();
        bus = kernel.hardware(PciHardware.class);
        if (bus == null) {
            IOLib.IOLog("IOPCIBridge: this machine has no PCI bus; not starting");
            return false;
        }
        return startOn(bus);
    }

    /** Enumerate {@code hardware} and publish its functions; {@link #start} calls it with the kernel's bus. */
    protected boolean startOn(PciHardware hardware) {
        bus = hardware;
        if (kernel == null) {
            kernel = kernelServices();
        }
        setName("pci");
        setLocation("0");
        setProperty("IOName", "pci");
        setProperty("device_type", "pci");
        hardware.addListener(this);
        for (PciFunction function : hardware.functions()) {
            publish(function);
        }
        // A driver that provides services registers itself, so that it shows as registered and
        // clients that match on the bridge (IOProviderClass IOPCIBridge) find it.
        registerService();
        return true;
    }

    @Override
    public void stop(IOService provider) {
        if (bus != null) {
            bus.removeListener(this);
        }
        super.stop(provider);
    }

    /** Return the nubs this bridge has published and not yet seen removed, in publication order. */
    public List<IOPCIDevice> publishedDevices() {
        synchronized (nubs) {
            return new ArrayList<>(nubs.values());
        }
    }

    /** Create the nub of {@code function}, attach it below this bridge and start matching for it. */
    protected IOPCIDevice publish(PciFunction function) {
        IOPCIDevice nub;
        // A hot-plug arrives on whatever thread plugged the device; the nub belongs to this bridge's kernel.
        try (KernelRuntime.Scope scope = KernelRuntime.enter(kernel)) {
            nub = new IOPCIDevice(function);
            if (!nub.attach(this)) {
                IOLib.IOLog("IOPCIBridge: could not attach %s@%s", nub.getName(), PciDeviceTree.location(function));
                return null;
            }
            synchronized (nubs) {
                nubs.put(function, nub);
            }
            nub.PMinit();
            joinPMtree(nub);
            nub.registerPowerDriver(nub, IOPCIDevice.powerStates(), 2);
            nub.registerService();
        }
        return nub;
    }

    @Override
    public void functionAdded(PciFunction function) {
        publish(function);
    }

    @Override
    public void functionRemoved(PciFunction function) {
        IOPCIDevice nub;
        synchronized (nubs) {
            nub = nubs.remove(function);
        }
        if (nub != null) {
            try (KernelRuntime.Scope scope = KernelRuntime.enter(kernel)) {
                nub.terminate(kIOServiceRequired);
            }
        }
    }
}
