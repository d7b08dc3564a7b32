package org.kextkit.hardware.pci;

/**
 * Told when functions appear on or vanish from a bus at run time: the family's bridge driver
 * listens to publish a nub for a hot-plugged device and terminate the nub of a removed one.
 */
public interface PciBusListener {
    /** A function was hot-plugged; it is present and reset. */
    void functionAdded(PciFunction function);

    /** A function was surprise-removed; it already reads as all ones. */
    void functionRemoved(PciFunction function);
}
