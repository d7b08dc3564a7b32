package org.kextkit.harness.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kextkit.harness.testing.TestKexts.identity;
import static org.kextkit.harness.testing.TestKexts.libraries;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kextkit.harness.bundle.KextBundle;
import org.kextkit.harness.scheduler.StallReport;
import org.kextkit.harness.testing.TestKexts;
import org.kextkit.kit.internal.ExecutionContext;
import org.kextkit.kit.internal.KernelBound;
import org.kextkit.kit.internal.KernelPanic;
import org.kextkit.kit.internal.KernelServices;

/** How a hosted kernel runs kext code on its threads, in virtual time, and how it panics. */
class KernelThreadsAndPanicTest {
    private static final String RELEASE_SPINNER = "kextkit.test.release.spinner";

    @TempDir
    Path dir;
    private final List<HostedKernel> kernels = new ArrayList<>();

    @AfterEach
    void shutdown() {
        System.setProperty(RELEASE_SPINNER, "true");
        kernels.forEach(HostedKernel::shutdown);
    }

    private HostedKernel boot(KernelSettings settings) {
        HostedKernel kernel = HostedKernel.boot(settings);
        kernels.add(kernel);
        return kernel;
    }

    /** Write a kext whose module's class body is {@code body}, plus any other classes of its package. */
    private Path kext(String name, String body, Map<String, String> otherClasses) {
        String pkg = "com.example." + name.toLowerCase();
        Map<String, String> sources = new java.util.HashMap<>();
        sources.put(pkg + ".Module", """
                package PKG;
                import org.kextkit.kit.libkern.*;
                import static org.kextkit.kit.libkern.Libkern.printf;
                public class Module implements KextModule {
                    BODY
                    public int stop(KmodInfo ki, Object data) {
                        return KernReturn.KERN_SUCCESS;
                    }
                }
                """.replace("PKG", pkg).replace("BODY", body));
        otherClasses.forEach((simpleName, source) -> sources.put(pkg + "." + simpleName, "package " + pkg + ";\n" + source));
        return TestKexts.write(dir, name, identity("com.example." + name, name, "1.0.0") + libraries("com.apple.kpi.libkern", "8.0.0"),
                sources, pkg + ".Module");
    }

    private static final String CLEAN_START = """
            public int start(KmodInfo ki, Object data) {
                printf("%s started", ki.name());
                return KernReturn.KERN_SUCCESS;
            }
            """;

    private static KextBundle add(HostedKernel kernel, Path kext) {
        return kernel.addKext(kext).bundle().orElseThrow();
    }

    @Test
    void aStartRoutineThatNeverReturnsFailsItsLoadWithAReportAndTheKernelServesTheNextRequest() {
        System.setProperty(RELEASE_SPINNER, "false");
        HostedKernel kernel = boot(KernelSettings.defaults().withWatchdog(Duration.ofMillis(300)));
        Path spinner = kext("Spinner", """
                public int start(KmodInfo ki, Object data) {
                    printf("waiting for the device");
                    while (!Boolean.getBoolean("RELEASE")) {
                        // polls a register that never changes, without ever blocking
                    }
                    return KernReturn.KERN_SUCCESS;
                }
                """.replace("RELEASE", RELEASE_SPINNER), Map.of());
        Path clean = kext("Clean", CLEAN_START, Map.of());

        LoadReport hung = kernel.load(add(kernel, spinner));

        assertEquals(KextReturn.START_STOP_ERROR, hung.result());
        String message = String.join("\n", hung.messages());
        assertTrue(message.startsWith("Kext com.example.Spinner start failed: its start routine did not return (Kernel thread "
                + "\"kext start com.example.Spinner\" in THREAD context kept the processor for"), message);
        assertTrue(kernel.loadedKext("com.example.Spinner").isEmpty(), "a hung start leaves nothing loaded");
        String log = kernel.logText();
        assertTrue(log.contains("Kext frames:"), log);
        assertTrue(log.contains("com.example.spinner.Module.start(Module.java:7) [com.example.Spinner]"), log);
        StallReport report = kernel.scheduler().stallReports().get(0);
        assertEquals(StallReport.Kind.HANG, report.kind());

        LoadReport next = kernel.load(add(kernel, clean));
        assertEquals(LoadReport.Status.LOADED, next.status(), next.messages().toString());
        assertTrue(kernel.logText().contains("com.example.Clean started"));
    }

    @Test
    void kextCodeSleepsInKernelTimeOnly() {
        HostedKernel kernel = boot(KernelSettings.defaults());
        kernel.load(add(kernel, kext("Sleeper", CLEAN_START, Map.of())));
        KernelServices services = ((KernelBound) kernel.loadedKext("com.example.Sleeper").orElseThrow().classLoader())
                .kernelServices();
        assertSame(kernel.scheduler(), services.scheduler(), "kit calls from the kext reach this kernel's clock");

        long before = kernel.scheduler().nanoTime();
        String result = kernel.scheduler().call("IOService::start", ExecutionContext.THREAD, () -> {
            services.scheduler().sleep(1_000_000_000L); // what IOSleep(1000) does
            return "started";
        });

        assertEquals("started", result);
        assertEquals(1_000_000_000L, kernel.scheduler().nanoTime() - before);
    }

