package org.kextkit.hardware.pci;

import java.util.ArrayList;
import java.util.List;
import org.kextkit.kit.internal.DeviceRegisters;

/**
 * One PCI function plugged into a slot of a simulated bus: a device model with the configuration
 * space, BAR windows, power state and interrupt lines the bus gives it. The family's nub reaches
 * the hardware only through this class; tests use it to look at what a driver did to the device.
 *
 * <p>Configuration accesses behave as on real hardware: read-only fields ignore writes, BARs answer
 * the all-ones sizing write with their size mask, the command register's memory, I/O and
 * bus-master bits gate BAR decoding and DMA, and a removed function reads as all ones.
 */
public final class PciFunction {
    private static final int COMMAND = 0x04;
    private static final int COMMAND_IO = 0x1;
    private static final int COMMAND_MEMORY = 0x2;
    private static final int COMMAND_BUS_MASTER = 0x4;
    private static final int COMMAND_INTX_DISABLE = 0x400;
    private static final int STATUS = 0x06;
    private static final int STATUS_INTERRUPT = 0x8;
    private static final int PMCSR = ConfigSpace.PM_CAPABILITY + 4;
    private static final int MSI_CONTROL = ConfigSpace.MSI_CAPABILITY + 2;

    private final PciHardware bus;
    private final int device;
    private final int function;
    private final PciDeviceModel model;
    private final PciIdentity identity;
    private final PciBar[] bars;
    private final BarRegisters[] windows = new BarRegisters[6];
    private final ConfigSpace config;
    private final Object lock = new Object();

    private volatile boolean present = true;
    private volatile PciPowerState power = PciPowerState.D0;
    private volatile boolean busMaster;
    private volatile boolean msiEnabled;
    private volatile int msiAllocated = 1;
    private volatile PciInterruptSink sink;
    private boolean memoryDecode;
    private boolean ioDecode;
    private boolean intxDisabled;
    private boolean intxAsserted;
    private boolean intxReported;

    PciFunction(PciHardware bus, int device, int function, PciDeviceModel model, PciIdentity identity, boolean multiFunction) {
        this.bus = bus;
        this.device = device;
        this.function = function;
        this.model = model;
        this.identity = identity;
        this.bars = model.declaredBars();
        for (int i = 0; i < 6; i++) {
            if (bars[i] != null) {
                windows[i] = new BarRegisters(model.handler(i), bars[i].size());
            }
        }
        this.config = new ConfigSpace(identity, bars, model.msiVectorCount(), multiFunction);
    }

    // ---- identity and address ---------------------------------------------------------------

    /** Return the bus number (kextkit machines have one bus, 0). */
    public int busNumber() {
        return 0;
    }

    /** Return the device (slot) number, 0 to 31. */
    public int deviceNumber() {
        return device;
    }

    /** Return the function number, 0 to 7. */
    public int functionNumber() {
        return function;
    }

    /** Return the model behind this function. */
    public PciDeviceModel model() {
        return model;
    }

    /** Return the identity in the configuration header (the model's, with any machine-file overrides). */
    public PciIdentity identity() {
        return identity;
    }

    /** Return the BAR declared at {@code index} (0 to 5), or {@code null} if that BAR is not implemented. */
    public PciBar bar(int index) {
        return index >= 0 && index < 6 ? bars[index] : null;
    }

    /** Return the bus this function is plugged into. */
    public PciHardware bus() {
        return bus;
    }

    // ---- configuration space ----------------------------------------------------------------

    /** Read 8 bits of configuration space; a removed function reads as all ones. */
    public int configRead8(int offset) {
        return configRead(offset, 1);
    }

    /** Read 16 bits of configuration space. */
    public int configRead16(int offset) {
        return configRead(offset, 2);
    }

    /** Read 32 bits of configuration space. */
    public int configRead32(int offset) {
        return configRead(offset, 4);
    }

    /** Write 8 bits of configuration space. */
    public void configWrite8(int offset, int value) {
        configWrite(offset, 1, value);
    }

