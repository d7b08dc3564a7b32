package org.kextkit.harness.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kextkit.harness.testing.TestKexts.identity;
import static org.kextkit.harness.testing.TestKexts.libraries;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kextkit.harness.bundle.KextBundle;
import org.kextkit.harness.testing.TestKexts;

class HostedKernelTest {
    private static final String LIBRARY_SOURCE = """
            package com.example.lib;
            public class Counter extends org.kextkit.kit.libkern.OSObject {
                private int value;
                public int next() { return ++value; }
            }
            """;

    @TempDir
    Path dir;
    HostedKernel kernel;

    @BeforeEach
    void boot() {
        kernel = HostedKernel.boot(KernelSettings.defaults());
    }

    @AfterEach
    void shutdown() {
        kernel.shutdown();
    }

    private KextBundle library() {
        Path kext = TestKexts.write(dir, "CounterLib", identity("com.example.CounterLib", "CounterLib", "1.2.0")
                + "<key>OSBundleCompatibleVersion</key><string>1.0</string>\n"
                + libraries("com.apple.kpi.libkern", "8.0.0"),
                Map.of("com.example.lib.Counter", LIBRARY_SOURCE), null);
        return kernel.addKext(kext).bundle().orElseThrow();
    }

    private KextBundle driver(String name, String moduleBody) {
        String source = """
                package com.example.NAME;
                import org.kextkit.kit.libkern.*;
                import static org.kextkit.kit.libkern.Libkern.printf;
                public class Module implements KextModule {
                    BODY
                }
                """.replace("NAME", name.toLowerCase()).replace("BODY", moduleBody);
        Path kext = TestKexts.write(dir, name, identity("com.example." + name, name, "1.0.0")
                + libraries("com.apple.kpi.libkern", "8.0.0", "com.example.CounterLib", "1.1"),
                Map.of("com.example." + name.toLowerCase() + ".Module", source), "com.example." + name.toLowerCase() + ".Module");
        return kernel.addKext(kext).bundle().orElseThrow();
    }

    private static final String CLEAN_MODULE = """
            com.example.lib.Counter counter;
            public int start(KmodInfo ki, Object data) {
                counter = new com.example.lib.Counter();
                printf("%s %s started with tag %d, counter %d", ki.name(), ki.version(), ki.id(), counter.next());
                return KernReturn.KERN_SUCCESS;
            }
            public int stop(KmodInfo ki, Object data) {
                counter.release();
                printf("%s stopped", ki.name());
                return KernReturn.KERN_SUCCESS;
            }
            """;

    @Test
    void kernelComponentsTakeTheFirstTagsAndLoadingLinksDependenciesFirst() {
        List<String> kpis = kernel.loadedKexts().stream().map(LoadedKext::bundleId).collect(Collectors.toList());
        assertEquals(List.of("com.apple.kpi.bsd", "com.apple.kpi.dsep", "com.apple.kpi.iokit", "com.apple.kpi.libkern",
                "com.apple.kpi.mach", "com.apple.kpi.private", "com.apple.kpi.unsupported"), kpis);

        library();
        LoadReport report = kernel.load(driver("Hello", CLEAN_MODULE));

        assertEquals(LoadReport.Status.LOADED, report.status(), report.messages().toString());
        LoadedKext lib = kernel.loadedKext("com.example.CounterLib").orElseThrow();
        LoadedKext hello = kernel.loadedKext("com.example.Hello").orElseThrow();
        assertEquals(8, lib.tag());
        assertEquals(9, hello.tag());
        assertEquals(1, lib.refs(), "HelloKext links against the library");
        assertEquals(0, hello.refs());
        assertEquals(List.of("com.apple.kpi.libkern", "com.example.CounterLib"),
                hello.linkedAgainst().stream().map(LoadedKext::bundleId).sorted().collect(Collectors.toList()));
        LoadedKext libkern = kernel.loadedKext("com.apple.kpi.libkern").orElseThrow();
        assertEquals(2, libkern.refs());
        assertEquals(0, libkern.address());
        assertEquals(0xffffff7f80a00000L + lib.size(), hello.address(), "kexts are mapped one after another, page aligned");
        assertTrue(hello.size() >= 0x1000);
        assertTrue(kernel.logText().contains("com.example.Hello 1.0.0 started with tag 9, counter 1\n"), kernel.logText());
        assertEquals(LoadedKext.State.STARTED, hello.state());
    }

