package org.kextkit.benchmarks;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.kextkit.harness.bundle.BundleScanner;
import org.kextkit.harness.bundle.KextBundleReader;
import org.kextkit.harness.bundle.KextBundleValidator;
import org.kextkit.harness.bundle.ScanResult;
import org.kextkit.harness.version.VersionGrammar;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Measure scanning, parsing and validating a folder of generated kext bundles (target: 1,000 in ≤ 300 ms). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 10)
@Measurement(iterations = 20)
@Fork(1)
public class ScanBenchmark {
    @Param({"1000"})
    public int bundles;

    private Path folder;

    @Setup
    public void locate() {
        folder = GeneratedKexts.folder(bundles);
    }

    @Benchmark
    public ScanResult scanParseValidate() {
        KextBundleReader reader = new KextBundleReader("x86_64", VersionGrammar.MODERN, new AtomicLong());
        ScanResult result = new BundleScanner(reader, new KextBundleValidator()).scan(folder);
        if (result.bundles().size() != bundles || !result.problems().isEmpty()) {
            throw new IllegalStateException("scan found " + result.bundles().size() + " bundles, problems " + result.problems());
        }
        return result;
    }
}