    /** Write 16 bits of configuration space. */
    public void configWrite16(int offset, int value) {
        configWrite(offset, 2, value);
    }

    /** Write 32 bits of configuration space. */
    public void configWrite32(int offset, int value) {
        configWrite(offset, 4, value);
    }

    private int configRead(int offset, int width) {
        if (!present) {
            return width == 4 ? 0xFFFF_FFFF : (1 << (8 * width)) - 1;
        }
        synchronized (lock) {
            int value = config.read(offset, width);
            if (intxAsserted && offset <= STATUS && STATUS < offset + width) {
                value |= STATUS_INTERRUPT << (8 * (STATUS - offset));
            }
            return value;
        }
    }

    private void configWrite(int offset, int width, int value) {
        if (!present) {
            return;
        }
        PciPowerState from;
        PciPowerState to;
        Boolean intxChange;
        synchronized (lock) {
            config.write(offset, width, value);
            from = power;
            to = PciPowerState.fromPmcsr(config.read(PMCSR, 1));
            if (from != to) {
                if (from == PciPowerState.D3HOT && to == PciPowerState.D0) {
                    // No_Soft_Reset is clear: leaving D3hot resets the function's configuration.
                    config.reset();
                    intxAsserted = false;
                }
                power = to;
            }
            intxChange = refresh();
        }
        if (from != to) {
            if (from == PciPowerState.D3HOT && to == PciPowerState.D0) {
                model.resetInternal();
            }
            model.powerStateChanged(from, to);
        }
        report(intxChange);
    }

    /** Recompute what the configuration registers gate; return a new INTx level to report, or {@code null}. */
    private Boolean refresh() {
        int command = config.read(COMMAND, 2);
        boolean on = present && power == PciPowerState.D0;
        memoryDecode = (command & COMMAND_MEMORY) != 0;
        ioDecode = (command & COMMAND_IO) != 0;
        busMaster = on && (command & COMMAND_BUS_MASTER) != 0;
        intxDisabled = (command & COMMAND_INTX_DISABLE) != 0;
        for (int i = 0; i < 6; i++) {
            if (windows[i] != null) {
                windows[i].decoding = on && (bars[i].isMemory() ? memoryDecode : ioDecode);
            }
        }
        if (model.msiVectorCount() > 0) {
            int control = config.read(MSI_CONTROL, 2);
            msiEnabled = (control & 0x1) != 0;
            int enabled = 1 << ((control >>> 4) & 0x7);
            msiAllocated = Math.min(enabled, model.msiVectorCount());
        }
        boolean line = present && intxAsserted && !intxDisabled && !msiEnabled;
        if (line != intxReported) {
            intxReported = line;
            return line;
        }
        return null;
    }

    private void report(Boolean intxChange) {
        PciInterruptSink target = sink;
        if (intxChange != null && target != null) {
            target.intxChanged(intxChange);
        }
    }

    // ---- what the command register and power state allow ------------------------------------

    /** Return true while the function is plugged in (false after surprise removal). */
    public boolean isPresent() {
        return present;
    }

    /** Return the current device power state. */
    public PciPowerState powerState() {
        return power;
    }

    /** Return true if the function may master the bus (DMA, MSI writes): bus-master bit set, powered, present. */
    public boolean busMasterEnabled() {
        return busMaster;
    }

    /** Return true if the command register's memory-space bit is set. */
    public boolean memoryEnabled() {
        synchronized (lock) {
            return memoryDecode;
        }
    }

    /** Return true if the command register's I/O-space bit is set. */
    public boolean ioEnabled() {
        synchronized (lock) {
            return ioDecode;
        }
    }

    /** Return true if MSI is enabled in the MSI capability. */
    public boolean msiEnabled() {
        return msiEnabled;
    }

    /** Return how many MSI vectors software enabled (Multiple Message Enable), capped at what the model supports. */
    public int msiAllocatedVectors() {
        return msiEnabled ? msiAllocated : 0;
    }

