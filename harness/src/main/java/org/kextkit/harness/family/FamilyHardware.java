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
}
