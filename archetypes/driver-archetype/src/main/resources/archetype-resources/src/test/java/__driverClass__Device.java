package ${package};

import static ${package}.${driverClass}Registers.CONTROL;
import static ${package}.${driverClass}Registers.CONTROL_INT_ENABLE;
import static ${package}.${driverClass}Registers.COUNTER;
import static ${package}.${driverClass}Registers.DOORBELL;
import static ${package}.${driverClass}Registers.ID;
import static ${package}.${driverClass}Registers.ID_VALUE;
import static ${package}.${driverClass}Registers.INT_DONE;
import static ${package}.${driverClass}Registers.INT_STATUS;
import static ${package}.${driverClass}Registers.SCRATCH;

import org.kextkit.hardware.pci.PciBar;
import org.kextkit.hardware.pci.PciDeviceModel;
import org.kextkit.hardware.pci.PciIdentity;
import org.kextkit.hardware.pci.RegisterHandler;

/**
 * A simulated ${pciVendorId}:${pciDeviceId}: the hardware ${driverClass} drives, as the tests plug it
 * into a hosted kernel's PCI bus. It implements {@link ${driverClass}Registers} and nothing else; the
 * bus supplies configuration space, the command register, MSI delivery and power states.
 *
 * <p>Like real hardware, a doorbell takes time: the counter changes and the interrupt comes about a
 * microsecond of kernel time after the write, as an event on the kernel clock.
 */
public final class ${driverClass}Device extends PciDeviceModel {
    /** Vendor ${pciVendorId}, device ${pciDeviceId}, class 0xff0000 (unassigned), revision 1. */
    public static final PciIdentity IDENTITY = new PciIdentity(0x${pciVendorId}, 0x${pciDeviceId}, 0x${pciVendorId}, 0x0001, 0xFF0000, 0x01);

    private static final long DOORBELL_LATENCY_NANOS = 1_000;

    private int control;
    private int intStatus;
    private int counter;
    private int scratch;
    private int doorbellsRung;

    /** Create the device with its identity, one 4 KiB register BAR and one MSI vector. */
    public ${driverClass}Device() {
        super(IDENTITY);
        declareBar(0, PciBar.memory32(4096), new RegisterHandler() {
            @Override
            public long read(long offset, int width) {
                return readRegister((int) offset) & 0xFFFF_FFFFL;
            }

            @Override
            public void write(long offset, int width, long value) {
                writeRegister((int) offset, (int) value);
            }
        });
        declareMsi(1);
    }

    private synchronized int readRegister(int offset) {
        return switch (offset) {
            case ID -> ID_VALUE;
            case CONTROL -> control;
            case INT_STATUS -> intStatus;
            case COUNTER -> counter;
            case SCRATCH -> scratch;
            default -> 0;
        };
    }

    private void writeRegister(int offset, int value) {
        boolean deassert = false;
        synchronized (this) {
            switch (offset) {
                case CONTROL -> control = value & CONTROL_INT_ENABLE;
                case INT_STATUS -> {
                    intStatus &= ~value;
                    deassert = intStatus == 0;
                }
                case DOORBELL -> {
                    doorbellsRung++;
                    scheduleEvent("doorbell", DOORBELL_LATENCY_NANOS, () -> doorbellDone(value));
                }
                case SCRATCH -> scratch = value;
                default -> {
                    // writes to read-only or unused registers are ignored, as by hardware
                }
            }
        }
        if (deassert) {
            deassertIntx();
        }
    }

    private void doorbellDone(int value) {
        boolean interrupt;
        synchronized (this) {
            counter += value;
            intStatus |= INT_DONE;
            interrupt = (control & CONTROL_INT_ENABLE) != 0;
        }
        if (interrupt) {
            signalInterrupt(0);
        }
    }

    @Override
    protected synchronized void reset() {
        control = 0;
        intStatus = 0;
        counter = 0;
        scratch = 0;
    }

    /** Return how many times the doorbell was rung (for tests). */
    public synchronized int doorbellsRung() {
        return doorbellsRung;
    }
}