    /** Return true while the model holds its INTx line asserted. */
    public boolean intxAsserted() {
        synchronized (lock) {
            return intxAsserted;
        }
    }

    // ---- BAR windows -------------------------------------------------------------------------

    /**
     * Return the registers of BAR {@code index} as a memory map or I/O port range sees them, or
     * {@code null} if the BAR is not implemented. Offsets are relative to the BAR's start.
     */
    public DeviceRegisters barRegisters(int index) {
        return index >= 0 && index < 6 ? windows[index] : null;
    }

    /** Return the address BAR {@code index} currently holds (memory or I/O), or 0 if unassigned or not implemented. */
    public long barAddress(int index) {
        PciBar bar = bar(index);
        if (bar == null) {
            return 0;
        }
        synchronized (lock) {
            int reg = 0x10 + 4 * index;
            long low = config.read(reg, 4) & (bar.isMemory() ? 0xFFFF_FFF0L : 0xFFFF_FFFCL);
            long high = bar.kind() == PciBar.Kind.MEMORY64 ? (config.read(reg + 4, 4) & 0xFFFF_FFFFL) << 32 : 0;
            return high | low;
        }
    }

    /** Place BAR {@code index} at {@code address}, as firmware does before the OS runs. */
    void assignBar(int index, long address) {
        synchronized (lock) {
            int reg = 0x10 + 4 * index;
            config.set32(reg, (int) address | bars[index].typeBits());
            if (bars[index].kind() == PciBar.Kind.MEMORY64) {
                config.set32(reg + 4, (int) (address >>> 32));
            }
        }
    }

    // ---- the model's side ----------------------------------------------------------------------

    /** Attach the nub (or a test) that receives this function's interrupts; {@code null} detaches. */
    public void setInterruptSink(PciInterruptSink target) {
        Boolean replay;
        synchronized (lock) {
            sink = target;
            replay = target != null && intxReported ? Boolean.TRUE : null;
        }
        report(replay);
    }

    void setIntx(boolean asserted) {
        Boolean change;
        synchronized (lock) {
            intxAsserted = asserted;
            change = refresh();
        }
        report(change);
    }

    boolean sendMsi(int vector) {
        if (!present || power != PciPowerState.D0) {
            fault("MSI vector " + vector + " raised while the function is " + (present ? "in " + power : "removed"));
            return false;
        }
        if (!msiEnabled) {
            fault("MSI vector " + vector + " raised while MSI is disabled in the MSI capability");
            return false;
        }
        int allocated = msiAllocated;
        int delivered = vector & (allocated - 1);
        PciInterruptSink target = sink;
        if (target != null) {
            target.msi(delivered);
        }
        return true;
    }

    void fault(String message) {
        bus.recordFault(String.format("%s: %s", this, message));
    }

    /** Pull the function out of the bus: reads now return all ones, interrupts stop, DMA is refused. */
    void remove() {
        Boolean change;
        synchronized (lock) {
            present = false;
            change = refresh();
        }
        report(change);
        model.removedInternal();
    }

    /** Return the faults recorded against this function (DMA refused, MSI while disabled, ...). */
    public List<String> faults() {
        List<String> mine = new ArrayList<>();
        String prefix = this + ": ";
        for (String fault : bus.faults()) {
            if (fault.startsWith(prefix)) {
                mine.add(fault.substring(prefix.length()));
            }
        }
        return mine;
    }

    /** Return the location of this function's nub in the I/O Registry: the slot, then {@code ,function} if not 0, in hex. */
    public String registryLocation() {
        return functionNumber() == 0 ? Integer.toHexString(deviceNumber()).toUpperCase(java.util.Locale.ROOT)
                : (Integer.toHexString(deviceNumber()) + "," + Integer.toHexString(functionNumber()))
                        .toUpperCase(java.util.Locale.ROOT);
    }

    @Override
    public String toString() {
        return String.format("PCI %02x:%02x.%x (%s)", 0, device, function, model.modelName());
    }
}
