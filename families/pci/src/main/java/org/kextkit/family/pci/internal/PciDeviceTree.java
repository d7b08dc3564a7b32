package org.kextkit.family.pci.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kextkit.hardware.pci.PciBar;
import org.kextkit.hardware.pci.PciFunction;
import org.kextkit.hardware.pci.PciIdentity;

/**
 * The device-tree view of a PCI function that the family publishes on its nub, following the
 * Open Firmware PCI bus binding that Apple's family also follows: the generic name for the class
 * code (or {@code pciVVVV,DDDD}), the {@code compatible} list, the ID properties as 4-byte
 * little-endian data, and {@code reg}/{@code assigned-addresses} in 5-cell PCI address form.
 */
public final class PciDeviceTree {
    // Base class and sub-class (class code >> 8) to generic name. Chosen from the Open Firmware PCI
    // binding's generic names, with "pci-bridge" for PCI-to-PCI bridges, which is what Apple's own
    // IOPCI2PCIBridge personality matches by name.
    private static final Map<Integer, String> GENERIC_NAMES = Map.ofEntries(
            Map.entry(0x0100, "scsi"), Map.entry(0x0101, "ide"), Map.entry(0x0102, "fdc"), Map.entry(0x0104, "raid"),
            Map.entry(0x0200, "ethernet"), Map.entry(0x0201, "token-ring"), Map.entry(0x0202, "fddi"),
            Map.entry(0x0203, "atm"), Map.entry(0x0280, "network"),
            Map.entry(0x0300, "display"), Map.entry(0x0380, "display"),
            Map.entry(0x0400, "video"), Map.entry(0x0401, "sound"), Map.entry(0x0403, "sound"),
            Map.entry(0x0500, "memory"), Map.entry(0x0501, "flash"),
            Map.entry(0x0600, "host"), Map.entry(0x0601, "isa"), Map.entry(0x0604, "pci-bridge"),
            Map.entry(0x0607, "cardbus"),
            Map.entry(0x0700, "serial"), Map.entry(0x0701, "parallel"),
            Map.entry(0x0C00, "firewire"), Map.entry(0x0C03, "usb"), Map.entry(0x0C05, "smbus"));

    private PciDeviceTree() {
    }

    /** Return the node name: the generic name of the class code, else {@code pciVVVV,DDDD}. */
    public static String name(PciIdentity id) {
        String generic = GENERIC_NAMES.get(id.classCode() >>> 8);
        return generic != null ? generic : vendorDeviceName(id.vendorId(), id.deviceId());
    }

    /** Return {@code pciVVVV,DDDD} with lower-case hex digits and no leading zeros, as the binding writes it. */
    public static String vendorDeviceName(int vendor, int device) {
        return "pci" + Integer.toHexString(vendor) + "," + Integer.toHexString(device);
    }

    /**
     * Return the {@code compatible} names, most specific first: the subsystem pair (when the
     * function has one that differs from its own IDs), the vendor/device pair, and the class.
     */
    public static List<String> compatible(PciIdentity id) {
        List<String> names = new ArrayList<>(3);
        boolean subsystem = id.subsystemVendorId() != 0
                && (id.subsystemVendorId() != id.vendorId() || id.subsystemId() != id.deviceId());
        if (subsystem) {
            names.add(vendorDeviceName(id.subsystemVendorId(), id.subsystemId()));
        }
        names.add(vendorDeviceName(id.vendorId(), id.deviceId()));
        names.add(String.format("pciclass,%06x", id.classCode()));
        return names;
    }

    /** Return the location in the service plane: {@code device} or {@code device,function}, in hex. */
    public static String location(PciFunction function) {
        return function.registryLocation();
    }

    /** Return the properties a nub for {@code function} starts with. */
    public static Map<String, Object> properties(PciFunction function) {
        PciIdentity id = function.identity();
        String name = name(id);
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("IOName", name);
        props.put("name", nulTerminated(List.of(name)));
        props.put("vendor-id", cell(id.vendorId()));
        props.put("device-id", cell(id.deviceId()));
        props.put("subsystem-vendor-id", cell(id.subsystemVendorId()));
        props.put("subsystem-id", cell(id.subsystemId()));
        props.put("class-code", cell(id.classCode()));
        props.put("revision-id", cell(id.revisionId()));
        props.put("compatible", nulTerminated(compatible(id)));
        props.put("reg", addresses(function, false));
        props.put("assigned-addresses", addresses(function, true));
        props.put("pcidebug", function.busNumber() + ":" + function.deviceNumber() + ":" + function.functionNumber());
        if (function.model().msiVectorCount() > 0) {
            props.put("IOPCIMSIMode", Boolean.TRUE);
        }
        return props;
    }

    /** Return the NUL-separated (and NUL-terminated) strings of a device-tree string-list property. */
    public static List<String> stringList(Object property) {
        List<String> strings = new ArrayList<>();
        if (property instanceof byte[]) {
            byte[] data = (byte[]) property;
            int start = 0;
            for (int i = 0; i <= data.length; i++) {
                if (i == data.length || data[i] == 0) {
                    if (i > start) {
                        strings.add(new String(data, start, i - start, StandardCharsets.UTF_8));
                    }
                    start = i + 1;
                }
            }
        } else if (property instanceof String) {
            strings.add((String) property);
        }
        return strings;
    }

    private static byte[] nulTerminated(List<String> strings) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String s : strings) {
            out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
            out.write(0);
        }
        return out.toByteArray();
    }

    private static byte[] cell(int value) {
        return new byte[] {(byte) value, (byte) (value >>> 8), (byte) (value >>> 16), (byte) (value >>> 24)};
    }

    // 5 cells per entry: phys.hi (npt000ss bbbbbbbb dddddfff rrrrrrrr), phys.mid, phys.lo, size.hi, size.lo.
    private static byte[] addresses(PciFunction function, boolean assigned) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int devfn = (function.deviceNumber() << 11) | (function.functionNumber() << 8);
        int bus = function.busNumber() << 16;
        if (!assigned) {
            writeCells(out, bus | devfn, 0, 0, 0, 0);
        }
        for (int i = 0; i < 6; i++) {
            PciBar bar = function.bar(i);
            if (bar == null) {
                continue;
            }
            int space = bar.kind() == PciBar.Kind.IO ? 1 : bar.kind() == PciBar.Kind.MEMORY64 ? 3 : 2;
            int hi = (assigned ? 0x8000_0000 : 0) | (bar.prefetchable() ? 0x4000_0000 : 0) | space << 24 | bus | devfn
                    | (0x10 + 4 * i);
            long address = assigned ? function.barAddress(i) : 0;
            writeCells(out, hi, (int) (address >>> 32), (int) address, (int) (bar.size() >>> 32), (int) bar.size());
        }
        return out.toByteArray();
    }

    private static void writeCells(ByteArrayOutputStream out, int... cells) {
        for (int c : cells) {
            out.writeBytes(cell(c));
        }
    }
}
