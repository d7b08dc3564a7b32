package org.kextkit.harness.cli.wiring;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.kextkit.harness.bundle.BundleProblem;
import org.kextkit.harness.bundle.BundleReadResult;
import org.kextkit.harness.bundle.BundleScanner;
import org.kextkit.harness.bundle.KextBundle;
import org.kextkit.harness.bundle.KextBundleReader;
import org.kextkit.harness.bundle.ScanResult;
import org.kextkit.harness.check.FindingsReport;
import org.kextkit.harness.check.KextRef;
import org.kextkit.harness.cli.KernelSetupException;
import org.kextkit.harness.cli.KextChecker;
import org.kextkit.harness.cli.wiring.worker.WorkerSession;
import org.kextkit.harness.config.ConfigException;
import org.kextkit.harness.config.KextkitConfig;
import org.kextkit.harness.iokit.PowerTransition;
import org.kextkit.harness.lifecycle.HostedKernel;
import org.kextkit.harness.lifecycle.KernelPanickedException;
import org.kextkit.harness.lifecycle.LoadReport;
import org.kextkit.harness.lifecycle.PanicReport;
import org.kextkit.harness.lifecycle.UnloadReport;
import org.kextkit.harness.machine.ConfiguredMachine;
import org.kextkit.harness.scheduler.TimeMode;
import org.kextkit.harness.scheduler.VirtualTimeScheduler;
import org.kextkit.kit.internal.KernelPanic;

/**
 * Check kexts for {@code kextcheck}, each in a {@link HostedKernel} booted for it alone from the
 * configuration (in virtual time unless {@code kextkit.time} says otherwise) and shut down after it.
 *
 * <p>The run of one kext: make the kexts of the search paths known (for dependencies; their
 * personalities are not sent, so no other kext's driver joins in), load the kext, which sends its
 * personalities and so starts matching; let matching settle (at most one second of kernel time) and
 * the drivers run for half a second; the exercise (a system sleep and wake, each given time to
 * finish); terminate the kext's services and remove its personalities; unload it; shut the kernel
 * down, which stops whatever is still loaded. The findings are read after the shutdown, so checks
 * that run at stop and unload are included.
 */
public final class HostedKextChecker implements KextChecker {
    /** How long matching, a power transition or termination may take, in kernel time. */
    private static final Duration SETTLE = Duration.ofSeconds(1);
    /** How long the drivers run after they started, and after the exercise. */
    private static final Duration RUN = Duration.ofMillis(500);
    private static final Duration AFTER_EXERCISE = Duration.ofMillis(100);

    private final KextkitConfig config;

    /** Check kexts on kernels booted as {@code config} describes. */
    public HostedKextChecker(KextkitConfig config) {
        this.config = config;
    }

    @Override
    public List<Target> find(List<Path> items) {
        KextBundleReader reader = new KextBundleReader(config.arch().archName(), config.versionGrammar(), new AtomicLong());
        Map<Path, Target> found = new LinkedHashMap<>();
        for (Path item : items) {
            ScanResult scan = new BundleScanner(reader).readItem(item);
            List<Target> mine = new ArrayList<>();
            for (KextBundle bundle : scan.bundles()) {
                mine.add(new Target(absolute(bundle.path()), bundle.identifier(), bundle.versionString(), null));
            }
            for (BundleProblem problem : scan.problems()) {
                mine.add(new Target(absolute(problem.path()), null, null, problem.message()));
            }
            // By path: a folder's kexts by name, each followed by its plug-ins (which lie inside it).
            mine.sort((a, b) -> a.path().compareTo(b.path()));
            for (Target t : mine) {
                found.putIfAbsent(t.path(), t);
            }
        }
        return new ArrayList<>(found.values());
    }

    private static Path absolute(Path p) {
        return p.toAbsolutePath().normalize();
    }

