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
        return Set.of();
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
