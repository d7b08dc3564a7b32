package org.kextkit.harness.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.commons.configuration2.CompositeConfiguration;
import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.MapConfiguration;
import org.apache.commons.configuration2.PropertiesConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.commons.configuration2.interpol.ConfigurationInterpolator;
import org.apache.commons.configuration2.interpol.Lookup;
import org.apache.commons.configuration2.io.FileHandler;
import org.kextkit.harness.check.CheckSettings;
import org.kextkit.harness.check.CheckSettingsException;
import org.kextkit.harness.check.Suppression;
import org.kextkit.harness.scheduler.TimeMode;
import org.kextkit.harness.version.KextVersion;
import org.kextkit.harness.version.VersionGrammar;

/**
 * Build a {@link KextkitConfig} from four layers, highest precedence first: {@code --set key=value}
 * arguments, {@code -Dkextkit.*} system properties, the user file, and the classpath defaults
 * {@code kextkit-defaults.properties}.
 *
 * <p>The user file is {@code $KEXTKIT_CONFIG} if that is set (and must then exist), else
 * {@code ~/.kextkit/kextkit.properties} (optional). Environment, system properties, working directory
 * and the user file can be injected, so tests never touch the real home directory. Values may use
 * {@code ${sys:name}} and {@code ${env:NAME}}, resolved against the injected sources.
 *
 * <p>A loader is a mutable builder used from one thread; {@link #load()} returns an immutable snapshot.
 */
public final class ConfigLoader {
    /** The environment variable naming the user file. */
    public static final String CONFIG_ENV = "KEXTKIT_CONFIG";
    /** The classpath resource holding the built-in defaults. */
    public static final String DEFAULTS_RESOURCE = "kextkit-defaults.properties";
    /** The longest socket path accepted: {@code sun_path} holds 104 bytes on macOS and 108 on Linux. */
    public static final int MAX_SOCKET_PATH_BYTES = 103;

    private static final Pattern UNRESOLVED = Pattern.compile("\\$\\{[^}]*}");
    private static final long MAX_BOOT_TIMEOUT_SECONDS = 3600;
    private static final java.math.BigDecimal MAX_WATCHDOG_SECONDS = java.math.BigDecimal.valueOf(3600);

    private Map<String, String> environment = System.getenv();
    private Properties systemProperties = System.getProperties();
    private Path workingDirectory;
    private Path userFile;
    private boolean userFileExplicit;
    private final List<String> commandLine = new ArrayList<>();

    /** Create a loader reading the real environment, system properties and working directory. */
    public ConfigLoader() {
    }

    /** Use {@code env} instead of the process environment (for {@code KEXTKIT_CONFIG} and {@code ${env:...}}). */
    public ConfigLoader environment(Map<String, String> env) {
        this.environment = Map.copyOf(env);
        return this;
    }

    /** Use {@code props} instead of {@link System#getProperties()} (for {@code -Dkextkit.*}, {@code user.home}, ...). */
    public ConfigLoader systemProperties(Properties props) {
        Properties copy = new Properties();
        copy.putAll(props);
        this.systemProperties = copy;
        return this;
    }

    /** Resolve relative paths given on the command line or as system properties against {@code dir}. */
    public ConfigLoader workingDirectory(Path dir) {
        this.workingDirectory = dir.toAbsolutePath();
        return this;
    }

    /**
     * Read {@code file} as the user file instead of looking at {@code KEXTKIT_CONFIG} and the home
     * directory; the file must exist.
     */
    public ConfigLoader userFile(Path file) {
        this.userFile = Objects.requireNonNull(file, "file");
        this.userFileExplicit = true;
        return this;
    }

    /** Read no user file at all (the kernel daemon gets a complete snapshot on its command line). */
    public ConfigLoader noUserFile() {
        this.userFile = null;
        this.userFileExplicit = true;
        return this;
    }