    @Override
    public void checkMachine(Path machine) {
        try {
            ConfiguredMachine.load(configFor(machine));
        } catch (ConfigException e) {
            throw new KernelSetupException(e.getMessage(), e);
        }
    }

    private KextkitConfig configFor(Path machine) {
        return machine == null ? config : config.withMachine(absolute(machine));
    }

    @Override
    public Result check(Target target, List<Path> searchPaths, Path machine, Exercise exercise) {
        HostedKernel kernel;
        try {
            kernel = InProcessContextProvider.boot(configFor(machine), TimeMode.VIRTUAL);
        } catch (ConfigException e) {
            throw new KernelSetupException(e.getMessage(), e);
        } catch (RuntimeException e) {
            return new Result(Outcome.HARNESS_ERROR, "the kernel did not boot - " + describe(e), List.of(),
                    FindingsReport.EMPTY, 0);
        }
        Run run = new Run(kernel, target);
        try {
            run.go(searchPaths, exercise);
        } catch (KernelPanickedException | KernelPanic e) {
            run.panicked();
        } catch (Throwable t) {
            run.failed(t);
        }
        try {
            kernel.shutdown();
        } catch (KernelPanickedException | KernelPanic e) {
            // A stop routine run by the shutdown panicked: the kext's fault, like any other panic.
            run.panicked();
        } catch (Throwable t) {
            run.failed(t);
        }
        return run.result();
    }

    /**
     * {@inheritDoc} With {@link Isolation#PROCESS}, each kext runs in a worker JVM started with this
     * checker's configuration, replaced when a kext kills, hangs or soils it.
     */
    @Override
    public Session session(Isolation isolation, Duration timeLimit) {
        if (isolation == Isolation.PROCESS) {
            return WorkerSession.forConfig(config.toSetArguments(), timeLimit);
        }
        return KextChecker.super.session(isolation, timeLimit);
    }

    private static String firstLine(String text) {
        return text.lines().findFirst().orElse("").strip();
    }

    private static String describe(Throwable t) {
        String message = t.getMessage();
        return t.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }

    /** One kext's run in its kernel. */
    private static final class Run {
        private final HostedKernel kernel;
        private final Target target;
        private final List<String> details = new ArrayList<>();
        private Outcome outcome = Outcome.RAN;
        private String reason;
        private int drivers;
        private String bundleId;
        private String version;

        Run(HostedKernel kernel, Target target) {
            this.kernel = kernel;
            this.target = target;
            this.bundleId = target.bundleId();
            this.version = target.version();
        }

        void go(List<Path> searchPaths, Exercise exercise) {
            KextBundle root = null;
            for (Path item : searchPaths) {
                ScanResult scan = kernel.addSearchItem(item);
                for (KextBundle bundle : scan.bundles()) {
                    if (absolute(bundle.path()).equals(target.path())) {
                        root = bundle;
                    }
                }
            }
            if (root == null) {
                BundleReadResult read = kernel.addKext(target.path());
                if (read.bundle().isEmpty()) {
                    notLoaded(read.problems().isEmpty() ? "it could not be read" : firstLine(read.problems().get(0).message()),
                            read.problems().stream().map(BundleProblem::message).toList());
                    return;
                }
                root = read.bundle().get();
            }
            bundleId = root.identifier();
            version = root.versionString();
            LoadReport load = kernel.load(root);
            if (kernel.hasPanicked()) {
                panicked();
                return;
            }
            if (!load.isLoaded()) {
                String code = load.result().machErrorString().replaceFirst("^\\(libkern/kext\\) ", "");
                notLoaded(code + (load.messages().isEmpty() ? "" : ": " + firstLine(load.messages().get(0))), load.messages());
                return;
            }
            if (bundleId == null) {
                details.add("The kext has no CFBundleIdentifier, so it has no services to exercise or unload.");
                return;
            }
            settle(this::idle);
            run(RUN);
            drivers = startedDrivers();
            details.add(drivers + (drivers == 1 ? " driver" : " drivers") + " started.");
            if (exercise == Exercise.SLEEP_WAKE) {
                // First the devices do what they do on their own (a NIC's link flaps), so the drivers'
                // interrupt paths run; then a system sleep and wake.
                kernel.iokit().exerciseHardware();
                run(AFTER_EXERCISE);
                PowerTransition sleep = kernel.iokit().systemSleep();
                settle(sleep::isComplete);
                PowerTransition wake = kernel.iokit().systemWake();
                settle(wake::isComplete);
                run(AFTER_EXERCISE);
            }
            if (!kernel.terminateDriversForModule(bundleId, true)) {
                details.add("Some of its services did not terminate.");
            }
            settle(this::idle);
            if (kernel.loadedKext(bundleId).isPresent()) {
                UnloadReport unload = kernel.unload(bundleId);
                if (!unload.isUnloaded()) {
                    details.add("Its unload was refused:");
                    unload.messages().forEach(m -> details.add("  " + m));
                }
            }
        }

