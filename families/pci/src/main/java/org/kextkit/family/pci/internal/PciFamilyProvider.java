package org.kextkit.family.pci.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kextkit.family.pci.IOPCIBridge;
import org.kextkit.hardware.pci.PciHardware;
import org.kextkit.harness.family.BuiltInKext;
import org.kextkit.harness.family.FamilyHardware;
import org.kextkit.harness.family.FamilyProvider;
import org.kextkit.harness.family.HardwareContext;
import org.kextkit.harness.family.MachineDescription;
import org.kextkit.harness.family.MachineDescriptionException;
import org.kextkit.harness.family.MatchIndexer;

/**
 * The PCI family as the hosted kernel sees it: the built-in {@code com.apple.iokit.IOPCIFamily}
 * kext, the bus built from a machine's {@code PCI} entries, and the {@code IOPCIDevice} match index.
 *
 * <p>The family kext reports {@code CFBundleVersion} 2.9 with {@code OSBundleCompatibleVersion}
 * 1.0.0b1, the values of Apple's open-source IOPCIFamily, so kexts that declare either the old
 * {@code 1.0.0b1} or a later version up to 2.9 resolve against it.
 */
public final class PciFamilyProvider implements FamilyProvider {
    /** The family kext's bundle identifier. */
    public static final String BUNDLE_ID = "com.apple.iokit.IOPCIFamily";
    /** The family kext's version. */
    public static final String VERSION = "2.9";
    /** The oldest version it is compatible with. */
    public static final String COMPATIBLE_VERSION = "1.0.0b1";
    /** The package the family exports to kexts that declare it. */
    public static final String EXPORTED_PACKAGE = "org.kextkit.family.pci";

    private static final Map<String, MatchIndexer> INDEXERS = Map.of("IOPCIDevice", new PciMatchIndexer());

    @Override
    public String familyName() {
        return "PCI";
    }

    @Override
    public List<BuiltInKext> builtInKexts() {
        return List.of(new BuiltInKext(infoPlist(), IOPCIBridge.class.getClassLoader(), List.of(EXPORTED_PACKAGE)));
    }

    /** Return the family kext's Info.plist. */
    static Map<String, Object> infoPlist() {
        Map<String, Object> bridge = new LinkedHashMap<>();
        bridge.put("CFBundleIdentifier", BUNDLE_ID);
        bridge.put("IOClass", "IOPCIBridge");
        bridge.put("IOProviderClass", "IOPlatformExpertDevice");
        bridge.put("IOMatchCategory", "IOPCIBridge");
        Map<String, Object> personalities = new LinkedHashMap<>();
        personalities.put("IOPCIBridge", bridge);

        Map<String, Object> libraries = new LinkedHashMap<>();
        libraries.put("com.apple.kpi.iokit", "8.0");
        libraries.put("com.apple.kpi.libkern", "8.0");

        Map<String, Object> plist = new LinkedHashMap<>();
        plist.put("CFBundleDevelopmentRegion", "English");
        plist.put("CFBundleExecutable", "IOPCIFamily");
        plist.put("CFBundleIdentifier", BUNDLE_ID);
        plist.put("CFBundleInfoDictionaryVersion", "6.0");
        plist.put("CFBundleName", "I/O Kit PCI Family");
        plist.put("CFBundlePackageType", "KEXT");
        plist.put("CFBundleShortVersionString", VERSION);
        plist.put("CFBundleVersion", VERSION);
        plist.put("IOKitPersonalities", personalities);
        plist.put("OSBundleCompatibleVersion", COMPATIBLE_VERSION);
        plist.put("OSBundleLibraries", libraries);
        plist.put("OSBundleRequired", "Root");
        return plist;
    }

    @Override
    public FamilyHardware createHardware(List<MachineDescription.Device> devices, HardwareContext context)
            throws MachineDescriptionException {
        return createHardware(devices, context, "machine description");
    }

    @Override
    public FamilyHardware createHardware(MachineDescription machine, HardwareContext context)
            throws MachineDescriptionException {
        return createHardware(devicesOf(machine), context, machine.source());
    }

    /** As {@link #createHardware(List, HardwareContext)}, naming {@code source} (the machine file) in errors. */
    public PciHardware createHardware(List<MachineDescription.Device> devices, HardwareContext context, String source)
            throws MachineDescriptionException {
        PciHardware bus = new PciHardware(context, context.architecture());
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        PciMachineDevices.plugAll(devices, source, bus, loader != null ? loader : PciFamilyProvider.class.getClassLoader());
        return bus;
    }

    @Override
    public Map<String, MatchIndexer> matchIndexers() {
        return INDEXERS;
    }
}