    private static final Map<String, String> FILTER = Map.of("Filter", """
            public class Filter implements Runnable {
                public void run() {
                    checkDescriptors();
                }
                private void checkDescriptors() {
                    throw new IllegalStateException("descriptor ring corrupt");
                }
            }
            """);

    private static Runnable filterOf(HostedKernel kernel) throws ReflectiveOperationException {
        ClassLoader loader = kernel.loadedKext("com.example.Nic").orElseThrow().classLoader();
        return (Runnable) loader.loadClass("com.example.nic.Filter").getDeclaredConstructor().newInstance();
    }

    @Test
    void aThrowInAnInterruptHandlerPanicsThatKernelWithAReadableReportAndOtherKernelsGoOn() throws Exception {
        HostedKernel kernel = boot(KernelSettings.defaults());
        HostedKernel other = boot(KernelSettings.defaults());
        Path nic = kext("Nic", CLEAN_START, FILTER);
        kernel.load(add(kernel, nic));

        kernel.scheduler().postInterrupt("nic", filterOf(kernel));
        IllegalStateException stopped = assertThrows(IllegalStateException.class, () -> kernel.virtualTime().runUntilQuiescent());
        assertTrue(stopped.getMessage().contains("has panicked"), stopped.getMessage());

        PanicReport report = kernel.panicReport().orElseThrow();
        String text = report.text();
        assertTrue(text.startsWith("panic(cpu 0 caller com.example.nic.Filter.checkDescriptors): \"Unhandled "
                + "java.lang.IllegalStateException: descriptor ring corrupt in the primary interrupt handler of nic\"\n"
                + "Panicked thread: \"interrupt\", context: PRIMARY_INTERRUPT\n"
                + "Backtrace (CPU 0), innermost first:\n"
                + "    com.example.nic.Filter.checkDescriptors(Filter.java:7) [com.example.Nic]\n"
                + "    com.example.nic.Filter.run(Filter.java:4) [com.example.Nic]\n"
                + "      Kernel Extensions in backtrace:\n"), text);
        assertTrue(text.contains("      Kernel Extensions in backtrace:\n         com.example.Nic(1.0.0)["), text);
        assertTrue(text.contains("            dependency: com.apple.kpi.libkern(25.1.0)"), text);
        assertTrue(text.contains("last started kext at 0.000000000 s: com.example.Nic 1.0.0 (addr 0xffffff7f80a00000"), text);
        assertTrue(text.contains("loaded kexts:\ncom.example.Nic\t1.0.0\n"), text);
        assertTrue(text.contains("Kernel version:\nDarwin Kernel Version 25.1.0 (kextkit hosted kernel, x86_64)\n"), text);
        assertTrue(text.contains("System uptime in nanoseconds: 0 (kernel time)"), text);
        assertTrue(kernel.logText().contains("panic(cpu 0 caller com.example.nic.Filter.checkDescriptors)"), "the log has it too");

        KernelPanickedException refused = assertThrows(KernelPanickedException.class, () -> kernel.unload("com.example.Nic"));
        assertEquals("kernel has panicked: Unhandled java.lang.IllegalStateException: descriptor ring corrupt in the primary"
                + " interrupt handler of nic", refused.getMessage());
        assertSame(report, refused.report());
        assertThrows(KernelPanickedException.class, () -> kernel.addKext(nic));
        assertEquals(1, kernel.loadedNonKernelKexts().size(), "what was loaded can still be read");

        LoadReport elsewhere = other.load(add(other, nic));
        assertEquals(LoadReport.Status.LOADED, elsewhere.status());
        assertFalse(other.hasPanicked());
    }

    @Test
    void aPanicThroughTheKernelServicesRecordsTheThreadAndContextAndEndsTheRequest() {
        HostedKernel kernel = boot(KernelSettings.defaults().withSeed(7));
        kernel.load(add(kernel, kext("Locker", CLEAN_START, Map.of())));
        KernelServices services = ((KernelBound) kernel.loadedKext("com.example.Locker").orElseThrow().classLoader())
                .kernelServices();

        KernelPanic panic = assertThrows(KernelPanic.class, () -> kernel.scheduler().call("work loop", ExecutionContext.WORK_LOOP,
                () -> services.panic("Mutex 0xffffff8012345678 is unexpectedly owned by this thread")));

        assertEquals("Mutex 0xffffff8012345678 is unexpectedly owned by this thread", panic.getMessage());
        PanicReport report = kernel.panicReport().orElseThrow();
        assertEquals("work loop", report.threadName());
        assertEquals(ExecutionContext.WORK_LOOP, report.context());
        assertTrue(report.text().contains("Time: virtual (seed 7)"), report.text());
        assertTrue(kernel.hasPanicked());
    }
}
