package org.kextkit.family.pci.internal;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.kextkit.hardware.pci.PciDeviceModel;
import org.kextkit.hardware.pci.PciHardware;
import org.kextkit.hardware.pci.PciIdentity;
import org.kextkit.harness.family.MachineDescription;
import org.kextkit.harness.family.MachineDescriptionException;

/**
 * Plug the PCI entries of a machine description into a bus. An entry has {@code Slot} (the device
 * number, 0 to 31), optional {@code Function} (0 to 7, default 0), {@code Model} (a built-in name or
 * a class name) and optional identity overrides {@code VendorID}, {@code DeviceID},
 * {@code SubsystemVendorID}, {@code SubsystemID}, {@code ClassCode}, {@code RevisionID}, each an
 * {@code <integer>} or a hexadecimal {@code <string>} such as {@code 0x8086}.
 */
public final class PciMachineDevices {
    private static final Set<String> KEYS = Set.of("Family", "Slot", "Function", "Model", "VendorID", "DeviceID",
            "SubsystemVendorID", "SubsystemID", "ClassCode", "RevisionID");

    private PciMachineDevices() {
    }

    /** Plug every entry into {@code bus}; the first bad entry stops with a message naming file, entry and key. */
    public static void plugAll(List<MachineDescription.Device> devices, String source, PciHardware bus, ClassLoader loader)
            throws MachineDescriptionException {
        for (MachineDescription.Device device : devices) {
            plug(device, source, bus, loader);
        }
    }

    private static void plug(MachineDescription.Device device, String source, PciHardware bus, ClassLoader loader)
            throws MachineDescriptionException {
        Map<String, Object> props = device.properties();
        String where = source + ": " + device.keyPath();
        for (String key : props.keySet()) {
            if (!KEYS.contains(key)) {
                throw new MachineDescriptionException(where + "." + key + ": unknown key for a PCI device (expected "
                        + new java.util.TreeSet<>(KEYS) + ")");
            }
        }
        int slot = (int) number(props, "Slot", where, true, 0, PciHardware.MAX_DEVICE, -1);
        int function = (int) number(props, "Function", where, false, 0, PciHardware.MAX_FUNCTION, 0);
        Object modelName = props.get("Model");
        if (!(modelName instanceof String) || ((String) modelName).isBlank()) {
            throw new MachineDescriptionException(where + ".Model: " + (modelName == null ? "missing" : "not a string")
                    + " (expected a built-in model name such as \"echo-dma\" or \"nic\", or a PciDeviceModel class name)");
        }
        PciDeviceModel model;
        try {
            model = PciModels.create((String) modelName, loader);
        } catch (IllegalArgumentException e) {
            throw new MachineDescriptionException(where + ".Model: " + e.getMessage());
        }
        PciIdentity id = model.identity();
        id = id.withVendorId((int) number(props, "VendorID", where, false, 0, 0xFFFE, id.vendorId()));
        id = id.withDeviceId((int) number(props, "DeviceID", where, false, 0, 0xFFFF, id.deviceId()));
        id = id.withSubsystemVendorId((int) number(props, "SubsystemVendorID", where, false, 0, 0xFFFF, id.subsystemVendorId()));
        id = id.withSubsystemId((int) number(props, "SubsystemID", where, false, 0, 0xFFFF, id.subsystemId()));
        id = id.withClassCode((int) number(props, "ClassCode", where, false, 0, 0xFF_FFFF, id.classCode()));
        id = id.withRevisionId((int) number(props, "RevisionID", where, false, 0, 0xFF, id.revisionId()));
        try {
            bus.plug(slot, function, model, id);
        } catch (IllegalArgumentException e) {
            throw new MachineDescriptionException(where + ".Slot: " + e.getMessage());
        }
    }

    private static long number(Map<String, Object> props, String key, String where, boolean required, long min, long max,
            long fallback) throws MachineDescriptionException {
        Object value = props.get(key);
        if (value == null) {
            if (required) {
                throw new MachineDescriptionException(where + "." + key + ": missing (expected " + expected(min, max) + ")");
            }
            return fallback;
        }
        long n;
        if (value instanceof Long || value instanceof Integer) {
            n = ((Number) value).longValue();
        } else if (value instanceof String) {
            String text = ((String) value).trim();
            try {
                n = text.startsWith("0x") || text.startsWith("0X") ? Long.parseLong(text.substring(2), 16) : Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw new MachineDescriptionException(where + "." + key + ": \"" + value + "\" is not a number (expected "
                        + expected(min, max) + ")");
            }
        } else {
            throw new MachineDescriptionException(where + "." + key + ": " + value.getClass().getSimpleName()
                    + " value (expected " + expected(min, max) + ")");
        }
        if (n < min || n > max) {
            throw new MachineDescriptionException(where + "." + key + String.format(": 0x%x is out of range (expected %s)",
                    n, expected(min, max)));
        }
        return n;
    }

    // Formatted only for a message: plugging a machine's devices reads many numbers and reports none.
    private static String expected(long min, long max) {
        return String.format("an <integer> or hexadecimal <string> from %d to 0x%x", min, max);
    }
}
