package org.kextkit.harness.lifecycle;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.kextkit.harness.check.CheckSettings;
import org.kextkit.harness.check.instrument.InstrumentSettings;
import org.kextkit.harness.family.MachineDescription;
import org.kextkit.harness.repository.KernelPseudoKexts;
import org.kextkit.harness.scheduler.SchedulerSetup;
import org.kextkit.harness.scheduler.TimeMode;
import org.kextkit.harness.version.KextVersion;
import org.kextkit.harness.version.VersionGrammar;

/**
 * Fix the facts a hosted kernel boots with.
 *
 * @param kernelVersion the running kernel's Darwin version; the KPI pseudo-kexts carry it
 * @param arch the host architecture ({@code x86_64} or {@code arm64}), used for {@code _<arch>} keys
 * @param grammar the version grammar (modern, or pre-10.14 legacy digit limits)
 * @param safeBoot true to boot as with {@code -x}: only kexts with {@code OSBundleRequired} load
 * @param logCapacity how many kernel log lines to keep
 * @param timeMode virtual time (tests, in-process commands) or real time (the kernel daemon)
 * @param seed the seed that orders simultaneous events under virtual time
 * @param watchdog how long (real time) kext code may keep the processor without blocking before it
 *        is reported and abandoned
 * @param machine the simulated machine: the platform expert's name and model, and the devices each
 *        family builds hardware for
 * @param instrumentation whether kext bytecode is checked and instrumented at load, and the kernel
 *        stack budget of each thread
 * @param checks which checks run and which findings are suppressed (every check, nothing suppressed
 *        unless told otherwise)
 */
