package org.kextkit.hardware.pci;

import java.util.List;
import java.util.Objects;
import org.kextkit.kit.internal.KernelScheduler;

/**
 * A simulated PCI device: what a driver author writes to test a driver against hardware that
 * behaves like theirs.
 *
 * <p>A model declares its identity, its BARs with a {@link RegisterHandler} each, and optionally an
 * MSI capability, in its constructor. Once plugged into a {@link PciHardware} bus it can raise
 * interrupts, master the bus (DMA into the kernel's physical memory) and schedule future hardware
 * events on the kernel clock. The bus supplies the configuration space, the command register's
 * gating, power states and surprise removal; a model only implements its own registers.
 *
 * <p>Rules a model must follow, as real hardware does: handlers are called on the driver's thread
 * and must not block; slow work (a DMA transfer, a link coming up) is scheduled with
 * {@link #scheduleEvent}; DMA only happens while the driver has enabled bus mastering
 * ({@link #dmaRead} returns false otherwise and records a fault the test can see); a level
 * interrupt ({@link #assertIntx}) stays asserted until the model deasserts it, typically when the
 * driver acknowledges the cause in an interrupt status register.
 *
 * <pre>{@code
 * public final class CounterDevice extends PciDeviceModel {
 *     private int counter;
 *
 *     public CounterDevice() {
 *         super(new PciIdentity(0x1234, 0x0001, 0, 0, 0xFF0000, 1));
 *         declareBar(0, PciBar.memory32(4096), new RegisterHandler() {
 *             public long read(long offset, int width) { return offset == 0 ? counter++ : 0; }
 *             public void write(long offset, int width, long value) { counter = (int) value; }
 *         });
 *     }
 * }
 * }</pre>
 */
public abstract class PciDeviceModel {
    private final PciIdentity identity;
    private final PciBar[] bars = new PciBar[6];
    private final RegisterHandler[] handlers = new RegisterHandler[6];
    private int msiVectors;
    private volatile PciFunction function;

    /** Create a model with the identity its configuration header shows (a machine file may override it). */
    protected PciDeviceModel(PciIdentity identity) {
        this.identity = Objects.requireNonNull(identity, "identity");
    }

    /** Return the model's own identity (before any machine-file override). */
    public final PciIdentity identity() {
        return identity;
    }

    /** Return a short name for logs and faults; the class's simple name unless overridden. */
    public String modelName() {
        return getClass().getSimpleName();
    }

    // ---- declaration (constructor time) -------------------------------------------------------

    /**
     * Declare BAR {@code index} (0 to 5) with the handler of its registers. A 64-bit memory BAR
     * also takes register {@code index + 1}. Call from the constructor.
     */
    protected final void declareBar(int index, PciBar bar, RegisterHandler handler) {
        requireUnplugged("declareBar");
        if (index < 0 || index > 5) {
            throw new IllegalArgumentException("BAR index " + index + " is outside 0..5");
        }
        if (bars[index] != null || (index > 0 && bars[index - 1] != null && bars[index - 1].kind() == PciBar.Kind.MEMORY64)) {
            throw new IllegalArgumentException("BAR " + index + " is already taken");
        }
        if (bar.kind() == PciBar.Kind.MEMORY64 && (index == 5 || bars[index + 1] != null)) {
            throw new IllegalArgumentException("a 64-bit BAR at " + index + " needs BAR " + (index + 1) + " free too");
        }
        bars[index] = Objects.requireNonNull(bar, "bar");
        handlers[index] = Objects.requireNonNull(handler, "handler");
    }

    /**
     * Give the device an MSI capability supporting {@code vectors} messages (1, 2, 4, 8, 16 or 32).
     * Call from the constructor.
     */
    protected final void declareMsi(int vectors) {
        requireUnplugged("declareMsi");
        if (vectors < 1 || vectors > 32 || Integer.bitCount(vectors) != 1) {
            throw new IllegalArgumentException("MSI supports 1, 2, 4, 8, 16 or 32 vectors, not " + vectors);
        }
        msiVectors = vectors;
    }

    /** Return the number of MSI vectors the device supports, 0 if it has no MSI capability. */
    public final int msiVectorCount() {
        return msiVectors;
    }

    PciBar[] declaredBars() {
        return bars.clone();
    }

    RegisterHandler handler(int index) {
        return handlers[index];
    }

    private void requireUnplugged(String what) {
        if (function != null) {
            throw new IllegalStateException(what + " must be called before the model is plugged into a bus");
        }
    }

    // ---- hooks --------------------------------------------------------------------------------

    /**
     * Return the device to its power-on state; called when it is plugged in and when it leaves
     * D3hot (which resets kextkit's devices). Cancel pending events here.
     */
    protected void reset() {
    }

    /** Called after the power state changed (the family sets D3hot on sleep and D0 on wake). */
    protected void powerStateChanged(PciPowerState from, PciPowerState to) {
    }

    /**
     * Do once what this device does on its own in normal use, raising its interrupts (a NIC's link
     * going down and up); {@link PciHardware#exercise()} calls it for kextcheck's exercise. The
     * default does nothing.
     */
    public void exercise() {
    }

