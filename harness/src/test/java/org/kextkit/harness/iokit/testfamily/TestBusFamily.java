package org.kextkit.harness.iokit.testfamily;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kextkit.harness.family.BuiltInKext;
import org.kextkit.harness.family.FamilyHardware;
import org.kextkit.harness.family.FamilyProvider;
import org.kextkit.harness.family.HardwareContext;
import org.kextkit.harness.family.MachineDescription;
import org.kextkit.harness.family.MachineDescriptionException;

/** A minimal bus family for registry tests: a controller on the platform publishes one nub per device. */
public final class TestBusFamily implements FamilyProvider {
    /** The family kext's identifier. */
    public static final String ID = "com.example.iokit.TestBusFamily";

    @Override
    public String familyName() {
        return "TESTBUS";
    }

    @Override
    public List<BuiltInKext> builtInKexts() {
        Map<String, Object> controller = new LinkedHashMap<>();
        controller.put("IOClass", "TestBusController");
        controller.put("IOProviderClass", "IOPlatformExpertDevice");
        controller.put("IOMatchCategory", "TestBusController");
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("CFBundleIdentifier", ID);
        info.put("CFBundleName", "TestBusFamily");
        info.put("CFBundleExecutable", "TestBusFamily");
        info.put("CFBundlePackageType", "KEXT");
        info.put("CFBundleInfoDictionaryVersion", "6.0");
        info.put("CFBundleVersion", "2.1");
        info.put("OSBundleCompatibleVersion", "1.0");
        info.put("OSBundleRequired", "Root");
        info.put("OSBundleLibraries", Map.of("com.apple.kpi.iokit", "8.0.0", "com.apple.kpi.libkern", "8.0.0"));
        info.put("IOKitPersonalities", Map.of("TestBusController", controller));
        return List.of(new BuiltInKext(info, TestBusFamily.class.getClassLoader(), List.of(TestBusFamily.class.getPackageName())));
    }

    @Override
    public FamilyHardware createHardware(List<MachineDescription.Device> devices, HardwareContext context)
            throws MachineDescriptionException {
        List<Integer> ids = new ArrayList<>();
        for (MachineDescription.Device device : devices) {
            Object id = device.properties().get("device-id");
            if (!(id instanceof Number)) {
                throw new MachineDescriptionException(device.keyPath() + ": device-id must be a number");
            }
            ids.add(((Number) id).intValue());
        }
        return new TestBusHardware(ids);
    }
}
