package org.kextkit.hardware.pci;

/**
 * A base address register a device model declares: the kind of space it decodes and its size.
 * Sizes are powers of two, as the BAR sizing protocol requires (software writes all ones and reads
 * back the size mask).
 *
 * @param kind memory (32- or 64-bit) or I/O space
 * @param size the size in bytes: at least 16 for memory, 4 to 256 for I/O
 * @param prefetchable true for a prefetchable memory BAR
 */
public record PciBar(Kind kind, long size, boolean prefetchable) {
    /** The space a BAR decodes. */
    public enum Kind {
        /** Memory space below 4 GiB; one BAR register. */
        MEMORY32,
        /** Memory space anywhere in 64 bits; takes this BAR register and the next. */
        MEMORY64,
        /** I/O port space. */
        IO
    }

    /** Check the size rules. */
    public PciBar {
        if (kind == null) {
            throw new IllegalArgumentException("a BAR needs a kind (MEMORY32, MEMORY64 or IO)");
        }
        if (size <= 0 || Long.bitCount(size) != 1) {
            throw new IllegalArgumentException("BAR size " + size + " is not a power of two");
        }
        if (kind == Kind.IO && (size < 4 || size > 256)) {
            throw new IllegalArgumentException("an I/O BAR must be 4 to 256 bytes, not " + size);
        }
        if (kind == Kind.MEMORY32 && (size < 16 || size > 1L << 31)) {
            throw new IllegalArgumentException("a 32-bit memory BAR must be 16 bytes to 2 GiB, not " + size);
        }
        if (kind == Kind.MEMORY64 && size < 16) {
            throw new IllegalArgumentException("a 64-bit memory BAR must be at least 16 bytes, not " + size);
        }
        if (kind == Kind.IO && prefetchable) {
            throw new IllegalArgumentException("an I/O BAR cannot be prefetchable");
        }
    }

    /** Return a 32-bit, non-prefetchable memory BAR of {@code size} bytes. */
    public static PciBar memory32(long size) {
        return new PciBar(Kind.MEMORY32, size, false);
    }

    /** Return a 64-bit memory BAR of {@code size} bytes. */
    public static PciBar memory64(long size, boolean prefetchable) {
        return new PciBar(Kind.MEMORY64, size, prefetchable);
    }

    /** Return an I/O BAR of {@code size} ports. */
    public static PciBar io(int size) {
        return new PciBar(Kind.IO, size, false);
    }

    /** Return true for memory BARs. */
    public boolean isMemory() {
        return kind != Kind.IO;
    }

    /** Return the read-only low bits of the BAR register: space, type and prefetch flags. */
    int typeBits() {
        switch (kind) {
            case IO:
                return 0x1;
            case MEMORY64:
                return 0x4 | (prefetchable ? 0x8 : 0);
            default:
                return prefetchable ? 0x8 : 0;
        }
    }
}
