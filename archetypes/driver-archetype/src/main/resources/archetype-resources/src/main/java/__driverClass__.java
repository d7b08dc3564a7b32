package ${package};

import static ${package}.${driverClass}Registers.CONTROL;
import static ${package}.${driverClass}Registers.CONTROL_INT_ENABLE;
import static ${package}.${driverClass}Registers.COUNTER;
import static ${package}.${driverClass}Registers.DOORBELL;
import static ${package}.${driverClass}Registers.ID;
import static ${package}.${driverClass}Registers.ID_VALUE;
import static ${package}.${driverClass}Registers.INT_DONE;
import static ${package}.${driverClass}Registers.INT_STATUS;
import static org.kextkit.kit.iokit.IOLib.IOLog;
import static org.kextkit.kit.iokit.IOLocks.IOLockAlloc;
import static org.kextkit.kit.iokit.IOLocks.IOLockFree;
import static org.kextkit.kit.iokit.IOLocks.IOLockLock;
import static org.kextkit.kit.iokit.IOLocks.IOLockUnlock;

import org.kextkit.family.pci.IOPCIDevice;
import org.kextkit.kit.iokit.IOInterruptEventSource;
import org.kextkit.kit.iokit.IOLock;
import org.kextkit.kit.iokit.IOMemoryMap;
import org.kextkit.kit.iokit.IOReturn;
import org.kextkit.kit.iokit.IOService;
import org.kextkit.kit.iokit.IOWorkLoop;
import org.kextkit.kit.libkern.SInt32;

/**
 * An I/O Kit driver for the PCI device ${pciVendorId}:${pciDeviceId} (see {@link ${driverClass}Registers}).
 *
 * <p>I/O Kit creates it when its personality in Info.plist matches an {@code IOPCIDevice} nub, then
 * calls {@code start}: map BAR 0, check the device's ID, take its interrupt on a work loop of the
 * driver's own. {@code ring} is the driver's service: it rings the device's doorbell; the device
 * adds the value to its counter and interrupts, and the interrupt action counts it. {@code stop}
 * undoes start in reverse order.
 */
public class ${driverClass} extends IOService {
    private IOPCIDevice pci;
    private IOMemoryMap registers;
    private IOWorkLoop workLoop;
    private IOInterruptEventSource interruptSource;
    private IOLock stateLock;

    // Guarded by stateLock.
    private boolean running;
    private long interruptsHandled;

    /** Created by I/O Kit from the personality. */
    public ${driverClass}() {
    }

    @Override
    public boolean start(IOService provider) {
        if (!super.start(provider)) {
            return false;
        }
        if (!(provider instanceof IOPCIDevice device)) {
            IOLog("${driverClass}: provider %s is not an IOPCIDevice", provider.getName());
            return false;
        }
        pci = device;
        pci.setMemoryEnable(true);
        registers = pci.mapDeviceMemoryWithRegister(IOPCIDevice.kIOPCIConfigBaseAddress0);
        if (registers == null) {
            IOLog("${driverClass}: %s has no BAR 0", pci.getName());
            tearDown();
            return false;
        }
        int id = registers.read32(ID);
        if (id != ID_VALUE) {
            IOLog("${driverClass}: ID register reads 0x%08x, expected 0x%08x", id, ID_VALUE);
            tearDown();
            return false;
        }
        stateLock = IOLockAlloc();
        workLoop = IOWorkLoop.workLoop();
        interruptSource = IOInterruptEventSource.interruptEventSource(this,
                (owner, sender, count) -> interruptOccurred(), pci, interruptIndex());
        if (interruptSource == null || workLoop.addEventSource(interruptSource) != IOReturn.kIOReturnSuccess) {
            IOLog("${driverClass}: could not take the interrupt of %s", pci.getName());
            tearDown();
            return false;
        }
        interruptSource.enable();
        registers.write32(CONTROL, CONTROL_INT_ENABLE);
        IOLockLock(stateLock);
        running = true;
        IOLockUnlock(stateLock);
        registerService();
        IOLog("${driverClass}: started on %s@%s", pci.getName(), pci.getLocation());
        return true;
    }

    /** Return the first MSI source of the nub, else 0 (the INTx line). */
    private int interruptIndex() {
        SInt32 type = new SInt32(0);
        for (int index = 0; pci.getInterruptType(index, type) == IOReturn.kIOReturnSuccess; index++) {
            if ((type.value & IOPCIDevice.kIOInterruptTypePCIMessaged) != 0) {
                return index;
            }
        }
        return 0;
    }

    /** Drivers that create their own work loop return it here. */
    @Override
    public IOWorkLoop getWorkLoop() {
        return workLoop;
    }

    /**
     * Ring the device's doorbell with {@code value}: it adds it to its counter and interrupts.
     *
     * @return {@link IOReturn#kIOReturnSuccess}, or {@link IOReturn#kIOReturnNotReady} once stopping
     */
    public int ring(int value) {
        IOLockLock(stateLock);
        try {
            if (!running) {
                return IOReturn.kIOReturnNotReady;
            }
            registers.write32(DOORBELL, value);
            return IOReturn.kIOReturnSuccess;
        } finally {
            IOLockUnlock(stateLock);
        }
    }

    /** Return the device's counter: the sum of every value rung. */
    public int counter() {
        return registers.read32(COUNTER);
    }

    /** Return how many doorbell interrupts the driver has handled. */
    public long interruptsHandled() {
        IOLockLock(stateLock);
        try {
            return interruptsHandled;
        } finally {
            IOLockUnlock(stateLock);
        }
    }

    /** The interrupt action, on the work loop: acknowledge the device, then count. */
    private void interruptOccurred() {
        int status = registers.read32(INT_STATUS);
        if ((status & INT_DONE) == 0) {
            return;
        }
        registers.write32(INT_STATUS, status);
        IOLockLock(stateLock);
        interruptsHandled++;
        IOLockUnlock(stateLock);
    }

    @Override
    public void stop(IOService provider) {
        IOLockLock(stateLock);
        running = false;
        long handled = interruptsHandled;
        IOLockUnlock(stateLock);
        IOLog("${driverClass}: stopping after %d interrupt(s)", handled);
        registers.write32(CONTROL, 0);
        tearDown();
        super.stop(provider);
    }

    /** Undo start, in reverse order: interrupt source, work loop, register map (the lock goes in free). */
    private void tearDown() {
        if (interruptSource != null) {
            interruptSource.disable();
            workLoop.removeEventSource(interruptSource);
            interruptSource.release();
            interruptSource = null;
        }
        if (workLoop != null) {
            workLoop.release();
            workLoop = null;
        }
        if (registers != null) {
            registers.release();
            registers = null;
        }
    }

    /** The last release: free what lives as long as the driver object, the lock. */
    @Override
    protected void free() {
        if (stateLock != null) {
            IOLockFree(stateLock);
            stateLock = null;
        }
        super.free();
    }
}
