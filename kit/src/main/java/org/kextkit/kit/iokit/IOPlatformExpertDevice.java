package org.kextkit.kit.iokit;

/**
 * The machine's root nub ({@code IOPlatformExpertDevice}): the first child of the registry root,
 * named after the machine and carrying its {@code model}. Platform families (PCI host bridges, ...)
 * match on it and publish the machine's buses below it. The kernel creates the only instance.
 */
public class IOPlatformExpertDevice extends IOService {
    /** The property holding the machine's model identifier, such as {@code kextkit1,1}. */
    public static final String kModelKey = "model";

    /**
     * Create the platform nub of a machine.
     *
     * @param machineName the registry name, such as {@code SimMachine}
     * @param model the {@code model} property, such as {@code kextkit1,1}
     */
    public IOPlatformExpertDevice(String machineName, String model) {
        setName(machineName);
        if (model != null) {
            setProperty(kModelKey, model);
        }
    }
}
