package org.kextkit.harness.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Say which configuration layer a value came from, so that a message can point at the place to fix.
 *
 * @param layer the layer that supplied the value
 * @param file the user file, for {@link Layer#USER_FILE}; otherwise {@code null}
 */
public record ConfigOrigin(Layer layer, Path file) {

    /** Name the layers, highest precedence first. */
    public enum Layer {
        /** {@code --set key=value} on the command line. */
        COMMAND_LINE,
        /** A {@code -Dkextkit.*} Java system property. */
        SYSTEM_PROPERTY,
        /** The user's properties file ({@code $KEXTKIT_CONFIG} or {@code ~/.kextkit/kextkit.properties}). */
        USER_FILE,
        /** The classpath resource {@code kextkit-defaults.properties}. */
        DEFAULTS
    }

    /** The origin of values given with {@code --set}. */
    public static final ConfigOrigin COMMAND_LINE = new ConfigOrigin(Layer.COMMAND_LINE, null);
    /** The origin of values given as {@code -Dkextkit.*}. */
    public static final ConfigOrigin SYSTEM_PROPERTY = new ConfigOrigin(Layer.SYSTEM_PROPERTY, null);
    /** The origin of built-in values. */
    public static final ConfigOrigin DEFAULTS = new ConfigOrigin(Layer.DEFAULTS, null);

    /** Check that a user-file origin names its file and no other origin does. */
    public ConfigOrigin {
        Objects.requireNonNull(layer, "layer");
        if ((layer == Layer.USER_FILE) != (file != null)) {
            throw new IllegalArgumentException("only a USER_FILE origin names a file");
        }
    }

    /** Return the origin of values read from the user file {@code file}. */
    public static ConfigOrigin userFile(Path file) {
        return new ConfigOrigin(Layer.USER_FILE, file);
    }

    /** Describe where {@code key} was set, for example {@code system property -Dkextkit.arch}. */
    public String describe(ConfigKey key) {
        return switch (layer) {
            case COMMAND_LINE -> "the command line (--set " + key.key() + ")";
            case SYSTEM_PROPERTY -> "system property -D" + key.key();
            case USER_FILE -> file.toString();
            case DEFAULTS -> "the built-in defaults (kextkit-defaults.properties)";
        };
    }

    /** Say what the user should do about a bad value of {@code key} from this origin. */
    public String remedy(ConfigKey key) {
        return switch (layer) {
            case COMMAND_LINE -> "Correct the --set " + key.key() + "=... option.";
            case SYSTEM_PROPERTY -> "Correct or remove -D" + key.key() + " (check KEXTKIT_OPTS and JAVA_TOOL_OPTIONS).";
            case USER_FILE -> "Correct " + key.key() + " in " + file + ", or remove it to use the default.";
            case DEFAULTS -> "The packaged defaults are broken; rebuild kextkit (mvn -q -B package -DskipTests).";
        };
    }
}
