package org.kextkit.harness.scheduler;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;
import org.kextkit.kit.internal.KernelServices;

/**
 * What a scheduler needs from its kernel.
 *
 * @param kernelName the kernel's name, for thread names and reports
 * @param seed the seed of the random source that orders events falling due at the same instant
 * @param watchdogBudget how long (real time) a kernel thread may keep the processor without blocking,
 *        and how long a caller may wait while kernel time runs on, before it is reported
 * @param services the kernel's services; every kernel thread runs bound to them
 * @param panicHandler told when a throwable escapes kext code on one of the scheduler's threads
 * @param log receives the scheduler's own kernel log lines (stall reports)
 */
public record SchedulerSetup(String kernelName, long seed, Duration watchdogBudget, KernelServices services,
                             PanicHandler panicHandler, Consumer<String> log) {
    /** The watchdog budget unless configured otherwise. */
    public static final Duration DEFAULT_WATCHDOG = Duration.ofSeconds(10);

    /** Check the values. */
    public SchedulerSetup {
        Objects.requireNonNull(kernelName, "kernelName");
        Objects.requireNonNull(watchdogBudget, "watchdogBudget");
        Objects.requireNonNull(services, "services");
        Objects.requireNonNull(panicHandler, "panicHandler");
        Objects.requireNonNull(log, "log");
        if (watchdogBudget.isNegative() || watchdogBudget.isZero()) {
            throw new IllegalArgumentException("watchdog budget must be positive, got " + watchdogBudget);
        }
    }

    /**
     * Return a setup for a scheduler with no kernel around it (scheduler tests): log lines go to
     * standard error and a panic only halts the scheduler.
     */
    public static SchedulerSetup standalone(String kernelName, long seed, Duration watchdogBudget) {
        KernelServices services = (caller, function, message) -> System.err.println(message);
        return new SchedulerSetup(kernelName, seed, watchdogBudget, services, (panicString, cause, thread, context) -> {
        }, System.err::println);
    }
}