    /**
     * A range of kernel physical memory the device is programmed to read or write by DMA.
     *
     * @param what what is programmed, such as {@code RX descriptor ring (256 entries)}
     * @param physicalAddress the first physical address
     * @param length the number of bytes
     */
    public record DmaWindow(String what, long physicalAddress, long length) {
    }

    /**
     * Return the DMA the device would perform on its own now, were bus mastering enabled: every ring,
     * descriptor list or buffer it is programmed with and enabled to use. The kernel reports what is
     * left when the device's driver has stopped (DMA-LIVE), so a model that masters the bus should
     * override this. The default is none.
     */
    public List<DmaWindow> programmedDma() {
        return List.of();
    }

    /** Called after a surprise removal; cancel pending events here. */
    protected void removed() {
    }

    final void resetInternal() {
        reset();
    }

    final void removedInternal() {
        removed();
    }

    final void plugInto(PciFunction target) {
        if (function != null) {
            throw new IllegalStateException(modelName() + " is already plugged in at " + function);
        }
        function = target;
    }

    // ---- what a plugged-in model can do ---------------------------------------------------------

    /** Return the function this model is plugged in as, or {@code null} before it is plugged. */
    public final PciFunction function() {
        return function;
    }

    private PciFunction plugged(String what) {
        PciFunction f = function;
        if (f == null) {
            throw new IllegalStateException(modelName() + " cannot " + what + " before it is plugged into a bus");
        }
        return f;
    }

    /** Return the kernel clock in nanoseconds. */
    protected final long nanoTime() {
        return plugged("read the clock").bus().context().scheduler().nanoTime();
    }

    /**
     * Run {@code event} {@code delayNanos} from now on the kernel clock, outside any kernel thread
     * (a transfer completing, a link coming up); return a handle that cancels it.
     */
    protected final KernelScheduler.Callout scheduleEvent(String name, long delayNanos, Runnable event) {
        PciFunction f = plugged("schedule an event");
        KernelScheduler scheduler = f.bus().context().scheduler();
        return scheduler.scheduleHardwareEvent(f + " " + name, scheduler.nanoTime() + Math.max(0, delayNanos), () -> {
            if (f.isPresent()) {
                event.run();
            }
        });
    }

    /**
     * Interrupt the driver for {@code vector}: an MSI message if software enabled MSI, else assert
     * INTx (which stays asserted until {@link #deassertIntx}). Devices without MSI always use INTx.
     */
    protected final void signalInterrupt(int vector) {
        PciFunction f = plugged("interrupt");
        if (f.msiEnabled()) {
            f.sendMsi(vector);
        } else {
            f.setIntx(true);
        }
    }

    /** Send MSI {@code vector}; return false (and record a fault) if MSI is not enabled. */
    protected final boolean raiseMsi(int vector) {
        return plugged("send MSI").sendMsi(vector);
    }

    /** Assert the INTx line (level-triggered: it stays asserted until deasserted). */
    protected final void assertIntx() {
        plugged("interrupt").setIntx(true);
    }

    /** Deassert the INTx line. */
    protected final void deassertIntx() {
        plugged("interrupt").setIntx(false);
    }

    /** Return true if the driver enabled bus mastering (DMA and MSI writes are allowed). */
    protected final boolean busMasterEnabled() {
        return plugged("master the bus").busMasterEnabled();
    }

    /**
     * Read {@code length} bytes of the kernel's physical memory at {@code physicalAddress} into
     * {@code target} (a bus-master read). Return false, and record a fault, if bus mastering is
     * disabled or the address is not in wired kernel memory (as an IOMMU would refuse it).
     */
    protected final boolean dmaRead(long physicalAddress, byte[] target, int offset, int length) {
        PciFunction f = plugged("DMA");
        if (!f.busMasterEnabled()) {
            f.fault(String.format("DMA read of %d bytes at 0x%x refused: bus mastering is disabled", length, physicalAddress));
            return false;
        }
        try {
            f.bus().context().heap().readPhysical(physicalAddress, target, offset, length);
            return true;
        } catch (RuntimeException e) {
            f.fault(String.format("DMA read of %d bytes at 0x%x failed: %s", length, physicalAddress, e.getMessage()));
            return false;
        }
    }

    /** Write {@code length} bytes into the kernel's physical memory (a bus-master write); as {@link #dmaRead}. */
    protected final boolean dmaWrite(long physicalAddress, byte[] source, int offset, int length) {
        PciFunction f = plugged("DMA");
        if (!f.busMasterEnabled()) {
            f.fault(String.format("DMA write of %d bytes at 0x%x refused: bus mastering is disabled", length, physicalAddress));
            return false;
        }
        try {
            f.bus().context().heap().writePhysical(physicalAddress, source, offset, length);
            return true;
        } catch (RuntimeException e) {
            f.fault(String.format("DMA write of %d bytes at 0x%x failed: %s", length, physicalAddress, e.getMessage()));
            return false;
        }
    }

    /** Record a device-level problem the test can see in {@link PciHardware#faults()}. */
    protected final void recordFault(String message) {
        plugged("record a fault").fault(message);
    }
}