public record KernelSettings(String kernelVersion, String arch, VersionGrammar grammar, boolean safeBoot, int logCapacity,
                             TimeMode timeMode, long seed, Duration watchdog, MachineDescription machine,
                             InstrumentSettings instrumentation, CheckSettings checks) {
    /** The machine a kernel boots on unless told otherwise: {@code SimMachine}, model {@code kextkit1,1}, no devices. */
    public static final MachineDescription DEFAULT_MACHINE =
            new MachineDescription("built-in default machine", "SimMachine", "kextkit1,1", 0, List.of());

    /** The Darwin release a kernel boots as unless told otherwise (macOS 26.1). */
    public static final String DEFAULT_KERNEL_VERSION = KernelPseudoKexts.DEFAULT_KERNEL_VERSION;
    /** The architecture a kernel boots as unless told otherwise. */
    public static final String DEFAULT_ARCH = KernelPseudoKexts.DEFAULT_ARCH;
    /** The host architectures kextkit knows. */
    public static final List<String> ARCHITECTURES = List.of("x86_64", "arm64");

    /** Check the settings; the messages say which setting is wrong and what it should be. */
    public KernelSettings {
        Objects.requireNonNull(kernelVersion, "kernelVersion");
        Objects.requireNonNull(arch, "arch");
        Objects.requireNonNull(grammar, "grammar");
        if (!KextVersion.parse(kernelVersion, grammar).isValid()) {
            throw new IllegalArgumentException("kernel version '" + kernelVersion
                    + "' is not a valid kext version string (expected a Darwin version such as " + DEFAULT_KERNEL_VERSION + ")");
        }
        if (!ARCHITECTURES.contains(arch)) {
            throw new IllegalArgumentException("architecture '" + arch + "' is not supported (expected one of " + ARCHITECTURES + ")");
        }
        if (logCapacity < 1) {
            throw new IllegalArgumentException("kernel log capacity must be at least 1, got " + logCapacity);
        }
        Objects.requireNonNull(timeMode, "timeMode");
        Objects.requireNonNull(watchdog, "watchdog");
        Objects.requireNonNull(machine, "machine");
        if (watchdog.isNegative() || watchdog.isZero()) {
            throw new IllegalArgumentException("watchdog budget must be positive, got " + watchdog);
        }
        Objects.requireNonNull(instrumentation, "instrumentation");
        Objects.requireNonNull(checks, "checks");
    }

    /** Create settings that run every check and suppress nothing. */
    public KernelSettings(String kernelVersion, String arch, VersionGrammar grammar, boolean safeBoot, int logCapacity,
                          TimeMode timeMode, long seed, Duration watchdog, MachineDescription machine,
                          InstrumentSettings instrumentation) {
        this(kernelVersion, arch, grammar, safeBoot, logCapacity, timeMode, seed, watchdog, machine, instrumentation,
                CheckSettings.defaults());
    }

    /** Create settings with the default load-time checks (on, 16 KiB kernel stacks). */
    public KernelSettings(String kernelVersion, String arch, VersionGrammar grammar, boolean safeBoot, int logCapacity,
                          TimeMode timeMode, long seed, Duration watchdog, MachineDescription machine) {
        this(kernelVersion, arch, grammar, safeBoot, logCapacity, timeMode, seed, watchdog, machine, InstrumentSettings.DEFAULTS);
    }

    /** Return a copy that checks and instruments kext bytecode at load as {@code settings} says. */
    public KernelSettings withInstrumentation(InstrumentSettings settings) {
        return new KernelSettings(kernelVersion, arch, grammar, safeBoot, logCapacity, timeMode, seed, watchdog, machine,
                settings, checks);
    }

    /** Return a copy whose kernel threads have a stack budget of {@code bytes}. */
    public KernelSettings withStackBudget(int bytes) {
        return withInstrumentation(new InstrumentSettings(instrumentation.enabled(), bytes));
    }

    /** Create settings in virtual time with seed 0 and the default watchdog budget. */
    public KernelSettings(String kernelVersion, String arch, VersionGrammar grammar, boolean safeBoot, int logCapacity) {
        this(kernelVersion, arch, grammar, safeBoot, logCapacity, TimeMode.VIRTUAL, 0, SchedulerSetup.DEFAULT_WATCHDOG,
                DEFAULT_MACHINE);
    }

    /** Return the settings of a default kernel: Darwin 25.1.0 on x86_64, normal boot, virtual time, seed 0. */
    public static KernelSettings defaults() {
        return new KernelSettings(DEFAULT_KERNEL_VERSION, DEFAULT_ARCH, VersionGrammar.MODERN, false, 10_000);
    }

    /** Return a copy booting in safe mode or not. */
    public KernelSettings withSafeBoot(boolean safe) {
        return new KernelSettings(kernelVersion, arch, grammar, safe, logCapacity, timeMode, seed, watchdog, machine, instrumentation, checks);
    }

    /** Return a copy with another kernel version. */
    public KernelSettings withKernelVersion(String version) {
        return new KernelSettings(version, arch, grammar, safeBoot, logCapacity, timeMode, seed, watchdog, machine, instrumentation, checks);
    }

    /** Return a copy keeping time in {@code mode}. */
    public KernelSettings withTimeMode(TimeMode mode) {
        return new KernelSettings(kernelVersion, arch, grammar, safeBoot, logCapacity, mode, seed, watchdog, machine, instrumentation, checks);
    }

    /** Return a copy ordering simultaneous events with another seed. */
    public KernelSettings withSeed(long newSeed) {
        return new KernelSettings(kernelVersion, arch, grammar, safeBoot, logCapacity, timeMode, newSeed, watchdog, machine, instrumentation, checks);
    }

    /** Return a copy with another watchdog budget. */
    public KernelSettings withWatchdog(Duration budget) {
        return new KernelSettings(kernelVersion, arch, grammar, safeBoot, logCapacity, timeMode, seed, budget, machine, instrumentation, checks);
    }

    /** Return a copy booting on another machine. */
    public KernelSettings withMachine(MachineDescription description) {
        return new KernelSettings(kernelVersion, arch, grammar, safeBoot, logCapacity, timeMode, seed, watchdog, description, instrumentation, checks);
    }

    /** Return a copy running and suppressing checks as {@code settings} says. */
    public KernelSettings withChecks(CheckSettings settings) {
        return new KernelSettings(kernelVersion, arch, grammar, safeBoot, logCapacity, timeMode, seed, watchdog, machine,
                instrumentation, settings);
    }
}
