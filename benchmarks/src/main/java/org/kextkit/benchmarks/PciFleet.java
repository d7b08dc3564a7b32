package org.kextkit.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.kextkit.hardware.pci.PciDeviceModel;
import org.kextkit.hardware.pci.PciIdentity;

/**
 * A deterministic world of PCI devices and of the kexts that drive them, for the matching
 * benchmark: a catalogue of devices (vendors with their device IDs, class codes and subsystems),
 * machines' worth of devices drawn from it, and personalities written the ways real kexts write
 * them: exact IDs, lists of up to 51 IDs, masked device IDs, vendor-only matches, class matches,
 * subsystem matches and {@code IONameMatch} on the device-tree name.
 */
final class PciFleet {
    /** Vendors every real catalogue has, then made-up ones. */
    private static final int[] KNOWN_VENDORS = {0x8086, 0x10de, 0x1002, 0x14e4, 0x10ec, 0x168c, 0x1b4b, 0x144d, 0x15b3, 0x1af4};
    /** Subsystem vendors of machine makers (Apple, Dell, Lenovo, HP, ASUS). */
    private static final int[] OEMS = {0x106b, 0x1028, 0x17aa, 0x103c, 0x1043};
    /** Class codes (class, subclass, programming interface) seen on real machines. */
    private static final int[] CLASSES = {0x020000, 0x028000, 0x030000, 0x040300, 0x0c0330, 0x0c0320, 0x010802, 0x010601,
        0x060400, 0x0c0500, 0x118000, 0x070002, 0x0c8000, 0x088000, 0x0c0310};
    private static final int VENDORS = 240;
    private static final int DEVICES_PER_VENDOR = 24;
    private static final int[] SCORES = {0, 0, 0, 1000, 2000, 300, 9999, 100000};

    /** One device of the catalogue. */
    record Device(int vendor, int device, int subsystemVendor, int subsystem, int classCode, int revision) {
        PciIdentity identity() {
            return new PciIdentity(vendor, device, subsystemVendor, subsystem, classCode, revision);
        }

        String primaryId() {
            return hex(device << 16 | vendor);
        }
    }

    /** A function that is only its identity: enough to be enumerated and matched. */
    static final class IdentityOnly extends PciDeviceModel {
        IdentityOnly(PciIdentity identity) {
            super(identity);
        }
    }

    private final Random random;
    private final int[] vendors = new int[VENDORS];
    private final List<Device> catalogue = new ArrayList<>();

    PciFleet(long seed) {
        random = new Random(seed);
        Set<Integer> taken = new LinkedHashSet<>();
        for (int v : KNOWN_VENDORS) {
            taken.add(v);
        }
        while (taken.size() < VENDORS) {
            taken.add(0x1000 + random.nextInt(0xE000));
        }
        int i = 0;
        for (int v : taken) {
            vendors[i++] = v;
        }
        for (int vendor : vendors) {
            Set<Integer> ids = new LinkedHashSet<>();
            while (ids.size() < DEVICES_PER_VENDOR) {
                ids.add(random.nextInt(0x10000));
            }
            for (int device : ids) {
                boolean oem = random.nextBoolean();
                catalogue.add(new Device(vendor, device, oem ? OEMS[random.nextInt(OEMS.length)] : vendor,
                        random.nextInt(0x10000), CLASSES[random.nextInt(CLASSES.length)], random.nextInt(0x20)));
            }
        }
    }