    @Test
    void aLibraryInUseCannotBeUnloadedUntilItsDependentIsGone() {
        library();
        kernel.load(driver("Hello", CLEAN_MODULE));

        UnloadReport refused = kernel.unload("com.example.CounterLib");
        assertEquals(KextReturn.IN_USE, refused.result());
        assertEquals(List.of("Can't unload kext com.example.CounterLib; outstanding references 1 (linkage or tracking object)."),
                refused.messages());

        assertTrue(kernel.unload("com.example.Hello").isUnloaded());
        assertTrue(kernel.logText().contains("com.example.Hello stopped\n"));
        assertTrue(kernel.unload("com.example.CounterLib").isUnloaded());
        assertFalse(kernel.loadedKext("com.example.CounterLib").isPresent());
    }

    @Test
    void liveObjectsOfAKextsClassesBlockItsUnloadWithTheKernelsWording() {
        library();
        kernel.load(driver("Leaky", """
                public int start(KmodInfo ki, Object data) {
                    new com.example.lib.Counter();
                    new com.example.lib.Counter();
                    return KernReturn.KERN_SUCCESS;
                }
                public int stop(KmodInfo ki, Object data) { return KernReturn.KERN_SUCCESS; }
                """));
        assertTrue(kernel.unload("com.example.Leaky").isUnloaded(), "the leaked objects belong to the library");

        UnloadReport refused = kernel.unload("com.example.CounterLib");
        assertEquals(KextReturn.IN_USE, refused.result());
        assertEquals(List.of("Can't unload kext com.example.CounterLib; classes have instances:",
                "    Kext com.example.CounterLib class com.example.lib.Counter has 2 instances."), refused.messages());
    }

    @Test
    void aFailingStartUnloadsTheKextAndTheLibrariesItBroughtIn() {
        library();
        LoadReport report = kernel.load(driver("Refuser", """
                public int start(KmodInfo ki, Object data) { return KernReturn.KERN_FAILURE; }
                public int stop(KmodInfo ki, Object data) { return KernReturn.KERN_SUCCESS; }
                """));

        assertEquals(LoadReport.Status.FAILED, report.status());
        assertEquals(KextReturn.START_STOP_ERROR, report.result());
        assertEquals(List.of("Kext com.example.Refuser start failed (result 0x5)."), report.messages());
        assertFalse(kernel.loadedKext("com.example.Refuser").isPresent());
        assertFalse(kernel.loadedKext("com.example.CounterLib").isPresent(), "the library came in with the failed load");

        LoadReport retry = kernel.load(driver("Hello", CLEAN_MODULE));
        assertTrue(retry.isLoaded());
        assertEquals(10, kernel.loadedKext("com.example.CounterLib").orElseThrow().tag(), "tags 8 and 9 were burnt");
        assertEquals(11, kernel.loadedKext("com.example.Hello").orElseThrow().tag());
    }

    @Test
    void aThrowingStartIsReportedWithTheExceptionAndTheKextLine() {
        library();
        LoadReport report = kernel.load(driver("Thrower", """
                public int start(KmodInfo ki, Object data) {
                    throw new IllegalStateException("no hardware");
                }
                public int stop(KmodInfo ki, Object data) { return KernReturn.KERN_SUCCESS; }
                """));

        assertEquals(KextReturn.START_STOP_ERROR, report.result());
        String message = report.messages().get(0);
        assertTrue(message.startsWith("Kext com.example.Thrower start failed: its start routine threw "
                + "java.lang.IllegalStateException: no hardware (at com.example.Thrower//com.example.thrower.Module.start(Module.java:"), message);
    }

