package org.kextkit.harness.family;

import java.util.List;
import java.util.Map;

/**
 * A simulated machine: its name and model and the devices plugged into it, read from a machine
 * description file (a plist; see the PCI family docs) or the built-in default.
 *
 * @param source the file it was read from, or a description such as {@code built-in default machine}
 * @param name the platform's name in the registry (the {@code IOPlatformExpertDevice}), such as {@code SimMachine}
 * @param model the {@code model} property, such as {@code kextkit1,1}
 * @param seed the seed for this machine's reproducible randomness
 * @param devices the devices, in file order
 */
public record MachineDescription(String source, String name, String model, long seed, List<Device> devices) {
    /** Copy the device list. */
    public MachineDescription {
        devices = List.copyOf(devices);
    }

    /**
     * One device entry.
     *
     * @param family the family that builds it, such as {@code PCI}
     * @param keyPath where the entry is in the file, such as {@code Devices[2]}, for error messages
     * @param properties the entry's keys and values (plist values as Java objects)
     */
    public record Device(String family, String keyPath, Map<String, Object> properties) {
        /** Copy the properties. */
        public Device {
            properties = Map.copyOf(properties);
        }
    }
}
