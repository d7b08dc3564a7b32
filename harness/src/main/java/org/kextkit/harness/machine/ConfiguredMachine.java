package org.kextkit.harness.machine;

import java.nio.file.Path;
import java.util.Optional;
import org.kextkit.harness.config.ConfigException;
import org.kextkit.harness.config.ConfigKey;
import org.kextkit.harness.config.ConfigOrigin;
import org.kextkit.harness.config.KextkitConfig;
import org.kextkit.harness.family.MachineDescription;
import org.kextkit.harness.family.MachineDescriptionException;

/**
 * Find the machine a configured kernel boots on: the file {@code kextkit.machine} names, read with
 * {@link MachineDescriptionReader}, or the built-in default machine when the key is empty.
 *
 * <p>A machine file that cannot be used is a configuration error: {@link ConfigException} carries the
 * reader's message (the file, the key path such as {@code Devices[1].Slot}, and what was expected)
 * and says where {@code kextkit.machine} was set. Device entries are checked further by their
 * families when the kernel builds its hardware; {@link #invalid} words those failures the same way.
 */
public final class ConfiguredMachine {
    private ConfiguredMachine() {
    }

    /**
     * Read the machine {@code config} names.
     *
     * @throws ConfigException if the file is missing, is not a property list, or its keys are wrong
     */
    public static MachineDescription load(KextkitConfig config) {
        Optional<Path> file = config.machine();
        if (file.isEmpty()) {
            return MachineDescriptionReader.defaultMachine();
        }
        try {
            // Family names are checked by the kernel, which leaves out (and logs) devices of absent families.
            return new MachineDescriptionReader().read(file.get(), null);
        } catch (MachineDescriptionException e) {
            throw invalid(config, e.getMessage());
        }
    }

    /**
     * Return the configuration error for a machine description that cannot be used.
     *
     * @param problem the reader's or family's message, which starts with the file's name
     */
    public static ConfigException invalid(KextkitConfig config, String problem) {
        if (config.machine().isEmpty()) {
            return new ConfigException("The built-in default machine cannot be used: " + problem
                    + ". Rebuild kextkit (mvn -q -B package -DskipTests), or name a machine file with "
                    + ConfigKey.MACHINE.key() + ".");
        }
        ConfigOrigin origin = config.origin(ConfigKey.MACHINE);
        return new ConfigException("Invalid machine description " + problem + ". Fix the file, or correct "
                + ConfigKey.MACHINE.key() + " (set in " + origin.describe(ConfigKey.MACHINE) + ").");
    }
}