        private boolean idle() {
            return kernel.iokit().services().stream().allMatch(s -> s.serviceState().busy == 0);
        }

        private int startedDrivers() {
            return (int) kernel.iokit().services().stream()
                    .filter(s -> bundleId.equals(s.getProperty("CFBundleIdentifier")) && s.serviceState().started)
                    .count();
        }

        /** Run the kernel until {@code done} (or a panic), for at most {@link #SETTLE} of its time. */
        private void settle(BooleanSupplier done) {
            BooleanSupplier until = () -> kernel.hasPanicked() || done.getAsBoolean();
            if (kernel.scheduler() instanceof VirtualTimeScheduler clock) {
                clock.runUntil(until, SETTLE);
            } else {
                long deadline = System.nanoTime() + SETTLE.toNanos();
                while (!until.getAsBoolean() && System.nanoTime() < deadline) {
                    pause(Duration.ofMillis(5));
                }
            }
            if (kernel.hasPanicked()) {
                throw new KernelPanickedException(kernel.panicReport().orElseThrow());
            }
        }

        /** Let the kernel run for {@code time} of its time. */
        private void run(Duration time) {
            if (kernel.scheduler() instanceof VirtualTimeScheduler clock) {
                clock.advance(time);
            } else {
                pause(time);
            }
            if (kernel.hasPanicked()) {
                throw new KernelPanickedException(kernel.panicReport().orElseThrow());
            }
        }

        private static void pause(Duration time) {
            try {
                Thread.sleep(time.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the kernel ran", e);
            }
        }

        private void notLoaded(String why, List<String> messages) {
            outcome = Outcome.NOT_LOADED;
            reason = why;
            details.addAll(messages);
        }

        void panicked() {
            if (outcome == Outcome.PANICKED) {
                return;
            }
            outcome = Outcome.PANICKED;
            PanicReport report = kernel.panicReport().orElse(null);
            // The panic string's first line says what happened; the rest (sites) is in the details.
            reason = report == null ? "the kernel panicked" : report.panicString().lines().findFirst().orElse("").strip();
            if (report != null) {
                details.addAll(List.of(report.text().split("\n")));
            }
        }

        void failed(Throwable t) {
            if (kernel.hasPanicked()) {
                panicked();
                return;
            }
            outcome = Outcome.HARNESS_ERROR;
            reason = describe(t);
            StackTraceElement[] trace = t.getStackTrace();
            if (trace.length > 0) {
                details.add("at " + trace[0]);
            }
        }

        Result result() {
            // A kext that did not load is not listed as checked (its checks did not run), but findings
            // made while it tried, such as by its start routine, are kept.
            boolean ran = (outcome == Outcome.RAN || outcome == Outcome.PANICKED) && bundleId != null;
            FindingsReport findings = kernel.findings().report(ran ? List.of(new KextRef(bundleId, version)) : List.of());
            return new Result(outcome, reason, details, findings, drivers);
        }
    }
}
