package com.example.buggy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kextkit.harness.bundle.BundleReadResult;
import org.kextkit.harness.check.Finding;
import org.kextkit.harness.lifecycle.HostedKernel;
import org.kextkit.harness.lifecycle.LoadReport;
import org.kextkit.harness.lifecycle.UnloadReport;
import org.kextkit.samples.testing.SampleKernel;

/**
 * The clean samples of kext-samples/, loaded, run and unloaded, give every check nothing to report:
 * the corpus's checks have no false positives on well-written kexts.
 */
class CleanSamplesTest {
    private static Path sample(String module, String name) {
        return Path.of(System.getProperty("clean.samples", ".."), module, "target", name + ".kext");
    }

    private static void assertNoFindings(HostedKernel kernel) {
        List<Finding> findings = kernel.findings().list();
        assertEquals(List.of(), findings, () -> "kernel log:\n" + kernel.logText());
        assertFalse(kernel.hasPanicked());
    }

    @Test
    void helloKextAndItsLibraryLoadRunAndUnloadWithNoFindings() {
        try (SampleKernel sample = SampleKernel.boot(sample("hello-lib", "HelloLib"))) {
            HostedKernel kernel = sample.kernel();
            BundleReadResult hello = kernel.addKext(sample("hello-kext", "HelloKext"));
            assertTrue(hello.isRead() && hello.problems().isEmpty(), hello.problems()::toString);
            LoadReport load = kernel.load(hello.bundle().orElseThrow());
            assertTrue(load.isLoaded(), load.messages() + "\n" + kernel.logText());
            assertTrue(kernel.loadedKext("org.kextkit.sample.HelloLib").isPresent(), "the library is loaded first");
            assertTrue(kernel.logText().contains("HelloKext: Hello, hosted kernel!"), kernel.logText());
            UnloadReport unload = kernel.unload("org.kextkit.sample.HelloKext");
            assertTrue(unload.isUnloaded(), unload.messages()::toString);
            assertTrue(kernel.unload("org.kextkit.sample.HelloLib").isUnloaded(), "the library unloads once unused");
            assertNoFindings(kernel);
            kernel.shutdown();
            assertNoFindings(kernel);
        }
    }

    @Test
    void echoDriverStartsStopsAndUnloadsWithNoFindings() {
        driverRunsClean(sample("echo-driver", "EchoDriver"), 1, "com_example_echo_EchoDriver", "org.kextkit.sample.EchoDriver");
    }

    @Test
    void nicDriverStartsStopsAndUnloadsWithNoFindings() {
        driverRunsClean(sample("nic-driver", "NicDriver"), 2, "com_example_nic_NicDriver", "org.kextkit.sample.NicDriver");
    }

    private static void driverRunsClean(Path bundle, int slot, String ioClass, String bundleId) {
        try (SampleKernel sample = SampleKernel.boot(bundle)) {
            LoadReport load = sample.load();
            assertTrue(load.isLoaded(), load.messages() + "\n" + sample.kernel().logText());
            sample.awaitDriver(slot, ioClass);
            sample.advance(java.time.Duration.ofMillis(500));
            sample.kernel().iokit().systemSleep();
            sample.kernel().iokit().systemWake();
            sample.advance(java.time.Duration.ofMillis(100));
            assertTrue(sample.unload().isUnloaded(), sample.kernel()::logText);
            assertTrue(sample.driverOn(slot, ioClass).isEmpty(), "the driver is gone after unload");
            assertNoFindings(sample.kernel());
            sample.kernel().shutdown();
            assertNoFindings(sample.kernel());
            assertFalse(sample.kernel().loadedKext(bundleId).isPresent());
        }
    }
}
