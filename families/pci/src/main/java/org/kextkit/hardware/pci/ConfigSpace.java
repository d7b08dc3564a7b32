package org.kextkit.hardware.pci;

/**
 * The 256-byte configuration space of one function with a type 0 header, as the PCI Local Bus
 * specification defines it: which bytes are read-only, which software may write, which bits are
 * write-one-to-clear, how BARs answer the all-ones sizing write, and the capability list (power
 * management, and MSI when the model declares vectors).
 *
 * <p>Not thread-safe; {@link PciFunction} serialises access.
 */
final class ConfigSpace {
    static final int SIZE = 256;
    static final int PM_CAPABILITY = 0x40;
    static final int MSI_CAPABILITY = 0x50;

    private final byte[] value = new byte[SIZE];
    private final byte[] writable = new byte[SIZE];
    private final byte[] writeOneToClear = new byte[SIZE];
    private final byte[] resetValue = new byte[SIZE];

    ConfigSpace(PciIdentity identity, PciBar[] bars, int msiVectors, boolean multiFunction) {
        set16(0x00, identity.vendorId());
        set16(0x02, identity.deviceId());
        // command: I/O space, memory space, bus master, parity error response, SERR#, interrupt disable
        writable[0x04] = 0x47;
        writable[0x05] = 0x05;
        // status: capabilities list; error bits are write-one-to-clear
        set16(0x06, 0x0010);
        writeOneToClear[0x07] = (byte) 0xF9;
        value[0x08] = (byte) identity.revisionId();
        value[0x09] = (byte) identity.classCode();
        value[0x0A] = (byte) (identity.classCode() >>> 8);
        value[0x0B] = (byte) (identity.classCode() >>> 16);
        writable[0x0C] = (byte) 0xFF;
        writable[0x0D] = (byte) 0xFF;
        value[0x0E] = (byte) (multiFunction ? 0x80 : 0x00);
        for (int i = 0; i < 6; i++) {
            PciBar bar = bars[i];
            if (bar == null) {
                continue;
            }
            int reg = 0x10 + 4 * i;
            long sizeMask = ~(bar.size() - 1);
            int lowMask = (int) sizeMask & (bar.isMemory() ? 0xFFFF_FFF0 : 0xFFFF_FFFC);
            set32(reg, bar.typeBits());
            set32Mask(writable, reg, lowMask);
            if (bar.kind() == PciBar.Kind.MEMORY64) {
                set32Mask(writable, reg + 4, (int) (sizeMask >>> 32));
                i++;
            }
        }
        set16(0x2C, identity.subsystemVendorId());
        set16(0x2E, identity.subsystemId());
        value[0x34] = (byte) PM_CAPABILITY;
        writable[0x3C] = (byte) 0xFF;
        value[0x3D] = 0x01; // INTA#
        // power management capability, version 3, no D1/D2, no PME
        value[PM_CAPABILITY] = 0x01;
        value[PM_CAPABILITY + 1] = (byte) (msiVectors > 0 ? MSI_CAPABILITY : 0);
        set16(PM_CAPABILITY + 2, 0x0003);
        writable[PM_CAPABILITY + 4] = 0x03;
        if (msiVectors > 0) {
            value[MSI_CAPABILITY] = 0x05;
            int capable = Integer.numberOfTrailingZeros(msiVectors);
            // 64-bit address capable, multiple message capable = log2(vectors)
            set16(MSI_CAPABILITY + 2, 0x0080 | (capable << 1));
            writable[MSI_CAPABILITY + 2] = 0x71;
            set32Mask(writable, MSI_CAPABILITY + 4, 0xFFFF_FFFC);
            set32Mask(writable, MSI_CAPABILITY + 8, 0xFFFF_FFFF);
            writable[MSI_CAPABILITY + 12] = (byte) 0xFF;
            writable[MSI_CAPABILITY + 13] = (byte) 0xFF;
        }
        System.arraycopy(value, 0, resetValue, 0, SIZE);
    }

    /** Return to the power-on values (BARs unassigned, decoding off, MSI off). */
    void reset() {
        System.arraycopy(resetValue, 0, value, 0, SIZE);
    }

    /** Read {@code width} bytes (1, 2 or 4) at {@code offset}, little-endian; past the end reads all ones. */
    int read(int offset, int width) {
        int result = 0;
        for (int i = 0; i < width; i++) {
            int at = offset + i;
            int b = at >= 0 && at < SIZE ? value[at] & 0xFF : 0xFF;
            result |= b << (8 * i);
        }
        return result;
    }

    /** Write as software does: read-only bits keep their value, write-one-to-clear bits clear where ones are written. */
    void write(int offset, int width, int data) {
        for (int i = 0; i < width; i++) {
            int at = offset + i;
            if (at < 0 || at >= SIZE) {
                continue;
            }
            int b = (data >>> (8 * i)) & 0xFF;
            int w = writable[at] & 0xFF;
            int c = writeOneToClear[at] & 0xFF;
            int old = value[at] & 0xFF;
            int updated = (old & ~w) | (b & w);
            updated &= ~(b & c);
            value[at] = (byte) updated;
        }
    }

    /** Set bits the hardware itself owns (status error bits, BAR addresses the firmware assigns). */
    void set32(int offset, int data) {
        for (int i = 0; i < 4; i++) {
            value[offset + i] = (byte) (data >>> (8 * i));
        }
    }

    /** Set bits of a register the hardware owns, keeping the others. */
    void setBits16(int offset, int bits, boolean on) {
        int current = read(offset, 2);
        set16(offset, on ? current | bits : current & ~bits);
    }

    private void set16(int offset, int data) {
        value[offset] = (byte) data;
        value[offset + 1] = (byte) (data >>> 8);
    }

    private static void set32Mask(byte[] target, int offset, int data) {
        for (int i = 0; i < 4; i++) {
            target[offset + i] = (byte) (data >>> (8 * i));
        }
    }
}