    /** Return {@code count} devices drawn from the catalogue (a fleet of machines has many of the same). */
    List<Device> devices(int count) {
        List<Device> drawn = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            drawn.add(catalogue.get(random.nextInt(catalogue.size())));
        }
        return drawn;
    }

    /**
     * Return {@code count} IOPCIDevice personalities grouped into kexts of ten ({@code bundle id ->
     * personality name -> dictionary}), each with its own {@code IOClass}.
     */
    Map<String, Map<String, Map<String, Object>>> kexts(int count) {
        Map<String, Map<String, Map<String, Object>>> kexts = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            String bundle = String.format("com.example.fleet.k%04d", i / 10);
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("IOProviderClass", "IOPCIDevice");
            p.put("IOClass", "com_example_fleet_Driver" + i);
            p.put("CFBundleIdentifier", bundle);
            int score = SCORES[random.nextInt(SCORES.length)];
            if (score != 0) {
                p.put("IOProbeScore", (long) score);
            }
            addMatchKeys(i % 1000, p);
            kexts.computeIfAbsent(bundle, b -> new LinkedHashMap<>()).put("Driver" + i, p);
        }
        return kexts;
    }

    // The share of each way of matching, in tenths of a percent of the personalities.
    private void addMatchKeys(int perMille, Map<String, Object> p) {
        Device d = catalogue.get(random.nextInt(catalogue.size()));
        if (perMille < 450) {
            p.put("IOPCIMatch", random.nextInt(4) == 0 ? d.primaryId().toUpperCase(Locale.ROOT).replace("0X", "0x") : d.primaryId());
        } else if (perMille < 520) {
            p.put("IOPCIPrimaryMatch", d.primaryId());
        } else if (perMille < 660) {
            p.put("IOPCIMatch", idList(d.vendor(), perMille % 20 == 0 ? 51 : 2 + random.nextInt(10)));
        } else if (perMille < 770) {
            int mask = random.nextBoolean() ? 0xFFF0FFFF : 0xFFFCFFFF;
            p.put("IOPCIMatch", hex(d.device() << 16 | d.vendor()) + "&" + hex(mask).toUpperCase(Locale.ROOT).replace("0X", "0x"));
        } else if (perMille < 790) {
            p.put("IOPCIPrimaryMatch", hex(d.vendor()) + "&0x0000ffff");
            if (perMille >= 785) {
                // vendor and base class, as a display-audio enabler matches every GPU of one maker
                p.put("IOPCIClassMatch", hex(d.classCode() << 8) + "&0xff000000");
                p.put("IOMatchCategory", "IOFramebuffer");
            }
        } else if (perMille < 793) {
            // few kexts match a whole class (a USB host controller, a bridge, an AHCI controller)
            p.put("IOPCIClassMatch", random.nextBoolean() ? hex(d.classCode() << 8) : hex(d.classCode() << 8) + "&0xffff0000");
        } else if (perMille < 850) {
            p.put("IOPCISecondaryMatch", hex(d.subsystem() << 16 | d.subsystemVendor()));
        } else if (perMille < 900) {
            // an IOPCIMatch item that hits the subsystem register (0x2C) rather than the primary one
            p.put("IOPCIMatch", hex(d.subsystem() << 16 | d.subsystemVendor()));
        } else if (perMille < 950) {
            p.put("IONameMatch", String.format("pci%x,%x", d.vendor(), d.device()));
        } else {
            p.put("IOPCIMatch", d.primaryId() + " " + idList(d.vendor(), 1 + random.nextInt(3)));
            p.put("IOPCISecondaryMatch", hex(d.subsystem() << 16 | d.subsystemVendor()));
        }
    }

    // n distinct device IDs of one vendor (real lists name one maker's family of chips); past the
    // vendor's devices in the catalogue, IDs of chips no machine in the fleet has
    private String idList(int vendor, int n) {
        int base = indexOfVendor(vendor) * DEVICES_PER_VENDOR;
        List<Integer> order = new ArrayList<>();
        for (int k = 0; k < DEVICES_PER_VENDOR; k++) {
            order.add(base + k);
        }
        java.util.Collections.shuffle(order, random);
        Set<String> ids = new LinkedHashSet<>();
        for (int k = 0; k < n && k < order.size(); k++) {
            ids.add(catalogue.get(order.get(k)).primaryId());
        }
        while (ids.size() < n) {
            ids.add(hex(random.nextInt(0x10000) << 16 | vendor));
        }
        return String.join(" ", ids);
    }

    private int indexOfVendor(int vendor) {
        for (int i = 0; i < vendors.length; i++) {
            if (vendors[i] == vendor) {
                return i;
            }
        }
        throw new IllegalArgumentException(Integer.toHexString(vendor));
    }

    private static String hex(int value) {
        return String.format("0x%08x", value);
    }
}
