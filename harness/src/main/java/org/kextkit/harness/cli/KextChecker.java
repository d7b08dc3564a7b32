package org.kextkit.harness.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.kextkit.harness.check.FindingsReport;

/**
 * Run kexts one at a time through a kernel of their own, for {@code kextcheck}: boot, load (with the
 * libraries found in the search paths), let matching start the drivers, exercise them, terminate,
 * stop and unload, shut the kernel down, and hand back what its checks found.
 *
 * <p>This is the seam between {@code kextcheck} and {@code org.kextkit.harness.lifecycle}; the kernel
 * side implements it. Each {@link #check} boots a fresh kernel, so nothing one kext does (a leak, a
 * panic, a hung thread) is seen by the next; a {@link Session} with {@link Isolation#PROCESS} also
 * runs each kext in a worker process, so not even a kext that wedges or ends its JVM reaches the next.
 */
public interface KextChecker {
    /** How far apart {@code kextcheck} keeps the kexts it runs. */
    enum Isolation {
        /** Each kext in a fresh kernel inside a worker JVM, replaced when a kext kills, hangs or soils it. */
        PROCESS("process"),
        /** Each kext in a fresh kernel inside this JVM: faster, but a kext's runaway thread or heap use stays. */
        KERNEL("kernel");

        private final String optionName;

        Isolation(String optionName) {
            this.optionName = optionName;
        }

        /** Return the name {@code --isolation} takes. */
        public String optionName() {
            return optionName;
        }

        /** Return the isolation called {@code name} (any case). */
        public static Optional<Isolation> byName(String name) {
            for (Isolation i : values()) {
                if (i.optionName.equals(name.toLowerCase(Locale.ROOT))) {
                    return Optional.of(i);
                }
            }
            return Optional.empty();
        }
    }

    /**
     * A run of several {@link #check}s with one isolation; closing it stops whatever it started (worker
     * processes).
     */
    interface Session extends AutoCloseable {
        /** As {@link KextChecker#check}, under this session's isolation. */
        Result check(Target target, List<Path> searchPaths, Path machine, Exercise exercise);

        /** Stop what the session started; never throws. */
        @Override
        void close();
    }

    /** What runs between the drivers' start and their termination. */
    enum Exercise {
        /** Nothing: the drivers start, then they are terminated and the kext unloads. */
        NONE("none"),
        /** A system sleep, then a wake: every power driver goes to its state 0 and back up. */
        SLEEP_WAKE("sleep-wake");

        private final String optionName;

        Exercise(String optionName) {
            this.optionName = optionName;
        }

        /** Return the name {@code --exercise} takes. */
        public String optionName() {
            return optionName;
        }

        /** Return the exercise called {@code name} (any case). */
        public static Optional<Exercise> byName(String name) {
            for (Exercise e : values()) {
                if (e.optionName.equals(name.toLowerCase(Locale.ROOT))) {
                    return Optional.of(e);
                }
            }
            return Optional.empty();
        }
    }

    /**
     * One kext found to check, or a bundle that could not be read.
     *
     * @param path the bundle's absolute path
     * @param bundleId its {@code CFBundleIdentifier}, or {@code null} if it has none or was not read
     * @param version its {@code CFBundleVersion}, or {@code null}
     * @param problem why the bundle could not be read (a complete message naming it), or {@code null}
     */
    record Target(Path path, String bundleId, String version, String problem) {
        /** Check the path. */
        public Target {
            Objects.requireNonNull(path, "path");
        }

        /** Return the name to show: the bundle identifier, else the bundle's file name. */
        public String displayName() {
            if (bundleId != null) {
                return bundleId;
            }
            Path name = path.getFileName();
            return name == null ? path.toString() : name.toString();
        }
    }

    /** How a kext's run ended. */
    enum Outcome {
        /** It loaded, ran and was unloaded (or its unload was refused, which its findings say). */
        RAN,
        /** It could not be loaded: unreadable, invalid, unresolved, failed to link or to start. */
        NOT_LOADED,
        /** Its code panicked the kernel; findings made before the panic are kept. */
        PANICKED,
        /** kextkit itself failed while running it; the reason names the error. */
        HARNESS_ERROR
    }

    /**
     * What one kext's run gave.
     *
     * @param outcome how it ended
     * @param reason for {@link Outcome#NOT_LOADED}, {@link Outcome#PANICKED} and {@link Outcome#HARNESS_ERROR}:
     *     one line saying why; else {@code null}
     * @param details more lines for {@code -v}: the load failure's messages, the panic report, notes
     *     such as a refused unload
     * @param findings what the kernel's checks found, covering the kext (empty when it never ran)
     * @param driversStarted how many I/O Kit services of the kext had started when matching settled
     */
    record Result(Outcome outcome, String reason, List<String> details, FindingsReport findings, int driversStarted) {
        /** Check and copy the parts. */
        public Result {
            Objects.requireNonNull(outcome, "outcome");
            details = List.copyOf(details);
            Objects.requireNonNull(findings, "findings");
        }
    }

    /**
     * Return the kexts in {@code items}, each a {@code .kext} bundle or a folder of them (not
     * recursively), in the order given: a folder's kexts by name, each followed by its plug-ins, as
     * kextutil and kextfind read them. A bundle that can't be read is a {@link Target} with a problem.
     */
    List<Target> find(List<Path> items);

    /**
     * Check that the machine kernels will boot on can be read: {@code machine}, or the configured one
     * ({@code kextkit.machine}, else the built-in default) when {@code null}.
     *
     * @throws KernelSetupException if it cannot; the message names the file, the key and what was expected
     */
    void checkMachine(Path machine);

    /**
     * Run {@code target} in a kernel of its own on {@code machine} ({@code null}: the configured one),
     * with the kexts of {@code searchPaths} known for its dependencies (their personalities are not
     * sent), running {@code exercise} while its drivers are up. Never throws for what the kext does:
     * a panic or an internal error is a {@link Result}.
     *
     * @throws KernelSetupException if the kernel cannot be set up as configured (a device model the
     *     machine names is unknown); every other kext would fail the same way
     */
    Result check(Target target, List<Path> searchPaths, Path machine, Exercise exercise);

    /**
     * Start a session that checks kexts with {@code isolation}, giving each check at most
     * {@code timeLimit} of real time where the isolation can enforce it. The default runs every check in
     * this JVM, whatever is asked (implementations without worker processes).
     */
    default Session session(Isolation isolation, java.time.Duration timeLimit) {
        KextChecker self = this;
        return new Session() {
            @Override
            public Result check(Target target, List<Path> searchPaths, Path machine, Exercise exercise) {
                return self.check(target, searchPaths, machine, exercise);
            }

            @Override
            public void close() {
            }
        };
    }
}
