package org.kextkit.harness.check.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kextkit.harness.testing.TestKexts.identity;
import static org.kextkit.harness.testing.TestKexts.libraries;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kextkit.harness.check.Finding;
import org.kextkit.harness.check.instrument.FrameEstimate;
import org.kextkit.harness.check.instrument.InstrumentSettings;
import org.kextkit.harness.lifecycle.HostedKernel;
import org.kextkit.harness.lifecycle.KernelSettings;
import org.kextkit.harness.testing.TestKexts;
import org.kextkit.kit.internal.HeapAllocation;

/**
 * Lock acquisition and allocation sites stay exact when they come from instrumented kext code's own
 * account of its call lines (and from the stacks remembered per call path) instead of a stack walk.
 */
class AcquisitionSitesTest {
    @TempDir
    Path dir;
    private final List<HostedKernel> kernels = new ArrayList<>();

    @AfterEach
    void shutdown() {
        kernels.forEach(HostedKernel::shutdown);
    }

    private static final String HEADER = """
            package com.example.PKG;
            import org.kextkit.kit.libkern.*;
            import org.kextkit.kit.iokit.*;
            import static org.kextkit.kit.libkern.Locks.*;
            import static org.kextkit.kit.iokit.IOLib.*;
            public class Module implements KextModule {
            """;

    private record Kext(HostedKernel kernel, String source, Path path) {
        int line(String marker) {
            String[] lines = source.split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                if (lines[i].contains("// " + marker)) {
                    return i + 1;
                }
            }
            throw new AssertionError("no marker " + marker);
        }

        boolean load() {
            return kernel.load(kernel.addKext(path).bundle().orElseThrow()).isLoaded();
        }
    }

    private Kext kext(String name, String members, String start, KernelSettings settings) {
        String pkg = name.toLowerCase();
        String source = HEADER.replace("PKG", pkg) + members + "\n"
                + "    public int start(KmodInfo ki, Object data) {\n" + start + "\n        return KernReturn.KERN_SUCCESS;\n    }\n"
                + "    public int stop(KmodInfo ki, Object data) {\n        return KernReturn.KERN_SUCCESS;\n    }\n"
                + "}\n";
        Path path = TestKexts.write(dir.resolve(name + settings.instrumentation().enabled()), name,
                identity("com.example." + name, name, "1.0.0")
                        + libraries("com.apple.kpi.libkern", "8.0.0", "com.apple.kpi.iokit", "8.0.0"),
                Map.of("com.example." + pkg + ".Module", source), "com.example." + pkg + ".Module");
        HostedKernel kernel = HostedKernel.boot(settings);
        kernels.add(kernel);
        return new Kext(kernel, source, path);
    }

    private static Finding only(HostedKernel kernel, String checkId) {
        List<Finding> findings = kernel.findings().list();
        assertEquals(List.of(checkId), findings.stream().map(Finding::checkId).collect(Collectors.toList()),
                findings::toString);
        return findings.get(0);
    }

    @Test
    void aLockTakenAgainOnAnotherLineOfTheSameMethodIsReportedAtThatLine() {
        Kext kext = kext("Twice", "static LckGrp grp; static LckMtx mtx;", """
                        grp = lck_grp_alloc_init("twice", null);
                        mtx = lck_mtx_alloc_init(grp, null);
                        for (int i = 0; i < 3; i++) {
                            lck_mtx_lock(mtx); // RELEASED
                            lck_mtx_unlock(mtx);
                        }
                        lck_mtx_lock(mtx); // KEPT
                """, KernelSettings.defaults());
        assertTrue(kext.load());
        Finding finding = only(kext.kernel(), "LCK-HELD");
        assertEquals(kext.line("KEPT"), finding.primarySite().line(), finding::toString);
        assertEquals("start", finding.primarySite().methodName());
    }

    @Test
    void aLockOrderInversionInAHelperNamesBothCallersLines() {
        Kext kext = kext("Helper", """
                    static LckGrp grp; static LckMtx a; static LckMtx b;
                    static void both(LckMtx first, LckMtx second) {
                        lck_mtx_lock(first); // OUTER
                        lck_mtx_lock(second); // INNER
                        lck_mtx_unlock(second);
                        lck_mtx_unlock(first);
                    }
                """, """
                        grp = lck_grp_alloc_init("helper", null);
                        a = lck_mtx_alloc_init(grp, null);
                        b = lck_mtx_alloc_init(grp, null);
                        for (int i = 0; i < 3; i++) {
                            both(a, b); // AB
                        }
                        both(b, a); // BA
                """, KernelSettings.defaults());
        assertTrue(kext.load());
        Finding finding = only(kext.kernel(), "LCK-ORDER");
        assertEquals(kext.line("INNER"), finding.primarySite().line(), finding::toString);
        List<String> related = finding.related().stream().map(r -> r.role().trim() + " " + r.site().methodName() + ":"
                + r.site().line()).collect(Collectors.toList());
        assertEquals(List.of(
                "holding this lock, taken both:" + kext.line("OUTER"),
                "called start:" + kext.line("BA"),
                "the other order: first lock taken both:" + kext.line("OUTER"),
                "called start:" + kext.line("AB"),
                "the other order: second lock taken both:" + kext.line("INNER"),
                "called start:" + kext.line("AB")), related, finding::toString);
    }

    @Test
    void allocationSitesFromInstrumentedCodeAreTheSitesAStackWalkFinds() {
        String members = """
                    static KernelBuffer[] kept = new KernelBuffer[4];
                    static KernelBuffer make(int size) {
                        return IOMalloc(size); // HELPER
                    }
                """;
        String start = """
                        kept[0] = IOMalloc(16); // DIRECT
                        kept[1] = make(32); // VIA_HELPER
                        KernelBuffer gone = IOMalloc(8);
                        IOFree(gone, 8); // FREED
                        for (int i = 2; i < 4; i++) {
                            kept[i] = IOMalloc(64); // LOOP
                        }
                """;
        KernelSettings instrumented = KernelSettings.defaults();
        KernelSettings plain = instrumented.withInstrumentation(
                new InstrumentSettings(false, FrameEstimate.DEFAULT_STACK_BUDGET));
        List<List<StackTraceElement>> sites = new ArrayList<>();
        for (KernelSettings settings : List.of(instrumented, plain)) {
            Kext kext = kext("Sites", members, start, settings);
            assertEquals(settings.instrumentation().enabled(), kext.kernel().instrumenter().isPresent());
            assertTrue(kext.load());
            List<StackTraceElement> kextSites = kext.kernel().heap().liveAllocations().stream()
                    .filter(a -> a.caller() != null && a.caller().getName().startsWith("com.example."))
                    .map(HeapAllocation::site).collect(Collectors.toList());
            assertEquals(List.of(kext.line("DIRECT"), kext.line("HELPER"), kext.line("LOOP"), kext.line("LOOP")),
                    kextSites.stream().map(StackTraceElement::getLineNumber).collect(Collectors.toList()),
                    kextSites::toString);
            sites.add(kextSites);
        }
        assertEquals(sites.get(1), sites.get(0));
        assertEquals(sites.get(1).toString(), sites.get(0).toString());
    }
}
