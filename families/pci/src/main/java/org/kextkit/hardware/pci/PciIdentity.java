package org.kextkit.hardware.pci;

/**
 * The identity a PCI function shows in its configuration header: what drivers match on.
 *
 * @param vendorId the vendor ID (register 0x00, 16 bits), such as {@code 0x8086}
 * @param deviceId the device ID (register 0x02, 16 bits)
 * @param subsystemVendorId the subsystem vendor ID (register 0x2C, 16 bits); 0 if none
 * @param subsystemId the subsystem ID (register 0x2E, 16 bits); 0 if none
 * @param classCode the 24-bit class code: base class, sub-class, programming interface, such as
 *     {@code 0x020000} for an Ethernet controller
 * @param revisionId the revision ID (register 0x08, 8 bits)
 */
public record PciIdentity(int vendorId, int deviceId, int subsystemVendorId, int subsystemId, int classCode, int revisionId) {
    /** Check the field widths. */
    public PciIdentity {
        check("vendor ID", vendorId, 0xFFFF);
        check("device ID", deviceId, 0xFFFF);
        check("subsystem vendor ID", subsystemVendorId, 0xFFFF);
        check("subsystem ID", subsystemId, 0xFFFF);
        check("class code", classCode, 0xFF_FFFF);
        check("revision ID", revisionId, 0xFF);
        if (vendorId == 0xFFFF) {
            throw new IllegalArgumentException("vendor ID 0xffff is what an empty slot reads as; use a real vendor ID");
        }
    }

    private static void check(String what, int value, int max) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException(String.format("%s 0x%x does not fit in %d bits", what, value,
                    Integer.bitCount(max)));
        }
    }

    /** Return a copy with another vendor ID. */
    public PciIdentity withVendorId(int id) {
        return new PciIdentity(id, deviceId, subsystemVendorId, subsystemId, classCode, revisionId);
    }

    /** Return a copy with another device ID. */
    public PciIdentity withDeviceId(int id) {
        return new PciIdentity(vendorId, id, subsystemVendorId, subsystemId, classCode, revisionId);
    }

    /** Return a copy with another subsystem vendor ID. */
    public PciIdentity withSubsystemVendorId(int id) {
        return new PciIdentity(vendorId, deviceId, id, subsystemId, classCode, revisionId);
    }

    /** Return a copy with another subsystem ID. */
    public PciIdentity withSubsystemId(int id) {
        return new PciIdentity(vendorId, deviceId, subsystemVendorId, id, classCode, revisionId);
    }

    /** Return a copy with another class code. */
    public PciIdentity withClassCode(int code) {
        return new PciIdentity(vendorId, deviceId, subsystemVendorId, subsystemId, code, revisionId);
    }

    /** Return a copy with another revision ID. */
    public PciIdentity withRevisionId(int id) {
        return new PciIdentity(vendorId, deviceId, subsystemVendorId, subsystemId, classCode, id);
    }

    @Override
    public String toString() {
        return String.format("vendor 0x%04x device 0x%04x subsystem 0x%04x/0x%04x class 0x%06x rev 0x%02x",
                vendorId, deviceId, subsystemVendorId, subsystemId, classCode, revisionId);
    }
}
