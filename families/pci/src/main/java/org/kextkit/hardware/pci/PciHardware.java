package org.kextkit.hardware.pci;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.kextkit.harness.family.FamilyHardware;
import org.kextkit.harness.family.HardwareContext;
import org.kextkit.harness.family.LiveDma;
import org.kextkit.kit.iokit.IORegistryEntry;

/**
 * The simulated PCI bus of one kernel's machine: the functions plugged into its slots, with BARs
 * placed by "firmware" before the kernel boots, and hot-plug and surprise removal at run time.
 *
 * <p>Tests get it from the kernel ({@code kernel.hardware(PciHardware.class)}) or build one
 * directly, and use it to find a device model, plug a new device or pull one out:
 *
 * <pre>{@code
 * PciHardware bus = ...;
 * EchoDmaDevice echo = bus.model(1, EchoDmaDevice.class);
 * bus.hotPlug(5, new NicDevice());     // the bridge publishes an IOPCIDevice; matching starts its driver
 * bus.surpriseRemove(5);               // the nub is terminated; the driver's reads now return all ones
 * }</pre>
 *
 * <p>BAR placement: 32-bit memory BARs from 0xA0000000, 64-bit memory BARs from 0x6_0000_0000,
 * I/O BARs from port 0x2000, each aligned to its size, in slot order.
 */
public final class PciHardware implements FamilyHardware {
    /** The highest device (slot) number on a bus. */
    public static final int MAX_DEVICE = 31;
    /** The highest function number in a device. */
    public static final int MAX_FUNCTION = 7;

    private static final int FAULT_LIMIT = 1000;

    private final HardwareContext context;
    private final boolean x86;
    private final Map<Integer, PciFunction> functions = new TreeMap<>();
    private final List<PciBusListener> listeners = new CopyOnWriteArrayList<>();
    private final List<String> faults = new ArrayList<>();
    private long nextMemory32 = 0xA000_0000L;
    private long nextMemory64 = 0x6_0000_0000L;
    private long nextIo = 0x2000;

    /**
     * Create an empty bus.
     *
     * @param context the kernel's clock, heap and seed
     * @param architecture the kernel's architecture ({@code x86_64} or {@code arm64}), which decides
     *     whether PCI matching may change probe scores
     */
    public PciHardware(HardwareContext context, String architecture) {
        this.context = Objects.requireNonNull(context, "context");
        this.x86 = !"arm64".equals(architecture);
    }

    @Override
    public Class<?> lookupType() {
        return PciHardware.class;
    }

    /** Return the kernel's clock, heap and seed. */
    public HardwareContext context() {
        return context;
    }

    /** Return true if the kernel is x86_64 (the PCI family never changes scores there). */
    public boolean isX86() {
        return x86;
    }

    /**
     * Plug {@code model} in as function {@code function} of device {@code device} before the kernel
     * enumerates the bus (machine description, test setup), with its BARs placed.
     *
     * @param identity the identity the header shows, or {@code null} for the model's own
     * @throws IllegalArgumentException if the address is out of range or taken
     */
    public synchronized PciFunction plug(int device, int function, PciDeviceModel model, PciIdentity identity) {
        if (device < 0 || device > MAX_DEVICE) {
            throw new IllegalArgumentException("PCI device number " + device + " is outside 0.." + MAX_DEVICE);
        }
        if (function < 0 || function > MAX_FUNCTION) {
            throw new IllegalArgumentException("PCI function number " + function + " is outside 0.." + MAX_FUNCTION);
        }
        int key = key(device, function);
        if (functions.containsKey(key)) {
            throw new IllegalArgumentException(String.format("PCI slot %d function %d is already taken by %s",
                    device, function, functions.get(key).model().modelName()));
        }
        boolean multiFunction = function != 0 || functions.keySet().stream().anyMatch(k -> k >> 3 == device);
        PciFunction plugged = new PciFunction(this, device, function, model, identity == null ? model.identity() : identity,
                multiFunction);
        model.plugInto(plugged);
        for (int i = 0; i < 6; i++) {
            PciBar bar = plugged.bar(i);
            if (bar != null) {
                plugged.assignBar(i, allocate(bar));
            }
        }
        functions.put(key, plugged);
        model.resetInternal();
        return plugged;
    }

