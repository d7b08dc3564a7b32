package org.kextkit.hardware.pci;

/**
 * The registers behind one BAR of a device model: what a driver's reads and writes through its
 * memory map (or I/O port accesses) reach. Called on the driver's thread, so handlers must be fast
 * and must not block; a handler that starts slow work schedules a hardware event instead.
 *
 * <p>Values are little-endian, as PCI is. The bus has already checked that the access lies inside
 * the BAR and that the device decodes the space (command register, power state, presence).
 */
public interface RegisterHandler {
    /**
     * Read {@code width} bytes (1, 2, 4 or 8) at {@code offset} from the start of the BAR; return the
     * value in the low bits.
     */
    long read(long offset, int width);

    /** Write the low {@code width} bytes (1, 2, 4 or 8) of {@code value} at {@code offset}. */
    void write(long offset, int width, long value);
}
