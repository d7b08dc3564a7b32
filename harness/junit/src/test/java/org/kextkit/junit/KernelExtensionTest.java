package org.kextkit.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.kextkit.junit.fixtures.LeakyDriverTests;
import org.kextkit.junit.fixtures.MisuseTests;
import org.kextkit.junit.fixtures.PanicTests;
import org.kextkit.junit.fixtures.ParallelTests;
import org.kextkit.junit.fixtures.PingDriverTests;
import org.kextkit.junit.fixtures.SharedKernelTests;
import org.opentest4j.AssertionFailedError;

/** The extension as a driver author meets it: fixture test classes run through the Jupiter engine. */
class KernelExtensionTest {
    @TempDir
    Path reports;

    private EngineExecutionResults run(org.junit.platform.engine.DiscoverySelector selector) {
        return EngineTestKit.engine("junit-jupiter").selectors(selector)
                .configurationParameter(KernelExtension.REPORTS_PARAMETER, reports.toString())
                .execute();
    }

    private static Throwable failureOf(EngineExecutionResults results, String method) {
        Event failed = results.testEvents().failed().stream()
                .filter(e -> e.getTestDescriptor().getDisplayName().startsWith(method + "("))
                .findFirst().orElseThrow(() -> new AssertionError(method + " did not fail"));
        return failed.getPayload(TestExecutionResult.class).orElseThrow().getThrowable().orElseThrow();
    }

    @Test
    void aCleanDriverPassesWithItsDriverDevicesAndForwardedCallsInjected() {
        EngineExecutionResults results = run(selectClass(PingDriverTests.class));

        results.testEvents().assertStatistics(stats -> stats.started(2).succeeded(2).failed(0));
    }

    @Test
    void aLeakingDriverFailsItsTestWithTheFindingAndKeepsTheArtifacts() throws Exception {
        EngineExecutionResults results = run(selectMethod(LeakyDriverTests.class, "leaks",
                "org.kextkit.kit.iokit.IOService"));

        results.testEvents().assertStatistics(stats -> stats.started(1).failed(1));
        Throwable failure = failureOf(results, "leaks");
        AssertionFailedError error = assertInstanceOf(AssertionFailedError.class, failure);
        String message = error.getMessage();
        assertTrue(message.startsWith("LeakyDriverTests.leaks(): the hosted kernel reported a problem."), message);
        assertTrue(message.contains("MEM-4"), message);
        assertTrue(message.contains("com.example.fixture.Leaky"), "names the kext: " + message);
        assertTrue(message.contains("LeakyDriver.java:"), "names the allocation's line: " + message);
        assertTrue(message.contains("@AllowFinding(check = \"MEM-4\""), "says how to accept it: " + message);
        Path kept = reports.resolve("LeakyDriverTests").resolve("leaks");
        assertTrue(message.contains(kept.toString()), "says where the artifacts are: " + message);
        for (String file : List.of("ioreg.txt", "findings.txt", "findings.sarif", "kernel.log")) {
            assertTrue(Files.size(kept.resolve(file)) > 0, file + " kept");
        }
        assertTrue(Files.readString(kept.resolve("ioreg.txt")).contains("IOPCIDevice"), "the registry as ioreg shows it");
        String sarif = Files.readString(kept.resolve("findings.sarif"));
        assertTrue(sarif.replace(" ", "").contains("\"ruleId\":\"MEM-4\""), "SARIF names the rule: " + sarif);
    }

    @Test
    void allowFindingAcceptsTheCheckItNamesWithItsReason() {
        EngineExecutionResults results = run(selectMethod(LeakyDriverTests.class, "leaksWithPermission",
                "org.kextkit.kit.iokit.IOService"));

        results.testEvents().assertStatistics(stats -> stats.started(1).succeeded(1).failed(0));
        assertTrue(Files.notExists(reports.resolve("LeakyDriverTests").resolve("leaksWithPermission")),
                "a passing test keeps nothing");
    }

