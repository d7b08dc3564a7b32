package org.kextkit.benchmarks;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntUnaryOperator;
import org.kextkit.harness.check.instrument.FrameEstimate;
import org.kextkit.harness.check.instrument.InstrumentSettings;
import org.kextkit.harness.lifecycle.HostedKernel;
import org.kextkit.harness.lifecycle.KernelSettings;
import org.kextkit.harness.lifecycle.LoadReport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of all checks on a lock- and allocation-heavy driver workload (target: at most 1.5× the
 * same workload with every check off).
 *
 * <p>A kext written and compiled at set-up ({@code com.example.bench.overhead}) allocates, in its
 * module's {@code start}, a lock group with a queue mutex ({@code lck_mtx}), a device lock
 * ({@code IOLock}) and a statistics spin lock ({@code IOSimpleLock}). Its {@code IoPath} serves
 * requests as a driver's I/O path would: take the queue mutex, then the device lock, allocate a
 * 64-byte command buffer with {@code IOMalloc}, fill it and checksum it through the buffer, free it,
 * drop the device lock, count the request under the spin lock, drop the queue mutex. One operation
 * is a batch of {@link #REQUESTS} requests run inside {@code iokit().inKernel} of a warm
 * virtual-time kernel.
 *
 * <p>{@code checks=on}: a default kernel, whose kext classes are checked and instrumented at load
 * and whose run-time checks (lock order, held locks, interrupt use, blocking, memory) are on.
 * {@code checks=off}: the same kernel with {@code InstrumentSettings(false, ...)} (the kext's classes
 * are defined as compiled) and {@code runtimeChecks().setEnabled(false)} before the kext loads.
 * {@code checks=runtime-only} (for comparison): instrumentation off, run-time checks on, so every
 * lock acquisition and allocation walks the Java stack for its site. The
 * heap's own bounds and life checks on {@code KernelBuffer} accesses are part of the kit in both.
 * After the trial the kernel must have no findings and, with checks on, lock statistics for the
 * kext's group.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CheckOverheadBenchmark {
    /** Requests per operation. */
    public static final int REQUESTS = 100;
    static final String BUNDLE_ID = "com.example.bench.overhead";
    static final String MODULE = "com.example.bench.overhead.Module";
    static final String IO_PATH = "com.example.bench.overhead.IoPath";

    private static final String MODULE_SOURCE = """
            package com.example.bench.overhead;

            import static org.kextkit.kit.iokit.IOLocks.*;
            import static org.kextkit.kit.libkern.Locks.*;

            import org.kextkit.kit.iokit.IOLock;
            import org.kextkit.kit.iokit.IOSimpleLock;
            import org.kextkit.kit.libkern.KernReturn;
            import org.kextkit.kit.libkern.KextModule;
            import org.kextkit.kit.libkern.KmodInfo;
            import org.kextkit.kit.libkern.LckGrp;
            import org.kextkit.kit.libkern.LckMtx;

            /** Allocates the I/O path's locks at start and frees them at stop. */
            public class Module implements KextModule {
                static LckGrp group;
                static LckMtx queueLock;
                static IOLock deviceLock;
                static IOSimpleLock statsLock;
                static long completed;
                static long bytes;

                @Override
                public int start(KmodInfo ki, Object data) {
                    group = lck_grp_alloc_init("bench.overhead", null);
                    queueLock = lck_mtx_alloc_init(group, null);
                    deviceLock = IOLockAlloc();
                    statsLock = IOSimpleLockAlloc();
                    return KernReturn.KERN_SUCCESS;
                }

                @Override
                public int stop(KmodInfo ki, Object data) {
                    IOSimpleLockFree(statsLock);
                    IOLockFree(deviceLock);
                    lck_mtx_free(queueLock, group);
                    lck_grp_free(group);
                    return KernReturn.KERN_SUCCESS;
                }
            }
            """;

    private static final String IO_PATH_SOURCE = """
            package com.example.bench.overhead;

            import static org.kextkit.kit.iokit.IOLib.*;
            import static org.kextkit.kit.iokit.IOLocks.*;
            import static org.kextkit.kit.libkern.Locks.*;

            import java.util.function.IntUnaryOperator;
            import org.kextkit.kit.libkern.KernelBuffer;

            /** A driver's I/O path: nested locks, a command buffer per request, a checksum. */
            public class IoPath implements IntUnaryOperator {
                private static final int COMMAND_BYTES = 64;

                @Override
                public int applyAsInt(int requests) {
                    int checksum = 0;
                    for (int r = 0; r < requests; r++) {
                        checksum = checksum * 31 + serve(r);
                    }
                    return checksum;
                }

                private int serve(int request) {
                    lck_mtx_lock(Module.queueLock);
                    IOLockLock(Module.deviceLock);
                    KernelBuffer command = IOMalloc(COMMAND_BYTES);
                    fill(command, request);
                    int sum = checksum(command);
                    IOFree(command, COMMAND_BYTES);
                    IOLockUnlock(Module.deviceLock);
                    IOSimpleLockLock(Module.statsLock);
                    Module.completed++;
                    Module.bytes += COMMAND_BYTES;
                    IOSimpleLockUnlock(Module.statsLock);
                    lck_mtx_unlock(Module.queueLock);
                    return sum;
                }

                private static void fill(KernelBuffer command, int request) {
                    for (int i = 0; i < COMMAND_BYTES; i += 4) {
                        command.write32(i, request * 0x9E3779B1 + i);
                    }
                }

                private static int checksum(KernelBuffer command) {
                    int crc = 0xFFFFFFFF;
                    for (int i = 0; i < COMMAND_BYTES; i += 4) {
                        int word = command.read32(i);
                        for (int bit = 0; bit < 32; bit += 8) {
                            crc ^= (word >>> bit) & 0xFF;
                            for (int k = 0; k < 8; k++) {
                                crc = (crc >>> 1) ^ (0xEDB88320 & -(crc & 1));
                            }
                        }
                    }
                    return ~crc;
                }
            }
            """;

    @Param({"on", "off", "runtime-only"})
    public String checks;

    private Path kexts;
    private HostedKernel kernel;
    private IntUnaryOperator ioPath;

    @Setup(Level.Trial)
    public void bootAndLoad() throws ReflectiveOperationException {
        boolean on = switch (checks) {
            case "on", "runtime-only" -> true;
            case "off" -> false;
            default -> throw new IllegalArgumentException("checks must be on, off or runtime-only: " + checks);
        };
        boolean instrumented = checks.equals("on");
        kexts = DriverKexts.writeModuleKext("Overhead", BUNDLE_ID, MODULE,
                Map.of(MODULE, MODULE_SOURCE, IO_PATH, IO_PATH_SOURCE));
        KernelSettings settings = KernelSettings.defaults();
        if (!instrumented) {
            settings = settings.withInstrumentation(new InstrumentSettings(false, FrameEstimate.DEFAULT_STACK_BUDGET));
        }
        kernel = HostedKernel.boot(settings);
        kernel.runtimeChecks().setEnabled(on);
        LoadReport report = kernel.load(kernel.addKext(kexts.resolve("Overhead.kext")).bundle().orElseThrow());
        if (!report.isLoaded()) {
            throw new IllegalStateException("the workload kext did not load: " + report + "\n" + kernel.logText());
        }
        Class<?> type = kernel.loadedKext(BUNDLE_ID).orElseThrow().classLoader().loadClass(IO_PATH);
        ioPath = (IntUnaryOperator) type.getDeclaredConstructor().newInstance();
        if (instrumented != kernel.instrumenter().isPresent()) {
            throw new IllegalStateException("instrumentation is " + (instrumented ? "off" : "on") + " with checks=" + checks);
        }
    }

    @TearDown(Level.Trial)
    public void checkAndShutdown() {
        try {
            if (!kernel.findings().list().isEmpty()) {
                throw new IllegalStateException("the workload must run clean: " + kernel.findings().list());
            }
            boolean counted = kernel.runtimeChecks().lockStatistics().containsKey("bench.overhead");
            if (counted != !checks.equals("off")) {
                throw new IllegalStateException("lock statistics " + kernel.runtimeChecks().lockStatistics()
                        + " do not match checks=" + checks);
            }
            List<String> unload = List.of(kernel.unload(BUNDLE_ID).toString());
            if (kernel.loadedKext(BUNDLE_ID).isPresent() || !kernel.findings().list().isEmpty()) {
                throw new IllegalStateException("unload left the kext or findings behind: " + unload + " "
                        + kernel.findings().list());
            }
        } finally {
            kernel.shutdown();
            DriverKexts.delete(kexts);
        }
    }

    /** Serve {@link #REQUESTS} requests on the kernel's processor. */
    @Benchmark
    public int serveRequests() {
        int[] result = new int[1];
        kernel.iokit().inKernel(() -> result[0] = ioPath.applyAsInt(REQUESTS));
        return result[0];
    }
}
