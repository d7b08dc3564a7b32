package org.kextkit.harness.family;

/**
 * One family's simulated hardware in one kernel's machine (a PCI bus with its devices). The
 * family's own kext code finds it through {@code KernelServices.hardware(type)}; tests find it
 * through the kernel to program devices, hot-plug and remove them.
 */
public interface FamilyHardware {
    /** Return the type under which this hardware is looked up (such as {@code PciHardware.class}). */
    Class<?> lookupType();

    /** Stop every device model (cancel their pending hardware events); called when the kernel shuts down. */
    void powerOff();

    /**
     * Run the family's standard device workload once: what each device does on its own in normal
     * use (a NIC's link going down and up, ...), so that a driver's interrupt paths run. kextcheck's
     * exercise calls it; the default does nothing.
     */
    default void exercise() {
    }

    /**
     * Return the DMA the device behind {@code nub} (a registry entry this family published) is still
     * programmed to perform on its own; the kernel asks when the nub's driver has stopped. The default
     * is none.
     */
    default java.util.List<LiveDma> liveDma(Object nub) {
        return java.util.List.of();
    }
}