    @Test
    void aFailedLoadLeavesWhatWasLoadedBeforeUntouched() {
        library();
        kernel.load(driver("Hello", CLEAN_MODULE));
        List<LoadedKext> before = kernel.loadedKexts();

        kernel.load(driver("Refuser", """
                public int start(KmodInfo ki, Object data) { return 7; }
                public int stop(KmodInfo ki, Object data) { return 0; }
                """));

        assertEquals(before, kernel.loadedKexts());
        assertEquals(1, kernel.loadedKext("com.example.CounterLib").orElseThrow().refs());
    }

    @Test
    void refsFollowEveryLoadAndUnload() {
        library();
        kernel.load(driver("Hello", CLEAN_MODULE));
        LoadedKext lib = kernel.loadedKext("com.example.CounterLib").orElseThrow();
        assertEquals(1, lib.refs());
        kernel.load(driver("Other", CLEAN_MODULE));
        assertEquals(2, lib.refs());
        assertTrue(kernel.unload("com.example.Other").isUnloaded());
        assertEquals(1, lib.refs());
        assertTrue(kernel.unload("com.example.Hello").isUnloaded());
        assertEquals(0, lib.refs());
    }

    @Test
    void aFailingStopKeepsTheKextLoaded() {
        library();
        kernel.load(driver("Sticky", """
                public int start(KmodInfo ki, Object data) { return KernReturn.KERN_SUCCESS; }
                public int stop(KmodInfo ki, Object data) { return KernReturn.KERN_FAILURE; }
                """));

        UnloadReport report = kernel.unload("com.example.Sticky");

        assertEquals(KextReturn.START_STOP_ERROR, report.result());
        assertEquals(List.of("Kext com.example.Sticky can't unload - module stop returned 0x5."), report.messages());
        assertEquals(LoadedKext.State.STARTED, kernel.loadedKext("com.example.Sticky").orElseThrow().state());
    }

    @Test
    void referencingAnUndeclaredKextFailsAtLoadTimeNotAtFirstCall() {
        library();
        Path kext = TestKexts.write(dir, "Sneaky", identity("com.example.Sneaky", "Sneaky", "1.0.0")
                + libraries("com.apple.kpi.libkern", "8.0.0"),
                Map.of("com.example.sneaky.Module", """
                        package com.example.sneaky;
                        import org.kextkit.kit.libkern.*;
                        public class Module implements KextModule {
                            public int start(KmodInfo ki, Object data) { return KernReturn.KERN_SUCCESS; }
                            public int stop(KmodInfo ki, Object data) { new com.example.lib.Counter(); return 0; }
                        }
                        """), "com.example.sneaky.Module");

        LoadReport report = kernel.load(kernel.addKext(kext).bundle().orElseThrow());

        assertEquals(KextReturn.LINK_ERROR, report.result());
        String all = String.join("\n", report.messages());
        assertTrue(all.contains("com.example.lib.Counter"), all);
        assertTrue(all.contains("com.example.CounterLib"), all);
        assertTrue(all.contains("OSBundleLibraries"), all);
        assertFalse(kernel.loadedKext("com.example.Sneaky").isPresent());
    }

    @Test
    void loadingTheSameKextTwiceSucceedsButADifferentVersionIsRefused() {
        library();
        KextBundle hello = driver("Hello", CLEAN_MODULE);
        kernel.load(hello);
        assertEquals(LoadReport.Status.ALREADY_LOADED, kernel.load(hello).status());

        Path newer = TestKexts.write(dir.resolve("v2"), "Hello", identity("com.example.Hello", "Hello", "2.0.0")
                + libraries("com.apple.kpi.libkern", "8.0.0"), Map.of(), null);
        LoadReport refused = kernel.load(kernel.addKext(newer).bundle().orElseThrow());
        assertEquals(KextReturn.LOADED_VERSION_DIFFERS, refused.result());
        assertEquals(List.of("Can't load " + newer + " - a different version is already loaded."), refused.messages());
    }

