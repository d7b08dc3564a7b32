package org.kextkit.benchmarks;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.kextkit.family.pci.internal.PciIds;
import org.kextkit.family.pci.internal.PciMatchIndexer;
import org.kextkit.family.pci.internal.PciMatcher;
import org.kextkit.hardware.pci.PciFunction;
import org.kextkit.hardware.pci.PciHardware;
import org.kextkit.hardware.pci.models.EchoDmaDevice;
import org.kextkit.harness.family.HardwareContext;
import org.kextkit.kit.internal.DeviceRegisters;
import org.kextkit.kit.internal.KernelHeap;
import org.kextkit.kit.internal.KernelScheduler;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The PCI family's two speed targets: register accesses from a driver to a device model (at least
 * 20 million a second on one thread), and matching 10,000 personalities against 2,000 PCI nubs
 * through the IOPCIDevice index (at most 200 ms).
 */
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class PciBenchmark {
    private static final int ACCESSES = 1_000;

    private DeviceRegisters scratch;
    private final List<Map<String, Object>> personalities = new ArrayList<>();
    private final Map<String, List<Map<String, Object>>> index = new HashMap<>();
    private final List<Map<String, Object>> unindexed = new ArrayList<>();
    private final List<PciIds> nubs = new ArrayList<>();

    @Setup(Level.Trial)
    public void setUp() {
        HardwareContext context = new HardwareContext() {
            @Override
            public KernelScheduler scheduler() {
                throw new UnsupportedOperationException("register accesses to SCRATCH need no clock");
            }

            @Override
            public KernelHeap heap() {
                throw new UnsupportedOperationException("register accesses to SCRATCH need no memory");
            }

            @Override
            public long seed() {
                return 1;
            }
        };
        PciFunction echo = new PciHardware(context, "x86_64").plug(1, 0, new EchoDmaDevice(), null);
        echo.configWrite16(0x04, 0x0002);
        scratch = echo.barRegisters(0);

        Random random = new Random(1);
        int[] vendors = new int[200];
        for (int i = 0; i < vendors.length; i++) {
            vendors[i] = 0x1000 + random.nextInt(0x8000);
        }
        PciMatchIndexer indexer = new PciMatchIndexer();
        for (int i = 0; i < 10_000; i++) {
            int vendor = vendors[random.nextInt(vendors.length)];
            String value = i % 10 == 0 ? String.format("0x%08x&0xff000000", (random.nextInt(0x10)) << 24)
                    : String.format("0x%04x%04x 0x%04x%04x&0xFFFCFFFF", random.nextInt(0x10000), vendor,
                            random.nextInt(0x10000), vendor);
            Map<String, Object> p = Map.of("IOProviderClass", "IOPCIDevice",
                    i % 10 == 0 ? "IOPCIClassMatch" : "IOPCIMatch", value);
            personalities.add(p);
            Set<String> keys = indexer.personalityKeys(p);
            if (keys.isEmpty()) {
                unindexed.add(p);
            }
            for (String key : keys) {
                index.computeIfAbsent(key, k -> new ArrayList<>()).add(p);
            }
        }
        for (int i = 0; i < 2_000; i++) {
            nubs.add(PciIds.of(vendors[random.nextInt(vendors.length)], random.nextInt(0x10000),
                    random.nextInt(0x1000000), random.nextInt(0x100), 0x106b, random.nextInt(0x10000)));
        }
    }

    /** One read and one write of a device register per operation. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(2 * ACCESSES)
    public int registerAccess() {
        int sum = 0;
        for (int i = 0; i < ACCESSES; i++) {
            scratch.write32(EchoDmaDevice.SCRATCH, i);
            sum += scratch.read32(EchoDmaDevice.SCRATCH);
        }
        return sum;
    }

    /** Every nub against the personalities its index keys find, then family matching on each. */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 5)
    @Measurement(iterations = 10)
    public int match10kPersonalitiesAgainst2kNubs() {
        int matches = 0;
        for (PciIds nub : nubs) {
            java.util.Set<Map<String, Object>> candidates = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
            for (String key : PciMatchIndexer.keysFor(nub)) {
                candidates.addAll(index.getOrDefault(key, List.of()));
            }
            candidates.addAll(unindexed);
            for (Map<String, Object> p : candidates) {
                if (PciMatcher.match(p, nub, 0, true, false).matched()) {
                    matches++;
                }
            }
        }
        return matches;
    }
}
