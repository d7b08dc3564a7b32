package org.kextkit.family.pci.internal;

/**
 * The four register-matching keys of Apple's PCI family, in the order the family checks them, with
 * the configuration registers each compares and its default mask.
 */
public enum PciMatchKey {
    /** Vendor/device (0x00) or, failing that, subsystem vendor/subsystem (0x2C); full mask. */
    IOPCIMatch("IOPCIMatch", 0xFFFF_FFFF, true, true),
    /** Vendor/device (0x00) only; full mask. */
    IOPCIPrimaryMatch("IOPCIPrimaryMatch", 0xFFFF_FFFF, true, false),
    /** Subsystem vendor/subsystem (0x2C) only; full mask. */
    IOPCISecondaryMatch("IOPCISecondaryMatch", 0xFFFF_FFFF, false, true),
    /** Class code and revision (0x08); the default mask ignores the revision. */
    IOPCIClassMatch("IOPCIClassMatch", 0xFFFF_FF00, false, false);

    private final String key;
    private final int defaultMask;
    private final boolean primary;
    private final boolean secondary;

    PciMatchKey(String key, int defaultMask, boolean primary, boolean secondary) {
        this.key = key;
        this.defaultMask = defaultMask;
        this.primary = primary;
        this.secondary = secondary;
    }

    /** Return the personality key. */
    public String key() {
        return key;
    }

    /** Return the mask used by items without {@code &MASK}. */
    public int defaultMask() {
        return defaultMask;
    }

    /** Return true if the key compares the vendor/device register (0x00). */
    public boolean comparesPrimary() {
        return primary;
    }

    /** Return true if the key compares the subsystem register (0x2C). */
    public boolean comparesSecondary() {
        return secondary;
    }

    /** Return true if the key compares the class-code register (0x08). */
    public boolean comparesClass() {
        return this == IOPCIClassMatch;
    }
}
