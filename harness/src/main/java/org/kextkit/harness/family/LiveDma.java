package org.kextkit.harness.family;

/**
 * DMA a simulated device may still perform on its own: a ring or buffer it is programmed with and
 * enabled to read or write while it masters the bus. The teardown checks report it when the
 * device's driver has stopped (DMA-LIVE).
 *
 * @param device the device, as the hardware names it (such as {@code PCI 00:02.0 (nic)})
 * @param what what is programmed, such as {@code RX descriptor ring (256 entries, enabled)}
 * @param physicalAddress the first physical address the device may access
 * @param length how many bytes from there
 */
public record LiveDma(String device, String what, long physicalAddress, long length) {
}