    /**
     * Hot-plug {@code model} at function 0 of device {@code device} while the kernel runs: the
     * family's bridge publishes a nub for it and matching starts its driver.
     */
    public PciFunction hotPlug(int device, PciDeviceModel model) {
        PciFunction plugged = plug(device, 0, model, null);
        for (PciBusListener listener : listeners) {
            listener.functionAdded(plugged);
        }
        return plugged;
    }

    /**
     * Pull every function of device {@code device} out without warning: its registers and
     * configuration space read as all ones at once, its interrupts stop, and the family terminates
     * its nubs (and so their drivers).
     *
     * @throws IllegalArgumentException if the slot is empty
     */
    public void surpriseRemove(int device) {
        List<PciFunction> removed = new ArrayList<>();
        synchronized (this) {
            functions.entrySet().removeIf(e -> {
                if (e.getKey() >> 3 == device) {
                    removed.add(e.getValue());
                    return true;
                }
                return false;
            });
        }
        if (removed.isEmpty()) {
            throw new IllegalArgumentException("PCI slot " + device + " is empty");
        }
        for (PciFunction f : removed) {
            f.remove();
            for (PciBusListener listener : listeners) {
                listener.functionRemoved(f);
            }
        }
    }

    /** Return the functions present, in slot and function order. */
    public synchronized List<PciFunction> functions() {
        return List.copyOf(functions.values());
    }

    /** Return the function at {@code device}/{@code function}, or {@code null} if none is plugged there. */
    public synchronized PciFunction function(int device, int function) {
        return functions.get(key(device, function));
    }

    /**
     * Return the model at function 0 of {@code device} as {@code type}.
     *
     * @throws IllegalArgumentException if the slot is empty or holds another kind of model
     */
    public <T extends PciDeviceModel> T model(int device, Class<T> type) {
        PciFunction f = function(device, 0);
        if (f == null) {
            throw new IllegalArgumentException("PCI slot " + device + " is empty");
        }
        if (!type.isInstance(f.model())) {
            throw new IllegalArgumentException("PCI slot " + device + " holds a " + f.model().modelName() + ", not a "
                    + type.getSimpleName());
        }
        return type.cast(f.model());
    }

    /** Listen for hot-plug and removal. */
    public void addListener(PciBusListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Stop listening. */
    public void removeListener(PciBusListener listener) {
        listeners.remove(listener);
    }

    /** Return the faults recorded by devices (DMA refused, MSI while disabled, ...), oldest first. */
    public synchronized List<String> faults() {
        return List.copyOf(faults);
    }

    synchronized void recordFault(String fault) {
        if (faults.size() < FAULT_LIMIT) {
            faults.add(fault);
        }
    }

    /** Run every device model's standard workload once ({@link PciDeviceModel#exercise()}). */
    @Override
    public void exercise() {
        for (PciFunction function : functions()) {
            function.model().exercise();
        }
    }

    /**
     * Return the DMA the device behind {@code nub} may still perform: its model's
     * {@link PciDeviceModel#programmedDma()} while the function is present and masters the bus.
     */
    @Override
    public List<LiveDma> liveDma(Object nub) {
        if (!(nub instanceof IORegistryEntry entry) || !"IOPCIDevice".equals(entry.getMetaClassName())) {
            return List.of();
        }
        List<LiveDma> live = new ArrayList<>();
        for (PciFunction f : functions()) {
            if (f.registryLocation().equals(entry.getLocation()) && f.isPresent() && f.busMasterEnabled()) {
                for (PciDeviceModel.DmaWindow window : f.model().programmedDma()) {
                    live.add(new LiveDma(f.toString(), window.what(), window.physicalAddress(), window.length()));
                }
            }
        }
        return live;
    }

    /** Remove every function (so their models cancel pending events); the kernel is shutting down. */
    @Override
    public void powerOff() {
        List<PciFunction> all;
        synchronized (this) {
            all = List.copyOf(functions.values());
            functions.clear();
        }
        for (PciFunction f : all) {
            f.remove();
        }
    }

    private long allocate(PciBar bar) {
        long size = bar.size();
        switch (bar.kind()) {
            case IO: {
                long at = align(nextIo, size);
                nextIo = at + size;
                return at;
            }
            case MEMORY64: {
                long at = align(nextMemory64, size);
                nextMemory64 = at + size;
                return at;
            }
            default: {
                long at = align(nextMemory32, size);
                nextMemory32 = at + size;
                return at;
            }
        }
    }

    private static long align(long address, long size) {
        return (address + size - 1) & ~(size - 1);
    }

    private static int key(int device, int function) {
        return device << 3 | function;
    }
}