    /**
     * Add command-line overrides, each {@code key=value} as given to {@code --set}; the key may omit
     * the {@code kextkit.} prefix. Later arguments win over earlier ones.
     */
    public ConfigLoader commandLine(List<String> setArguments) {
        commandLine.addAll(setArguments);
        return this;
    }

    /**
     * Read and validate every layer and return the snapshot.
     *
     * @throws ConfigException naming the layer, the key, what was expected and what was found
     */
    public KextkitConfig load() {
        Path cwd = workingDirectory != null ? workingDirectory : Path.of(systemProperties.getProperty("user.dir", "."))
                .toAbsolutePath();

        List<Layer> layers = new ArrayList<>();
        layers.add(new Layer(ConfigOrigin.COMMAND_LINE, commandLineLayer(), cwd));
        layers.add(new Layer(ConfigOrigin.SYSTEM_PROPERTY, systemPropertyLayer(), cwd));
        Path file = locateUserFile();
        if (file != null) {
            Path dir = file.toAbsolutePath().getParent();
            layers.add(new Layer(ConfigOrigin.userFile(file), readUserFile(file), dir));
        }
        layers.add(new Layer(ConfigOrigin.DEFAULTS, readDefaults(), null));
        for (Layer layer : layers) {
            checkKeys(layer);
        }

        CompositeConfiguration composite = new CompositeConfiguration();
        for (Layer layer : layers) {
            composite.addConfiguration(layer.config);
        }
        // Interpolate against the injected sources, not the live process, so a snapshot is reproducible.
        ConfigurationInterpolator interpolator = composite.getInterpolator();
        interpolator.registerLookup("sys", lookupIn(systemProperties));
        interpolator.registerLookup("env", environment::get);

        Values values = new Values(composite, layers);
        VersionGrammar grammar = parseGrammar(values);
        KextVersion kernelVersion = parseKernelVersion(values, grammar);
        Arch arch = parseArch(values);
        List<Path> extensions = parseExtensions(values);
        Path socket = parseSocket(values);
        BootArgs bootArgs = parseBootArgs(values);
        List<String> javaOptions = parseJavaOptions(values);
        Duration timeout = parseBootTimeout(values);
        TimeMode timeMode = parseTimeMode(values);
        long seed = parseSeed(values);
        Duration watchdog = parseWatchdog(values);
        Path machine = parseMachine(values);
        int stackBudget = parseStackBudget(values);
        CheckSettings checks = parseChecks(values);
        return new KextkitConfig(kernelVersion, arch, grammar, extensions, socket, bootArgs, javaOptions, timeout,
                timeMode, seed, watchdog, machine, stackBudget, checks, values.origins);
    }

    private static Lookup lookupIn(Properties props) {
        return props::getProperty;
    }

    // ---- layers ----

