package org.kextkit.benchmarks;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.kextkit.junit.KernelLifecycle;
import org.kextkit.junit.internal.BuildOutputKext;
import org.kextkit.junit.internal.DriverForwarding;
import org.kextkit.junit.internal.KernelSession;
import org.kextkit.junit.internal.KernelSpec;
import org.kextkit.junit.internal.TestVerdict;
import org.kextkit.kit.iokit.IOService;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One {@code @KernelTest} cycle, warm, as kextkit-junit runs it around a test: boot a hosted kernel
 * on the default machine, add the driver from a module's build output (target/classes and
 * target/kext/Info.plist), load it and the PCI family, match and start it on the echo engine, call
 * it through a forwarded interface, unload it, shut down and judge the findings.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(1)
public class JUnitCycleBenchmark {
    private static final String DRIVER_CLASS = "com.example.bench.CycleDriver";
    private static final String DRIVER_SOURCE = """
            package com.example.bench;

            import org.kextkit.family.pci.IOPCIDevice;
            import org.kextkit.kit.iokit.IOMemoryMap;
            import org.kextkit.kit.iokit.IOService;

            /** Maps the echo engine's BAR 0 in start, reads its ID register on request, unmaps in stop. */
            public class CycleDriver extends IOService {
                private IOMemoryMap registers;

                @Override
                public boolean start(IOService provider) {
                    if (!super.start(provider)) {
                        return false;
                    }
                    IOPCIDevice pci = (IOPCIDevice) provider;
                    pci.setMemoryEnable(true);
                    registers = pci.mapDeviceMemoryWithRegister(IOPCIDevice.kIOPCIConfigBaseAddress0);
                    return registers != null;
                }

                public int deviceId() {
                    return registers.read32(0x00);
                }

                @Override
                public void stop(IOService provider) {
                    registers.release();
                    registers = null;
                    super.stop(provider);
                }
            }
            """;

    /** The driver's method the cycle calls. */
    public interface Cycle {
        int deviceId();
    }

    private Path module;
    private KernelSpec spec;

    @Setup(Level.Trial)
    public void writeBuildOutput() {
        module = DriverKexts.writeBuildOutput("CycleDriver", "com.example.bench.CycleDriver", DRIVER_CLASS, DRIVER_SOURCE,
                "0x0ed11234");
        spec = new KernelSpec(KernelLifecycle.PER_METHOD, "", 42, List.of(new BuildOutputKext(module)), List.of(), Map.of());
    }

    @TearDown(Level.Trial)
    public void delete() {
        DriverKexts.delete(module);
    }

    /** Boot, load, match, start, exercise, stop, unload, check; fail if anything was found. */
    @Benchmark
    public int testCycle() {
        KernelSession session = KernelSession.boot(spec, module);
        TestVerdict verdict = new TestVerdict("JUnitCycleBenchmark", module.resolve("target/kextkit-tests"), false);
        int id;
        try (session) {
            IOService driver = session.driver("");
            id = DriverForwarding.forward(session.kernel(), driver, Cycle.class).deviceId();
            verdict.noteRegistry(session);
            session.unloadKexts();
            verdict.noteRegistry(session);
        }
        Throwable failure = verdict.judge(session, List.of());
        if (failure != null || id != 0x45434831) {
            throw new IllegalStateException("the cycle went wrong (device id 0x" + Integer.toHexString(id) + ")", failure);
        }
        return id;
    }
}