    @Test
    void safeBootLoadsOnlyKextsThatDeclareOSBundleRequired() {
        HostedKernel safe = HostedKernel.boot(KernelSettings.defaults().withSafeBoot(true));
        try {
            Path plain = TestKexts.write(dir, "Plain", identity("com.example.Plain", "Plain", "1.0")
                    + libraries("com.apple.kpi.libkern", "8.0.0"), Map.of("p.A", "package p; public class A {}"), null);
            Path rooted = TestKexts.write(dir, "Rooted", identity("com.example.Rooted", "Rooted", "1.0")
                    + "<key>OSBundleRequired</key><string>Root</string>\n"
                    + libraries("com.apple.kpi.libkern", "8.0.0"), Map.of("r.A", "package r; public class A {}"), null);

            LoadReport refused = safe.load(safe.addKext(plain).bundle().orElseThrow());
            assertEquals(KextReturn.BOOT_LEVEL, refused.result());
            assertEquals(List.of("Can't load kext com.example.Plain - not loadable during safe boot."), refused.messages());
            assertTrue(safe.load(safe.addKext(rooted).bundle().orElseThrow()).isLoaded());
        } finally {
            safe.shutdown();
        }
    }

    @Test
    void aCodelessKextRegistersWithoutALoadTag() {
        Path kext = TestKexts.write(dir, "Injector", "<key>CFBundleIdentifier</key><string>com.example.Injector</string>\n"
                + "<key>CFBundlePackageType</key><string>KEXT</string>\n<key>CFBundleVersion</key><string>1.0</string>\n"
                + "<key>IOKitPersonalities</key><dict/>\n", Map.of(), null);
        int before = kernel.loadedKexts().size();

        LoadReport report = kernel.load(kernel.addKext(kext).bundle().orElseThrow());

        assertTrue(report.isLoaded(), report.messages().toString());
        assertEquals(before, kernel.loadedKexts().size());
    }

    @Test
    void kitCallsGoToTheKernelThatLoadedTheKextEvenWithTwoKernelsInOneJvm() {
        HostedKernel other = HostedKernel.boot(KernelSettings.defaults().withKernelVersion("24.6.0"));
        try {
            library();
            kernel.load(driver("Hello", CLEAN_MODULE));
            Path otherDir = dir.resolve("other");
            Path lib = TestKexts.write(otherDir, "CounterLib", identity("com.example.CounterLib", "CounterLib", "1.2.0")
                    + "<key>OSBundleCompatibleVersion</key><string>1.0</string>\n" + libraries("com.apple.kpi.libkern", "8.0.0"),
                    Map.of("com.example.lib.Counter", LIBRARY_SOURCE), null);
            other.addKext(lib);
            Path quiet = TestKexts.write(otherDir, "Quiet", identity("com.example.Quiet", "Quiet", "1.0")
                    + libraries("com.apple.kpi.libkern", "8.0.0"), Map.of("q.A", "package q; public class A {}"), null);
            assertTrue(other.load(other.addKext(quiet).bundle().orElseThrow()).isLoaded());

            assertTrue(kernel.logText().contains("com.example.Hello 1.0.0 started"));
            assertFalse(other.logText().contains("com.example.Hello"));
            assertNotEquals(kernel.loadedKext("com.apple.kpi.libkern").orElseThrow().version(),
                    other.loadedKext("com.apple.kpi.libkern").orElseThrow().version());
        } finally {
            other.shutdown();
        }
    }

    @Test
    void shutdownStopsDependentsBeforeTheirLibraries() {
        library();
        kernel.load(driver("Hello", CLEAN_MODULE));
        kernel.shutdown();

        String log = kernel.logText();
        int helloStop = log.indexOf("com.example.Hello stopped");
        int libUnload = log.indexOf("Kext com.example.CounterLib unloaded.");
        assertTrue(helloStop > 0 && libUnload > helloStop, log);
    }
}
