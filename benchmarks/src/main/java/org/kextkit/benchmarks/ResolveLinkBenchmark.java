package org.kextkit.benchmarks;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.kextkit.harness.bundle.BundleScanner;
import org.kextkit.harness.bundle.KextBundle;
import org.kextkit.harness.bundle.KextBundleReader;
import org.kextkit.harness.bundle.KextBundleValidator;
import org.kextkit.harness.bundle.ScanResult;
import org.kextkit.harness.lifecycle.HostedKernel;
import org.kextkit.harness.lifecycle.KernelSettings;
import org.kextkit.harness.lifecycle.LoadReport;
import org.kextkit.harness.lifecycle.LoadedKext;
import org.kextkit.harness.repository.KernelPseudoKexts;
import org.kextkit.harness.repository.KextRepository;
import org.kextkit.harness.version.VersionGrammar;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Measure resolving, linking and loading a generated kext graph into a fresh kernel: dependency
 * resolution, one class loader per kext, the link check, one class of each kext loaded, start
 * (target: 1,000 kexts in ≤ 75 ms; 10,000 in ≤ 10× that). Bundles are read once, outside the timing.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 10)
@Measurement(iterations = 20)
@Fork(value = 1, jvmArgsAppend = {"-Xss4m"})
public class ResolveLinkBenchmark {
    @Param({"1000"})
    public int bundles;

    private List<KextBundle> kexts;
    private KextRepository repository;
    private HostedKernel kernel;

    @Setup(Level.Trial)
    public void read() {
        Path folder = GeneratedKexts.folder(bundles);
        KextBundleReader reader = new KextBundleReader("x86_64", VersionGrammar.MODERN, new AtomicLong());
        ScanResult scan = new BundleScanner(reader, new KextBundleValidator()).scan(folder);
        kexts = scan.bundles();
        repository = new KextRepository(KernelPseudoKexts.create(), kexts);
    }

    @Setup(Level.Invocation)
    public void bootFreshKernel() {
        kernel = HostedKernel.boot(KernelSettings.defaults(), repository);
    }

    @TearDown(Level.Invocation)
    public void shutDownKernel() {
        // A kernel owns threads (its scheduler's); kernels left running would slow every later one.
        kernel.shutdown();
    }

    @Benchmark
    public int resolveLinkAndLoadOneClassEach() throws ClassNotFoundException {
        List<LoadReport> reports = kernel.loadAll(kexts);
        int loaded = 0;
        for (LoadReport report : reports) {
            if (!report.isLoaded()) {
                throw new IllegalStateException(report.kext() + ": " + report.messages());
            }
        }
        for (LoadedKext kext : kernel.loadedKexts()) {
            if (kext.classLoader() != null) {
                String id = kext.bundleId();
                kext.classLoader().loadClass(id + ".Lib");
                loaded++;
            }
        }
        if (loaded != bundles) {
            throw new IllegalStateException("loaded classes of " + loaded + " kexts, expected " + bundles);
        }
        return loaded;
    }
}
