package org.kextkit.family.pci.internal;

/**
 * The three configuration registers PCI matching compares, as the family saved them when it
 * published the nub.
 *
 * @param vendorDevice register 0x00: device ID in the high 16 bits, vendor ID in the low 16
 * @param classRevision register 0x08: class code (base, sub-class, programming interface) in the
 *     high 24 bits, revision ID in the low 8
 * @param subsystem register 0x2C: subsystem ID in the high 16 bits, subsystem vendor ID in the low 16
 */
public record PciIds(int vendorDevice, int classRevision, int subsystem) {
    /** Build the registers from separate fields. */
    public static PciIds of(int vendorId, int deviceId, int classCode, int revisionId, int subsystemVendorId, int subsystemId) {
        return new PciIds((deviceId << 16) | (vendorId & 0xFFFF), (classCode << 8) | (revisionId & 0xFF),
                (subsystemId << 16) | (subsystemVendorId & 0xFFFF));
    }

    /** Return the vendor ID. */
    public int vendorId() {
        return vendorDevice & 0xFFFF;
    }

    /** Return the device ID. */
    public int deviceId() {
        return vendorDevice >>> 16;
    }

    /** Return the 24-bit class code. */
    public int classCode() {
        return classRevision >>> 8;
    }

    /** Return the revision ID. */
    public int revisionId() {
        return classRevision & 0xFF;
    }

    /** Return the subsystem vendor ID. */
    public int subsystemVendorId() {
        return subsystem & 0xFFFF;
    }

    /** Return the subsystem ID. */
    public int subsystemId() {
        return subsystem >>> 16;
    }
}
