package org.kextkit.benchmarks;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.kextkit.family.pci.IOPCIBridge;
import org.kextkit.family.pci.IOPCIDevice;
import org.kextkit.hardware.pci.PciHardware;
import org.kextkit.hardware.pci.models.EchoDmaDevice;
import org.kextkit.harness.lifecycle.HostedKernel;
import org.kextkit.harness.lifecycle.KernelSettings;
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
 * Hot-plug one PCI device into a warm virtual-time kernel until its driver's {@code start} has
 * returned (target: median at most 1 ms).
 *
 * <p>The kernel boots on a machine with an empty PCI bus; a driver kext written and compiled at
 * set-up ({@code com.example.bench.EchoDriver}, matching the echo DMA engine by {@code IOPCIMatch})
 * is added to its repository. One operation is {@code PciHardware.hotPlug} inside
 * {@code iokit().inKernel}, which returns once the kernel is quiescent: the bridge has published the
 * nub, matching has run, the driver was instantiated, probed and started (it enables memory
 * decoding, maps BAR 0 and checks the engine's ID register). Outside the timing, each operation is
 * checked (the nub's client is a started {@code EchoDriver}) and undone with
 * {@code surpriseRemove}, which terminates the nub and stops the driver. The first plug loads the
 * kext; warm-up absorbs it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(1)
public class HotPlugBenchmark {
    static final String DRIVER_CLASS = "com.example.bench.EchoDriver";
    private static final int SLOT = 5;
    private static final String DRIVER_SOURCE = """
            package com.example.bench;

            import org.kextkit.family.pci.IOPCIDevice;
            import org.kextkit.kit.iokit.IOMemoryMap;
            import org.kextkit.kit.iokit.IOService;

            /** Starts only on an echo engine whose ID register answers through BAR 0. */
            public class EchoDriver extends IOService {
                private IOMemoryMap registers;

                @Override
                public boolean start(IOService provider) {
                    if (!super.start(provider)) {
                        return false;
                    }
                    IOPCIDevice pci = (IOPCIDevice) provider;
                    pci.setMemoryEnable(true);
                    registers = pci.mapDeviceMemoryWithRegister(IOPCIDevice.kIOPCIConfigBaseAddress0);
                    return registers != null && registers.read32(0x00) == 0x45434831;
                }

                @Override
                public void stop(IOService provider) {
                    if (registers != null) {
                        registers.release();
                        registers = null;
                    }
                    super.stop(provider);
                }
            }
            """;

    private Path kexts;
    private HostedKernel kernel;
    private PciHardware bus;
    private IOPCIBridge bridge;

    @Setup(Level.Trial)
    public void bootWithDriver() {
        kexts = DriverKexts.writeToNewFolder("EchoDriver", "com.example.bench.EchoDriver", DRIVER_CLASS, DRIVER_SOURCE,
                "0x0ed11234");
        kernel = HostedKernel.boot(KernelSettings.defaults());
        kernel.addRepository(kexts);
        bus = kernel.hardware(PciHardware.class);
        bridge = kernel.iokit().services().stream().filter(s -> s instanceof IOPCIBridge).map(s -> (IOPCIBridge) s)
                .findFirst().orElseThrow(() -> new IllegalStateException("no IOPCIBridge started:\n" + kernel.logText()));
    }

    @TearDown(Level.Trial)
    public void shutdown() {
        kernel.shutdown();
        DriverKexts.delete(kexts);
    }

    /** Plug an echo engine into the slot and return when the kernel is quiescent, its driver started. */
    @Benchmark
    public Object hotPlugUntilDriverStarted() {
        Object[] plugged = new Object[1];
        kernel.iokit().inKernel(() -> plugged[0] = bus.hotPlug(SLOT, new EchoDmaDevice()));
        return plugged[0];
    }

    /** Check the operation did what it claims, then pull the device out again. */
    @TearDown(Level.Invocation)
    public void checkStartedAndRemove() {
        IOPCIDevice nub = bridge.publishedDevices().stream().filter(n -> n.getDeviceNumber() == SLOT).findFirst()
                .orElseThrow(() -> new IllegalStateException("the bridge published no nub for slot " + SLOT));
        IOService driver = nub.getClient();
        if (driver == null || !driver.getClass().getName().equals(DRIVER_CLASS) || !driver.serviceState().started) {
            throw new IllegalStateException("the driver did not start on " + nub.getName() + "@" + nub.getLocation() + ": "
                    + kernel.iokit().lastMatching(nub) + "\n" + kernel.logText());
        }
        kernel.iokit().inKernel(() -> bus.surpriseRemove(SLOT));
        if (!nub.isInactive() || nub.getClient() != null) {
            throw new IllegalStateException("surprise removal left the nub or its driver behind:\n" + kernel.logText());
        }
    }
}