    private Configuration commandLineLayer() {
        Map<String, Object> map = new LinkedHashMap<>();
        for (String arg : commandLine) {
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException("Invalid --set " + arg + " on the command line: expected key=value, such as "
                        + "--set kextkit.arch=arm64, found " + (eq == 0 ? "no key" : "no '='")
                        + ". Keys: " + ConfigKey.allNames() + ".");
            }
            String name = arg.substring(0, eq).trim();
            ConfigKey key = ConfigKey.byName(name).orElseThrow(() -> unknownKey(name, "the command line (--set " + arg
                    + ")", "Correct the --set option."));
            map.put(key.key(), arg.substring(eq + 1));
        }
        return new MapConfiguration(map);
    }

    private Configuration systemPropertyLayer() {
        Map<String, Object> map = new LinkedHashMap<>();
        for (String name : systemProperties.stringPropertyNames()) {
            if (name.startsWith(ConfigKey.PREFIX)) {
                map.put(name, systemProperties.getProperty(name));
            }
        }
        return new MapConfiguration(map);
    }

    private Path locateUserFile() {
        if (userFileExplicit) {
            if (userFile != null && !Files.exists(userFile)) {
                throw new ConfigException("Configuration file " + userFile + " does not exist. Create it, or do not "
                        + "name it.");
            }
            return userFile;
        }
        String fromEnv = environment.get(CONFIG_ENV);
        if (fromEnv != null && !fromEnv.isEmpty()) {
            Path p;
            try {
                p = Path.of(fromEnv);
            } catch (InvalidPathException e) {
                throw new ConfigException(CONFIG_ENV + "=" + fromEnv + " is not a valid path: " + e.getReason()
                        + ". Set " + CONFIG_ENV + " to the path of a properties file, or unset it.");
            }
            if (!Files.exists(p)) {
                throw new ConfigException(CONFIG_ENV + " names " + p + ", which does not exist. Create the file, or "
                        + "unset " + CONFIG_ENV + " to use ~/.kextkit/kextkit.properties.");
            }
            return p;
        }
        String home = systemProperties.getProperty("user.home");
        if (home == null || home.isEmpty()) {
            return null;
        }
        Path p = Path.of(home, ".kextkit", "kextkit.properties");
        return Files.exists(p) ? p : null;
    }

    private static Configuration readUserFile(Path file) {
        if (Files.isDirectory(file)) {
            throw new ConfigException("Configuration file " + file + " is a directory, not a properties file. "
                    + "Point " + CONFIG_ENV + " at a file.");
        }
        if (!Files.isReadable(file)) {
            throw new ConfigException("Configuration file " + file + " cannot be read (permission denied). Fix its "
                    + "permissions, or point " + CONFIG_ENV + " elsewhere.");
        }
        // A FileHandler rather than a FileBasedConfigurationBuilder: the builder route needs commons-beanutils
        // introspection, which costs start-up time and logs noise on stderr for nothing a single file needs.
        // Includes are off so that one file is the whole layer.
        PropertiesConfiguration config = new PropertiesConfiguration();
        config.setIncludesAllowed(false);
        try {
            FileHandler handler = new FileHandler(config);
            handler.setEncoding("UTF-8");
            handler.load(file.toFile());
        } catch (ConfigurationException | RuntimeException e) {
            throw new ConfigException("Configuration file " + file + " is malformed: " + problem(e)
                    + ". Expected Java properties lines such as kextkit.arch=arm64; fix the file.", e);
        }
        return config;
    }

    private static Configuration readDefaults() {
        PropertiesConfiguration defaults = new PropertiesConfiguration();
        try (InputStream in = ConfigLoader.class.getClassLoader().getResourceAsStream(DEFAULTS_RESOURCE)) {
            if (in == null) {
                throw new ConfigException("The built-in defaults " + DEFAULTS_RESOURCE + " are missing from the class "
                        + "path. Rebuild kextkit (mvn -q -B package -DskipTests).");
            }
            new FileHandler(defaults).load(in, "UTF-8");
        } catch (IOException | ConfigurationException e) {
            throw new ConfigException("The built-in defaults " + DEFAULTS_RESOURCE + " cannot be read: "
                    + rootMessage(e) + ". Rebuild kextkit (mvn -q -B package -DskipTests).", e);
        }
        return defaults;
    }

    private static void checkKeys(Layer layer) {
        for (Iterator<String> it = layer.config.getKeys(); it.hasNext();) {
            String name = it.next();
            ConfigKey key = ConfigKey.byName(name).filter(k -> k.key().equals(name)).orElse(null);
            if (key == null) {
                // Command-line keys were checked as they were parsed, so only these three layers remain.
                String where = switch (layer.origin.layer()) {
                    case SYSTEM_PROPERTY -> "system property -D" + name;
                    case USER_FILE -> layer.origin.file().toString();
                    default -> "the built-in defaults (" + DEFAULTS_RESOURCE + ")";
                };
                String remedy = switch (layer.origin.layer()) {
                    case SYSTEM_PROPERTY -> "Remove -D" + name + " or correct its name.";
                    case USER_FILE -> "Correct or remove the line in " + layer.origin.file() + ".";
                    default -> "Rebuild kextkit (mvn -q -B package -DskipTests).";
                };
                throw unknownKey(name, where, remedy);
            }
            int count = layer.config.getList(name).size();
            if (count > 1) {
                throw new ConfigException(key.key() + " is set " + count + " times in " + layer.origin.describe(key)
                        + "; expected it once. Keep one line.");
            }
        }
    }

    private static ConfigException unknownKey(String name, String where, String remedy) {
        return new ConfigException("Unknown configuration key \"" + name + "\" in " + where + ": expected one of "
                + ConfigKey.allNames() + ". " + remedy);
    }

    // ---- keys ----

    private static VersionGrammar parseGrammar(Values values) {
        String v = values.required(ConfigKey.VERSION_GRAMMAR);
        return switch (v) {
            case "modern" -> VersionGrammar.MODERN;
            case "legacy" -> VersionGrammar.LEGACY;
            default -> throw values.invalid(ConfigKey.VERSION_GRAMMAR, "modern or legacy", quote(v));
        };
    }

    private static KextVersion parseKernelVersion(Values values, VersionGrammar grammar) {
        String v = values.required(ConfigKey.KERNEL_VERSION);
        KextVersion version = KextVersion.parse(v, grammar);
        if (!version.isValid()) {
            throw values.invalid(ConfigKey.KERNEL_VERSION, "a Darwin version such as 25.1.0 that the "
                    + grammar.name().toLowerCase(Locale.ROOT) + " kext version grammar accepts", quote(v));
        }
        return version;
    }

    private static Arch parseArch(Values values) {
        String v = values.required(ConfigKey.ARCH);
        return Arch.byName(v).orElseThrow(() -> values.invalid(ConfigKey.ARCH, "x86_64 or arm64", quote(v)));
    }

    private List<Path> parseExtensions(Values values) {
        String v = values.get(ConfigKey.EXTENSIONS);
        List<Path> out = new ArrayList<>();
        for (String part : v.split(",")) {
            String folder = part.trim();
            if (!folder.isEmpty()) {
                out.add(values.path(ConfigKey.EXTENSIONS, folder, home()));
            }
        }
        return out;
    }

    private Path parseSocket(Values values) {
        String v = values.required(ConfigKey.SOCKET);
        Path socket = values.path(ConfigKey.SOCKET, v, home());
        int bytes = socket.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (bytes > MAX_SOCKET_PATH_BYTES) {
            throw values.invalid(ConfigKey.SOCKET, "a path of at most " + MAX_SOCKET_PATH_BYTES
                    + " bytes (the limit of a Unix domain socket address)", socket + " (" + bytes + " bytes)");
        }
        if (socket.getFileName() == null || socket.getParent() == null) {
            throw values.invalid(ConfigKey.SOCKET, "a file path inside a directory", quote(v));
        }
        return socket;
    }

    private static BootArgs parseBootArgs(Values values) {
        String v = values.get(ConfigKey.BOOT_ARGS);
        try {
            return BootArgs.parse(v);
        } catch (BootArgsException e) {
            throw values.invalid(ConfigKey.BOOT_ARGS, "boot-arg " + e.arg() + ": expected " + e.expected() + ", found "
                    + e.found());
        }
    }

    private static List<String> parseJavaOptions(Values values) {
        String v = values.get(ConfigKey.DAEMON_JAVA_OPTIONS);
        List<String> out = new ArrayList<>();
        for (String opt : v.trim().split("\\s+")) {
            if (opt.isEmpty()) {
                continue;
            }
            if (!opt.startsWith("-") || opt.equals("-cp") || opt.equals("-classpath") || opt.startsWith("--class-path")
                    || opt.equals("-jar")) {
                throw values.invalid(ConfigKey.DAEMON_JAVA_OPTIONS, "JVM options such as -Xmx512m separated by spaces"
                        + " (no class path or -jar: kextkit sets those)", quote(opt));
            }
            out.add(opt);
        }
        return out;
    }

    private static Duration parseBootTimeout(Values values) {
        String v = values.required(ConfigKey.DAEMON_BOOT_TIMEOUT);
        long seconds;
        try {
            seconds = Long.parseLong(v);
        } catch (NumberFormatException e) {
            seconds = -1;
        }
        if (seconds < 1 || seconds > MAX_BOOT_TIMEOUT_SECONDS) {
            throw values.invalid(ConfigKey.DAEMON_BOOT_TIMEOUT, "a whole number of seconds from 1 to "
                    + MAX_BOOT_TIMEOUT_SECONDS, quote(v));
        }
        return Duration.ofSeconds(seconds);
    }

    private static TimeMode parseTimeMode(Values values) {
        String v = values.get(ConfigKey.TIME);
        if (v.isEmpty()) {
            return null;
        }
        return TimeMode.byConfigName(v).orElseThrow(() -> values.invalid(ConfigKey.TIME,
                "virtual or real (or nothing, for each tool's own choice)", quote(v)));
    }

    private static long parseSeed(Values values) {
        String v = values.required(ConfigKey.SEED);
        try {
            return Long.decode(v);
        } catch (NumberFormatException e) {
            throw values.invalid(ConfigKey.SEED, "a whole number such as 42 or 0x2a that fits in 64 bits", quote(v));
        }
    }

    /** The smallest and largest kernel stack budgets accepted, in bytes. */
    static final int MIN_STACK_BUDGET = 256;
    static final int MAX_STACK_BUDGET = 1 << 20;

    private static int parseStackBudget(Values values) {
        String v = values.required(ConfigKey.STACK_BUDGET);
        long bytes;
        try {
            bytes = Long.parseLong(v);
        } catch (NumberFormatException e) {
            bytes = -1;
        }
        if (bytes < MIN_STACK_BUDGET || bytes > MAX_STACK_BUDGET) {
            throw values.invalid(ConfigKey.STACK_BUDGET, "a whole number of bytes from " + MIN_STACK_BUDGET + " to "
                    + MAX_STACK_BUDGET + ", such as 16384", quote(v));
        }
        return (int) bytes;
    }

    private static Duration parseWatchdog(Values values) {
        String v = values.required(ConfigKey.WATCHDOG);
        java.math.BigDecimal seconds;
        try {
            seconds = new java.math.BigDecimal(v);
        } catch (NumberFormatException e) {
            seconds = null;
        }
        if (seconds == null || seconds.signum() <= 0 || seconds.compareTo(MAX_WATCHDOG_SECONDS) > 0
                || seconds.movePointRight(9).stripTrailingZeros().scale() > 0) {
            throw values.invalid(ConfigKey.WATCHDOG, "a number of seconds above 0 and at most " + MAX_WATCHDOG_SECONDS
                    + ", such as 10 or 0.5", quote(v));
        }
        return Duration.ofNanos(seconds.movePointRight(9).longValueExact());
    }

    /** Return the machine description's path, or {@code null} for the built-in machine; the file is read at boot. */
    private Path parseMachine(Values values) {
        String v = values.get(ConfigKey.MACHINE);
        return v.isEmpty() ? null : values.path(ConfigKey.MACHINE, v, home());
    }

    private static CheckSettings parseChecks(Values values) {
        java.util.Set<String> disabled;
        try {
            disabled = CheckSettings.parseDisabled(values.get(ConfigKey.CHECKS_DISABLE));
        } catch (CheckSettingsException e) {
            throw values.invalid(ConfigKey.CHECKS_DISABLE, e.getMessage() + "; expected check ids separated by commas, "
                    + "such as LCK-1,MEM-4");
        }
        List<Suppression> suppressions;
        try {
            suppressions = CheckSettings.parseSuppressions(values.get(ConfigKey.CHECKS_SUPPRESS));
        } catch (CheckSettingsException e) {
            throw values.invalid(ConfigKey.CHECKS_SUPPRESS, e.getMessage() + "; entries are separated by '"
                    + CheckSettings.SUPPRESSION_SEPARATOR + "'");
        }
        return CheckSettings.of(disabled, suppressions);
    }

    private Path home() {
        String home = systemProperties.getProperty("user.home");
        return home == null || home.isEmpty() ? null : Path.of(home);
    }

    private static String quote(String s) {
        return "\"" + s + "\"";
    }

    /**
     * Return the most specific message Commons Configuration gave (it names the bad text), else the root
     * cause's message.
     */
    private static String problem(Throwable t) {
        String best = null;
        for (Throwable c = t; c != null && c.getCause() != c; c = c.getCause()) {
            if (c.getClass().getName().startsWith("org.apache.commons.configuration2.") && c.getMessage() != null
                    && !c.getMessage().isBlank()) {
                best = c.getMessage();
            }
        }
        return best != null ? best : rootMessage(t);
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage();
        return m == null || m.isBlank() ? root.getClass().getSimpleName() : m;
    }

    /** One layer: its configuration, where it came from, and the directory its relative paths start at. */
    private record Layer(ConfigOrigin origin, Configuration config, Path baseDirectory) {
    }

    /** Read values through the composite while remembering where each came from. */
    private static final class Values {
        private final CompositeConfiguration composite;
        private final List<Layer> layers;
        private final Map<ConfigKey, ConfigOrigin> origins = new EnumMap<>(ConfigKey.class);
        private final Map<ConfigKey, Layer> sources = new EnumMap<>(ConfigKey.class);

        Values(CompositeConfiguration composite, List<Layer> layers) {
            this.composite = composite;
            this.layers = layers;
            for (ConfigKey key : ConfigKey.values()) {
                for (Layer layer : layers) {
                    if (layer.config.containsKey(key.key())) {
                        origins.put(key, layer.origin);
                        sources.put(key, layer);
                        break;
                    }
                }
            }
        }

        /** Return the interpolated, trimmed value, or the empty string if no layer sets it. */
        String get(ConfigKey key) {
            if (!origins.containsKey(key)) {
                return "";
            }
            String v;
            try {
                v = composite.getString(key.key());
            } catch (RuntimeException e) {
                throw new ConfigException("Cannot resolve " + key.key() + " from " + origin(key).describe(key) + ": "
                        + rootMessage(e) + ". " + origin(key).remedy(key), e);
            }
            v = v == null ? "" : v.trim();
            Matcher m = UNRESOLVED.matcher(v);
            if (m.find()) {
                throw invalid(key, "only ${sys:name} and ${env:NAME} variables that are defined", "undefined "
                        + m.group() + " in " + quote(v));
            }
            return v;
        }

        String required(ConfigKey key) {
            String v = get(key);
            if (v.isEmpty()) {
                throw invalid(key, "a value", "an empty value");
            }
            return v;
        }

        ConfigOrigin origin(ConfigKey key) {
            ConfigOrigin o = origins.get(key);
            return o != null ? o : layers.get(layers.size() - 1).origin;
        }

        /** Resolve a path value: {@code ~/} against the home directory, a relative one against its layer. */
        Path path(ConfigKey key, String text, Path home) {
            try {
                Path p;
                if ((text.equals("~") || text.startsWith("~/")) && home != null) {
                    p = text.length() == 1 ? home : home.resolve(text.substring(2));
                } else {
                    p = Path.of(text);
                }
                if (!p.isAbsolute()) {
                    Layer layer = sources.get(key);
                    if (layer == null || layer.baseDirectory == null) {
                        throw invalid(key, "an absolute path", quote(text));
                    }
                    p = layer.baseDirectory.resolve(p);
                }
                return p.normalize();
            } catch (InvalidPathException e) {
                throw invalid(key, "a valid path", quote(text) + " (" + e.getReason() + ")");
            }
        }

        ConfigException invalid(ConfigKey key, String expected, String found) {
            return invalid(key, "expected " + expected + ", found " + found);
        }

        ConfigException invalid(ConfigKey key, String problem) {
            ConfigOrigin o = origin(key);
            return new ConfigException("Invalid value for " + key.key() + " in " + o.describe(key) + ": " + problem
                    + ". " + o.remedy(key));
        }
    }
}
