package org.kextkit.hardware.pci;

/**
 * A PCI function's device power state, as set through the power-management capability's PMCSR.
 * The family puts devices in {@link #D3HOT} when the system sleeps and back in {@link #D0} on wake.
 */
public enum PciPowerState {
    /** Fully on: the device decodes its BARs and may master the bus. */
    D0,
    /** Light sleep (declared unsupported by kextkit's devices; writes select it anyway). */
    D1,
    /** Deeper sleep (declared unsupported by kextkit's devices; writes select it anyway). */
    D2,
    /**
     * Off with power still applied: only configuration space answers. Leaving it resets the
     * device, since kextkit's devices do not set No_Soft_Reset, so a driver re-initialises its
     * hardware after wake.
     */
    D3HOT;

    /** Return the state encoded in PMCSR bits 1:0. */
    public static PciPowerState fromPmcsr(int bits) {
        return values()[bits & 0x3];
    }
}
