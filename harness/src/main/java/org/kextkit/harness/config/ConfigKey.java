package org.kextkit.harness.config;

import java.util.Optional;

/**
 * Name every configuration key kextkit reads; a key outside this list is rejected as a typo.
 *
 * <p>{@code docs/configuration.md} describes each key; the built-in values live in the classpath
 * resource {@code kextkit-defaults.properties}.
 */
public enum ConfigKey {
    /** The Darwin version of the hosted kernel; the kernel pseudo-kexts ({@code com.apple.kpi.*}) carry it. */
    KERNEL_VERSION("kextkit.kernel.version"),
    /** The architecture the kernel pretends to run on: {@code x86_64} or {@code arm64}. */
    ARCH("kextkit.arch"),
    /** Which kext version grammar applies: {@code modern} (macOS 10.14+) or {@code legacy}. */
    VERSION_GRAMMAR("kextkit.version.grammar"),
    /** Comma-separated extension folders scanned for kexts, like {@code /Library/Extensions}. */
    EXTENSIONS("kextkit.extensions"),
    /** The Unix domain socket the kernel daemon listens on. */
    SOCKET("kextkit.socket"),
    /** The kernel's boot-args string, as in {@code nvram boot-args}. */
    BOOT_ARGS("kextkit.boot-args"),
    /** Extra JVM options for the kernel daemon, separated by white space. */
    DAEMON_JAVA_OPTIONS("kextkit.daemon.java-options"),
    /** How many seconds {@code boot} waits for the daemon's socket to accept connections. */
    DAEMON_BOOT_TIMEOUT("kextkit.daemon.boot-timeout"),
    /**
     * How the hosted kernel keeps time: {@code virtual} or {@code real}; empty for each tool's own
     * choice (virtual for in-process commands and tests, real for the kernel daemon).
     */
    TIME("kextkit.time"),
    /** The seed that orders simultaneous events in virtual time, so a run can be repeated. */
    SEED("kextkit.seed"),
    /** How many seconds kext code may keep the processor without blocking before it is reported as hung. */
    WATCHDOG("kextkit.watchdog"),
    /**
     * The machine description (a plist listing the simulated machine's devices) that kernels boot on;
     * empty for the built-in default machine.
     */
    MACHINE("kextkit.machine"),
    /** The kernel stack budget of each kernel thread, in bytes, that instrumented kext frames are charged against. */
    STACK_BUDGET("kextkit.stack-budget"),
    /** Check ids to disable, separated by commas (docs/checks.md lists them); empty runs every check. */
    CHECKS_DISABLE("kextkit.checks.disable"),
    /**
     * Accepted findings, {@code ID[:KEXT][@CLASS[#METHOD]]=REASON} separated by semicolons; reports list
     * them as suppressed with the reason.
     */
    CHECKS_SUPPRESS("kextkit.checks.suppress");

    /** The prefix every key carries; {@code --set} accepts keys with or without it. */
    public static final String PREFIX = "kextkit.";

    private final String key;

    ConfigKey(String key) {
        this.key = key;
    }

    /** Return the property name, for example {@code kextkit.arch}. */
    public String key() {
        return key;
    }

    /** Return the key named {@code name}, which may omit the {@code kextkit.} prefix. */
    public static Optional<ConfigKey> byName(String name) {
        String full = name.startsWith(PREFIX) ? name : PREFIX + name;
        for (ConfigKey k : values()) {
            if (k.key.equals(full)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }

    /** Return every key name, comma-separated, for messages that list what is allowed. */
    public static String allNames() {
        StringBuilder sb = new StringBuilder();
        for (ConfigKey k : values()) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(k.key);
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return key;
    }
}
