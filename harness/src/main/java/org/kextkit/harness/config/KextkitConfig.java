package org.kextkit.harness.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.kextkit.harness.check.CheckSettings;
import org.kextkit.harness.scheduler.TimeMode;
import org.kextkit.harness.version.KextVersion;
import org.kextkit.harness.version.VersionGrammar;

/**
 * Hold one validated, immutable snapshot of kextkit's configuration.
 *
 * <p>Built by {@link ConfigLoader}; safe to share between threads, unlike the Commons Configuration
 * objects it was read from. Paths are absolute. {@link #origin(ConfigKey)} says which layer supplied
 * each value.
 */
public final class KextkitConfig {
    private final KextVersion kernelVersion;
    private final Arch arch;
    private final VersionGrammar versionGrammar;
    private final List<Path> extensions;
    private final Path socket;
    private final BootArgs bootArgs;
    private final List<String> daemonJavaOptions;
    private final Duration daemonBootTimeout;
    private final TimeMode timeMode;
    private final long seed;
    private final Duration watchdog;
    private final Path machine;
    private final int stackBudget;
    private final CheckSettings checks;
    private final Map<ConfigKey, ConfigOrigin> origins;

    KextkitConfig(KextVersion kernelVersion, Arch arch, VersionGrammar versionGrammar, List<Path> extensions,
            Path socket, BootArgs bootArgs, List<String> daemonJavaOptions, Duration daemonBootTimeout,
            TimeMode timeMode, long seed, Duration watchdog, Path machine, int stackBudget, CheckSettings checks,
            Map<ConfigKey, ConfigOrigin> origins) {
        this.kernelVersion = kernelVersion;
        this.arch = arch;
        this.versionGrammar = versionGrammar;
        this.extensions = List.copyOf(extensions);
        this.socket = socket;
        this.bootArgs = bootArgs;
        this.daemonJavaOptions = List.copyOf(daemonJavaOptions);
        this.daemonBootTimeout = daemonBootTimeout;
        this.timeMode = timeMode;
        this.seed = seed;
        this.watchdog = watchdog;
        this.machine = machine;
        this.stackBudget = stackBudget;
        this.checks = checks;
        this.origins = Collections.unmodifiableMap(new EnumMap<>(origins));
    }

    /** Return the Darwin version of the hosted kernel ({@code kextkit.kernel.version}), for example 25.1.0. */
    public KextVersion kernelVersion() {
        return kernelVersion;
    }

    /** Return the architecture the kernel pretends to run on ({@code kextkit.arch}). */
    public Arch arch() {
        return arch;
    }

    /** Return the kext version grammar in force ({@code kextkit.version.grammar}). */
    public VersionGrammar versionGrammar() {
        return versionGrammar;
    }

    /** Return the extension folders to scan for kexts ({@code kextkit.extensions}), absolute, in order. */
    public List<Path> extensions() {
        return extensions;
    }

    /** Return the absolute path of the kernel daemon's socket ({@code kextkit.socket}). */
    public Path socket() {
        return socket;
    }

    /** Return the parsed boot-args ({@code kextkit.boot-args}). */
    public BootArgs bootArgs() {
        return bootArgs;
    }

    /** Return extra JVM options for the kernel daemon ({@code kextkit.daemon.java-options}). */
    public List<String> daemonJavaOptions() {
        return daemonJavaOptions;
    }

    /** Return how long {@code boot} waits for the daemon's socket ({@code kextkit.daemon.boot-timeout}). */
    public Duration daemonBootTimeout() {
        return daemonBootTimeout;
    }

    /**
     * Return how the hosted kernel keeps time ({@code kextkit.time}), or empty to let each tool choose
     * (virtual time in process, real time in the kernel daemon).
     */
    public Optional<TimeMode> timeMode() {
        return Optional.ofNullable(timeMode);
    }

    /** Return the seed that orders simultaneous events in virtual time ({@code kextkit.seed}). */
    public long seed() {
        return seed;
    }

    /**
     * Return the kernel stack budget of each kernel thread in bytes ({@code kextkit.stack-budget}):
     * an instrumented kext frame that does not fit panics the kernel with STK-OVERFLOW.
     */
    public int stackBudget() {
        return stackBudget;
    }

    /** Return how long kext code may keep the processor before it is reported as hung ({@code kextkit.watchdog}). */
    public Duration watchdog() {
        return watchdog;
    }

    /**
     * Return the absolute path of the machine description file kernels boot on ({@code kextkit.machine}),
     * or empty for the built-in default machine. The file is read when a kernel boots, not here.
     */
    public Optional<Path> machine() {
        return Optional.ofNullable(machine);
    }

    /**
     * Return this configuration with kernels booting on the machine description {@code file} (absolute),
     * as if {@code --set kextkit.machine=FILE} had been given: what a command's {@code --machine} option does.
     */
    public KextkitConfig withMachine(Path file) {
        if (!file.isAbsolute()) {
            throw new IllegalArgumentException("machine description " + file + " is not an absolute path");
        }
        Map<ConfigKey, ConfigOrigin> newOrigins = new EnumMap<>(origins);
        newOrigins.put(ConfigKey.MACHINE, ConfigOrigin.COMMAND_LINE);
        return new KextkitConfig(kernelVersion, arch, versionGrammar, extensions, socket, bootArgs, daemonJavaOptions,
                daemonBootTimeout, timeMode, seed, watchdog, file.normalize(), stackBudget, checks, newOrigins);
    }

    /**
     * Return which checks run and which findings are suppressed ({@code kextkit.checks.disable} and
     * {@code kextkit.checks.suppress}).
     */
    public CheckSettings checks() {
        return checks;
    }

    /** Return the layer that supplied {@code key}. */
    public ConfigOrigin origin(ConfigKey key) {
        return origins.get(key);
    }

    /** Return the value of {@code key} in the form a properties file or {@code --set} accepts. */
    public String value(ConfigKey key) {
        return switch (key) {
            case KERNEL_VERSION -> kernelVersion.source();
            case ARCH -> arch.archName();
            case VERSION_GRAMMAR -> versionGrammar.name().toLowerCase(Locale.ROOT);
            case EXTENSIONS -> joinPaths(extensions);
            case SOCKET -> socket.toString();
            case BOOT_ARGS -> bootArgs.toString();
            case DAEMON_JAVA_OPTIONS -> String.join(" ", daemonJavaOptions);
            case DAEMON_BOOT_TIMEOUT -> Long.toString(daemonBootTimeout.toSeconds());
            case TIME -> timeMode == null ? "" : timeMode.configName();
            case SEED -> Long.toString(seed);
            case WATCHDOG -> new java.math.BigDecimal(watchdog.toNanos()).movePointLeft(9).stripTrailingZeros().toPlainString();
            case MACHINE -> machine == null ? "" : machine.toString();
            case STACK_BUDGET -> Integer.toString(stackBudget);
            case CHECKS_DISABLE -> checks.disabledText();
            case CHECKS_SUPPRESS -> checks.suppressionsText();
        };
    }

    /**
     * Return {@code key=value} for every key, in declaration order: passing these as {@code --set}
     * arguments reproduces this snapshot exactly, which is how {@code boot} hands it to the daemon.
     */
    public List<String> toSetArguments() {
        List<String> out = new ArrayList<>();
        for (ConfigKey key : ConfigKey.values()) {
            out.add(key.key() + "=" + value(key));
        }
        return out;
    }

    private static String joinPaths(List<Path> paths) {
        StringBuilder sb = new StringBuilder();
        for (Path p : paths) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(p);
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return String.join("\n", toSetArguments());
    }
}
