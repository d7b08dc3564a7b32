package org.kextkit.harness.lifecycle;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.kextkit.harness.scheduler.Backtrace;
import org.kextkit.harness.scheduler.TimeMode;
import org.kextkit.kit.internal.ExecutionContext;

/**
 * Describe a hosted kernel's panic the way a macOS panic log does: the panic string and the code
 * that panicked, the thread and its context, the backtrace, the kexts in the backtrace with their
 * load addresses and dependencies, the last kexts started and stopped, the loaded kexts, the kernel
 * version and the uptime. {@link #text()} is what kextutil and kextload print.
 *
 * @param panicString what the kext (or the kernel on its behalf) panicked with
 * @param caller {@code class.method} of the innermost kext frame, else of the innermost frame
 * @param threadName the kernel thread that panicked
 * @param context the context it ran in
 * @param backtrace the stack, innermost first, without the harness frames above the panicking code
 * @param kextsInBacktrace the kexts whose code is in the backtrace, innermost first, each once
 * @param lastStarted {@code bundle id version} of the kext started last, with when, or {@code null}
 * @param lastStopped the same for the kext stopped last, or {@code null}
 * @param loadedKexts {@code bundle id<TAB>version} of every loaded kext that is not a kernel component
 * @param kernelVersion the kernel's version banner
 * @param timeMode how the kernel kept time
 * @param seed the seed of its virtual time
 * @param uptimeNanos the kernel clock at the panic
 * @param realNanosSinceBoot the host time elapsed since boot
 */
public record PanicReport(String panicString, String caller, String threadName, ExecutionContext context,
                          List<StackTraceElement> backtrace, List<KextInBacktrace> kextsInBacktrace, String lastStarted,
                          String lastStopped, List<String> loadedKexts, String kernelVersion, TimeMode timeMode, long seed,
                          long uptimeNanos, long realNanosSinceBoot) {
    /**
     * A kext whose code is in the backtrace.
     *
     * @param bundleId its bundle identifier
     * @param version its {@code CFBundleVersion}
     * @param uuid its executable's UUID, or {@code null}
     * @param address its load address (0 if it is no longer loaded)
     * @param size its size in bytes
     * @param dependencies the same facts for the kexts it links against, as {@code id(version)[UUID]@start->end}
     */
    public record KextInBacktrace(String bundleId, String version, String uuid, long address, long size,
                                  List<String> dependencies) {
        /** Copy the dependency list. */
        public KextInBacktrace {
            dependencies = List.copyOf(dependencies);
        }

        /** Return {@code id(version)[UUID]@start->end}, as panic logs list a kext. */
        public String describe() {
            return describe(bundleId, version, uuid, address, size);
        }

        static String describe(String bundleId, String version, String uuid, long address, long size) {
            long end = size == 0 ? address : address + size - 1;
            return bundleId + "(" + version + ")" + (uuid == null ? "" : "[" + uuid + "]")
                    + String.format(Locale.ROOT, "@0x%x->0x%x", address, end);
        }
    }

    /** Copy the lists. */
    public PanicReport {
        Objects.requireNonNull(panicString, "panicString");
        backtrace = List.copyOf(backtrace);
        kextsInBacktrace = List.copyOf(kextsInBacktrace);
        loadedKexts = List.copyOf(loadedKexts);
    }

    /** Return the report as a panic log. */
    public String text() {
        List<String> lines = new ArrayList<>();
        lines.add("panic(cpu 0 caller " + caller + "): \"" + panicString + "\"");
        lines.add("Panicked thread: \"" + threadName + "\", context: " + context);
        lines.add("Backtrace (CPU 0), innermost first:");
        for (StackTraceElement frame : backtrace) {
            String kext = Backtrace.kextOf(frame);
            lines.add("    " + Backtrace.frame(frame) + (kext == null ? "" : " [" + kext + "]"));
        }
        if (!kextsInBacktrace.isEmpty()) {
            lines.add("      Kernel Extensions in backtrace:");
            for (KextInBacktrace kext : kextsInBacktrace) {
                lines.add("         " + kext.describe());
                for (String dependency : kext.dependencies()) {
                    lines.add("            dependency: " + dependency);
                }
            }
        }
        lines.add("");
        if (lastStarted != null) {
            lines.add("last started kext at " + lastStarted);
        }
        if (lastStopped != null) {
            lines.add("last stopped kext at " + lastStopped);
        }
        lines.add("loaded kexts:");
        lines.addAll(loadedKexts);
        lines.add("");
        lines.add("Kernel version:");
        lines.add(kernelVersion);
        lines.add("Time: " + timeMode.configName() + (timeMode == TimeMode.VIRTUAL ? " (seed " + seed + ")" : ""));
        lines.add("System uptime in nanoseconds: " + uptimeNanos + (timeMode == TimeMode.VIRTUAL ? " (kernel time)" : ""));
        lines.add("Real time since boot: " + String.format(Locale.ROOT, "%.3f s", realNanosSinceBoot / 1e9));
        return String.join("\n", lines) + "\n";
    }

    @Override
    public String toString() {
        return text();
    }
}