    @Test
    void aPanicFailsTheTestWithThePanicReportBesideTheBodysOwnFailure() throws Exception {
        EngineExecutionResults results = run(selectClass(PanicTests.class));

        Throwable failure = failureOf(results, "panics");
        assertTrue(failure.getMessage().startsWith("double free"), "the body's call panicked the kernel: " + failure);
        assertEquals(1, failure.getSuppressed().length, "the extension's verdict is attached to it");
        String verdict = failure.getSuppressed()[0].getMessage();
        assertTrue(verdict.contains("the kernel panicked:\npanic(cpu 0 caller"), verdict);
        assertTrue(verdict.contains("com.example.fixture.Panicking"), "the kext in the backtrace: " + verdict);
        assertTrue(Files.size(reports.resolve("PanicTests/panics/panic.txt")) > 0, "panic report kept");
    }

    @Test
    void testsRunConcurrentlyEachWithItsOwnKernel() {
        ParallelTests.KERNELS.clear();
        EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(ParallelTests.class))
                .configurationParameter("junit.jupiter.execution.parallel.enabled", "true")
                .configurationParameter("junit.jupiter.execution.parallel.mode.default", "concurrent")
                .configurationParameter("junit.jupiter.execution.parallel.config.strategy", "fixed")
                .configurationParameter("junit.jupiter.execution.parallel.config.fixed.parallelism",
                        String.valueOf(ParallelTests.TESTS))
                .configurationParameter(KernelExtension.REPORTS_PARAMETER, reports.toString())
                .execute();

        results.testEvents().assertStatistics(stats -> stats.started(ParallelTests.TESTS).succeeded(ParallelTests.TESTS));
        assertEquals(ParallelTests.TESTS, ParallelTests.KERNELS.size(), "four kernels, alive at the same time");
        assertTrue(ParallelTests.KERNELS.stream().allMatch(k -> k.loadedKext("com.example.fixture.Ping").isEmpty()),
                "each kernel's kext was unloaded after its test");
    }

    @Test
    void perClassTestsShareOneKernelThatIsUnloadedAndShutDownAfterTheLast() {
        SharedKernelTests.KERNELS.clear();
        EngineExecutionResults results = run(selectClass(SharedKernelTests.class));

        results.testEvents().assertStatistics(stats -> stats.started(2).succeeded(2));
        results.containerEvents().assertStatistics(stats -> stats.failed(0));
        assertEquals(2, SharedKernelTests.KERNELS.size());
        assertTrue(SharedKernelTests.KERNELS.get(0) == SharedKernelTests.KERNELS.get(1), "one kernel for the class");
        assertTrue(SharedKernelTests.KERNELS.get(0).loadedKext("com.example.fixture.Ping").isEmpty(), "unloaded after all");
    }

    @Test
    void aParameterTypedAsTheDriversOwnClassIsRefusedWithTheReason() {
        EngineExecutionResults results = run(selectClass(MisuseTests.class));

        Throwable failure = failureOf(results, "asksForTheDriversOwnClass");
        Throwable cause = failure.getCause();
        assertInstanceOf(ExtensionConfigurationException.class, cause, () -> String.valueOf(failure));
        assertTrue(cause.getMessage().contains("isolated class loader"), cause.getMessage());
        assertTrue(cause.getMessage().contains("Declare the parameter as IOService"), cause.getMessage());

        Throwable typo = failureOf(results, "allowsACheckThatDoesNotExist");
        assertInstanceOf(ExtensionConfigurationException.class, typo);
        assertTrue(typo.getMessage().contains("\"LCK-HELLD\", which kextkit does not have"), typo.getMessage());
        assertTrue(typo.getMessage().contains("LCK-HELD"), "suggests the near match: " + typo.getMessage());
    }

    @Test
    void theBuilderRefusesADisabledCheckWithoutAReason() {
        ExtensionConfigurationException e = org.junit.jupiter.api.Assertions.assertThrows(
                ExtensionConfigurationException.class, () -> KernelExtension.builder().disableCheck("MEM-4", " "));
        assertTrue(e.getMessage().contains("needs a reason"), e.getMessage());
        ExtensionConfigurationException unknown = org.junit.jupiter.api.Assertions.assertThrows(
                ExtensionConfigurationException.class, () -> KernelExtension.builder().disableCheck("MEM-44", "why"));
        assertTrue(unknown.getMessage().contains("\"MEM-44\", which kextkit does not have"), unknown.getMessage());
    }
}
