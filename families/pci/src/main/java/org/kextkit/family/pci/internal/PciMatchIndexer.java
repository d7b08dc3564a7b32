package org.kextkit.family.pci.internal;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.kextkit.family.pci.IOPCIDevice;
import org.kextkit.harness.family.MatchIndexer;
import org.kextkit.harness.iokit.matching.ChecksFamilyKeys;
import org.kextkit.kit.iokit.IOService;

/**
 * Index {@code IOPCIDevice} personalities by the vendor IDs (or base class) their PCI keys can
 * match, so a nub is checked only against personalities that name its vendor, its subsystem
 * vendor or its base class, plus those that cannot be indexed.
 *
 * <p>A key can index a personality only if every item it reads masks in the whole field used:
 * {@code 0x8086} in the low 16 bits for vendor keys, the top 8 bits for the class key. Since all
 * PCI keys present must match, one indexable key is enough; vendor keys are preferred because a
 * base class is shared by many devices. Keys: {@code v:VVVV} (vendor ID), {@code s:VVVV}
 * (subsystem vendor ID) and {@code c:BB} (base class).
 */
public final class PciMatchIndexer implements MatchIndexer, ChecksFamilyKeys {
    private static final PciMatchKey[] PREFERENCE = {
        PciMatchKey.IOPCIPrimaryMatch, PciMatchKey.IOPCIMatch, PciMatchKey.IOPCISecondaryMatch, PciMatchKey.IOPCIClassMatch};

    @Override
    public Set<String> personalityKeys(Map<String, Object> personality) {
        for (PciMatchKey key : PREFERENCE) {
            Object value = personality.get(key.key());
            if (!(value instanceof String)) {
                continue;
            }
            Set<String> keys = keysOf(PciMatcher.parsed(key, (String) value));
            if (!keys.isEmpty()) {
                return keys;
            }
        }
        return nameKeys(personality.get("IONameMatch"));
    }

    /**
     * Return the keys of an {@code IONameMatch} whose every name is a PCI device-tree name: a nub
     * answers to {@code pciVVVV,DDDD} only through its own IDs or its subsystem IDs (its name and
     * its {@code compatible} entries), and to {@code pciclass,CCSSPP} only through its class code.
     * Any other name (a device type such as {@code ethernet}, a wildcard before the vendor is
     * complete) leaves the personality unindexed.
     */
    private static Set<String> nameKeys(Object names) {
        List<?> list = names instanceof String ? List.of(names) : names instanceof List ? (List<?>) names : List.of();
        Set<String> keys = new HashSet<>();
        for (Object name : list) {
            if (!(name instanceof String)) {
                return Set.of();
            }
            String text = (String) name;
            int comma = text.indexOf(',');
            if (!text.startsWith("pci") || comma < 4) {
                return Set.of();
            }
            String first = text.substring(3, comma);
            if (first.equals("class")) {
                String code = text.substring(comma + 1);
                if (code.length() < 2 || !isHex(code.substring(0, 2))) {
                    return Set.of();
                }
                keys.add(classKey(Integer.parseInt(code.substring(0, 2), 16)));
            } else if (first.length() <= 4 && isHex(first)) {
                int vendor = Integer.parseInt(first, 16);
                keys.add(vendorKey(vendor));
                keys.add(subsystemKey(vendor));
            } else {
                return Set.of();
            }
        }
        return keys;
    }

    private static boolean isHex(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (Character.digit(text.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    private static Set<String> keysOf(PciMatchList list) {
        List<PciMatchList.Item> items = list.items();
        if (items.isEmpty()) {
            return Set.of();
        }
        Set<String> keys = new HashSet<>();
        for (PciMatchList.Item item : items) {
            if (list.key().comparesClass()) {
                if ((item.mask() & 0xFF00_0000) != 0xFF00_0000) {
                    return Set.of();
                }
                keys.add(classKey(item.value() >>> 24));
            } else {
                if ((item.mask() & 0xFFFF) != 0xFFFF) {
                    return Set.of();
                }
                int vendor = item.value() & 0xFFFF;
                if (list.key().comparesPrimary()) {
                    keys.add(vendorKey(vendor));
                }
                if (list.key().comparesSecondary()) {
                    keys.add(subsystemKey(vendor));
                }
            }
        }
        return keys;
    }

    @Override
    public Set<String> nubKeys(IOService nub) {
        if (!(nub instanceof IOPCIDevice)) {
            return Set.of();
        }
        IOPCIDevice device = (IOPCIDevice) nub;
        PciIds ids = new PciIds(device.configRead32(IOPCIDevice.kIOPCIConfigVendorID),
                device.configRead32(IOPCIDevice.kIOPCIConfigRevisionID),
                device.configRead32(IOPCIDevice.kIOPCIConfigSubSystemVendorID));
        return keysFor(ids);
    }

    /** Return the keys of a function with these registers. */
    public static Set<String> keysFor(PciIds ids) {
        return Set.of(vendorKey(ids.vendorId()), subsystemKey(ids.subsystemVendorId()), classKey(ids.classCode() >>> 16));
    }

    @Override
    public List<ChecksFamilyKeys.Problem> checkFamilyKeys(Map<String, Object> personality) {
        return PciMatcher.warnings(personality);
    }

    static String vendorKey(int vendor) {
        return "v:" + Integer.toHexString(vendor);
    }

    static String subsystemKey(int vendor) {
        return "s:" + Integer.toHexString(vendor);
    }

    static String classKey(int baseClass) {
        return "c:" + Integer.toHexString(baseClass);
    }
}
