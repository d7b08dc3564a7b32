package org.kextkit.hardware.pci;

/**
 * Where a PCI function's interrupts go: the nub that publishes the function (the family's
 * IOPCIDevice) or a test. Called on the thread that raised the interrupt (a hardware event or a
 * register write); the sink posts delivery to the kernel's interrupt thread.
 */
public interface PciInterruptSink {
    /** The function's INTx line changed: asserted (true) or deasserted. Only reported while INTx is not disabled and MSI is off. */
    void intxChanged(boolean asserted);

    /** The function sent MSI {@code vector} (already reduced to the vectors software allocated). */
    void msi(int vector);
}
