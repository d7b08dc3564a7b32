package org.kextkit.harness.check.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import org.kextkit.harness.lifecycle.HostedKernel;
import org.kextkit.harness.lifecycle.KernelPanickedException;
import org.kextkit.harness.lifecycle.KernelSettings;
import org.kextkit.harness.lifecycle.LoadReport;
import org.kextkit.harness.testing.TestKexts;

/** Each runtime check, on a small kext with exactly one defect, reports that check at that line and nothing else. */
class RuntimeChecksTest {
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

    /** A kext whose module has {@code start} and {@code stop} bodies; returns the source text too. */
    private record Kext(HostedKernel kernel, String source, String bundleId, Path path) {
        int line(String marker) {
            String[] lines = source.split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                if (lines[i].contains("// " + marker)) {
                    return i + 1;
                }
            }
            throw new AssertionError("no marker " + marker);
        }

        LoadReport load() {
            return kernel.load(kernel.addKext(path).bundle().orElseThrow());
        }
    }

    private Kext kext(String name, String fields, String start, String stop) {
        String pkg = name.toLowerCase();
        String source = HEADER.replace("PKG", pkg) + fields + "\n"
                + "    public int start(KmodInfo ki, Object data) {\n" + start + "\n        return KernReturn.KERN_SUCCESS;\n    }\n"
                + "    public int stop(KmodInfo ki, Object data) {\n" + stop + "\n        return KernReturn.KERN_SUCCESS;\n    }\n"
                + "}\n";
        Path path = TestKexts.write(dir, name, identity("com.example." + name, name, "1.0.0")
                + libraries("com.apple.kpi.libkern", "8.0.0", "com.apple.kpi.iokit", "8.0.0"),
                Map.of("com.example." + pkg + ".Module", source), "com.example." + pkg + ".Module");
        HostedKernel kernel = HostedKernel.boot(KernelSettings.defaults());
        kernels.add(kernel);
        return new Kext(kernel, source, "com.example." + name, path);
    }

    private static Finding only(HostedKernel kernel, String checkId) {
        List<Finding> findings = kernel.findings().list();
        assertEquals(List.of(checkId), findings.stream().map(Finding::checkId).collect(Collectors.toList()),
                () -> findings.toString());
        return findings.get(0);
    }

    private static void assertAt(Finding finding, Kext kext, String marker) {
        assertEquals("com.example." + kext.bundleId().substring("com.example.".length()).toLowerCase() + ".Module",
                finding.primarySite().className(), finding::toString);
        assertEquals(kext.line(marker), finding.primarySite().line(), finding::toString);
        assertEquals(kext.bundleId(), finding.bundleId());
    }

    @Test
    void aLockStillHeldWhenTheStartRoutineReturnsIsLckHeld() {
        Kext kext = kext("Holder", "static LckGrp grp; static LckMtx mtx;", """
                        grp = lck_grp_alloc_init("holder", null);
                        mtx = lck_mtx_alloc_init(grp, null);
                        lck_mtx_lock(mtx); // TAKEN
                """, "");
        assertTrue(kext.load().isLoaded());
        Finding finding = only(kext.kernel(), "LCK-HELD");
        assertAt(finding, kext, "TAKEN");
        assertTrue(finding.message().contains("start routine of com.example.Holder"), finding.message());
        assertEquals(1, kext.kernel().lockStatistics().get("holder").taken());
    }

    @Test
    void twoLocksTakenInBothOrdersOnOneThreadAreALockOrderInversionWithBothStacks() {
        Kext kext = kext("Order", "static LckGrp grp; static LckMtx a; static LckMtx b;", """
                        grp = lck_grp_alloc_init("order", null);
                        a = lck_mtx_alloc_init(grp, null);
                        b = lck_mtx_alloc_init(grp, null);
                        lck_mtx_lock(a);
                        lck_mtx_lock(b); // FIRST_ORDER
                        lck_mtx_unlock(b);
                        lck_mtx_unlock(a);
                        lck_mtx_lock(b);
                        lck_mtx_lock(a); // INVERTED
                        lck_mtx_unlock(a);
                        lck_mtx_unlock(b);
                """, """
                        lck_mtx_free(a, grp);
                        lck_mtx_free(b, grp);
                        lck_grp_free(grp);
                """);
        assertTrue(kext.load().isLoaded());
        Finding finding = only(kext.kernel(), "LCK-ORDER");
        assertAt(finding, kext, "INVERTED");
        assertTrue(finding.related().stream().anyMatch(r -> r.site().line() == kext.line("FIRST_ORDER")),
                finding::toString);
        LockStatistics stats = kext.kernel().lockStatistics().get("order");
        assertEquals(4, stats.taken());
        assertEquals(4L, kext.kernel().runtimeChecks().sysctl("kern.lockstat.order.").get("kern.lockstat.order.taken"));
        assertTrue(kext.kernel().unload("com.example.Order").result().isSuccess()
                || kext.kernel().loadedKext("com.example.Order").isEmpty());
        assertEquals(1, kext.kernel().findings().list().size());
    }

    @Test
    void aMutexTakenWhileHoldingASpinLockIsLck7() {
        Kext kext = kext("Blocker", "static LckGrp grp; static LckMtx mtx; static LckSpin spin;", """
                        grp = lck_grp_alloc_init("blocker", null);
                        mtx = lck_mtx_alloc_init(grp, null);
                        spin = lck_spin_alloc_init(grp, null);
                        lck_spin_lock(spin);
                        lck_mtx_lock(mtx); // BLOCKS
                        lck_mtx_unlock(mtx);
                        lck_spin_unlock(spin);
                """, """
                        lck_mtx_free(mtx, grp);
                        lck_spin_free(spin, grp);
                        lck_grp_free(grp);
                """);
        assertTrue(kext.load().isLoaded());
        assertAt(only(kext.kernel(), "LCK-7"), kext, "BLOCKS");
    }

    @Test
    void aDoubleFreeIsMem3WithTheFirstFreeAndPanics() {
        Kext kext = kext("Twice", "", """
                        KernelBuffer buf = IOMalloc(64);
                        IOFree(buf, 64); // FIRST
                        IOFree(buf, 64); // SECOND
                """, "");
        assertThrows(KernelPanickedException.class, kext::load);
        Finding finding = only(kext.kernel(), "MEM-3");
        assertAt(finding, kext, "SECOND");
        assertTrue(finding.related().stream().anyMatch(r -> r.site().line() == kext.line("FIRST")), finding::toString);
    }

    @Test
    void memoryStillAllocatedAtUnloadIsMem4PerSite() {
        Kext kext = kext("Leaky", "static KernelBuffer kept;", """
                        kept = IOMalloc(128); // LEAK
                """, "");
        assertTrue(kext.load().isLoaded());
        assertTrue(kext.kernel().findings().list().isEmpty());
        kext.kernel().unload("com.example.Leaky");
        Finding finding = only(kext.kernel(), "MEM-4");
        assertAt(finding, kext, "LEAK");
        assertTrue(finding.message().contains("128 bytes"), finding.message());
    }

    @Test
    void aLockNeverFreedIsLck1AtUnload() {
        Kext kext = kext("Lockleak", "static LckGrp grp; static LckMtx mtx;", """
                        grp = lck_grp_alloc_init("lockleak", null);
                        mtx = lck_mtx_alloc_init(grp, null); // MADE
                """, """
                        lck_grp_free(grp);
                """);
        assertTrue(kext.load().isLoaded());
        kext.kernel().unload("com.example.Lockleak");
        List<String> ids = kext.kernel().findings().list().stream().map(Finding::checkId).collect(Collectors.toList());
        // freeing the group with its lock alive is LCK-3; the lock itself is LCK-1 at unload
        assertEquals(List.of("LCK-3", "LCK-1"), ids, () -> kext.kernel().findings().list().toString());
        assertAt(kext.kernel().findings().list().get(1), kext, "MADE");
    }

    @Test
    void aZeroSizeAllocationIsMemZero() {
        Kext kext = kext("Zero", "", """
                        KernelBuffer none = IOMalloc(0); // ZERO
                        IOFree(none, 0);
                """, "");
        assertTrue(kext.load().isLoaded());
        assertAt(only(kext.kernel(), "MEM-ZERO"), kext, "ZERO");
    }

    @Test
    void aRecursiveMutexAcquisitionIsLck5AndPanics() {
        Kext kext = kext("Again", "static LckGrp grp; static LckMtx mtx;", """
                        grp = lck_grp_alloc_init("again", null);
                        mtx = lck_mtx_alloc_init(grp, null);
                        lck_mtx_lock(mtx); // ONCE
                        lck_mtx_lock(mtx); // TWICE
                """, "");
        assertThrows(KernelPanickedException.class, kext::load);
        Finding finding = only(kext.kernel(), "LCK-5");
        assertAt(finding, kext, "TWICE");
        assertTrue(finding.related().stream().anyMatch(r -> r.site().line() == kext.line("ONCE")), finding::toString);
    }

    @Test
    void aCleanKextHasNoFindings() {
        Kext kext = kext("Clean", "static LckGrp grp; static LckMtx mtx; static KernelBuffer buf;", """
                        grp = lck_grp_alloc_init("clean", null);
                        mtx = lck_mtx_alloc_init(grp, null);
                        lck_mtx_lock(mtx);
                        buf = IOMalloc(32);
                        lck_mtx_unlock(mtx);
                """, """
                        IOFree(buf, 32);
                        lck_mtx_free(mtx, grp);
                        lck_grp_free(grp);
                """);
        assertTrue(kext.load().isLoaded());
        kext.kernel().unload("com.example.Clean");
        assertFalse(kext.kernel().loadedKext("com.example.Clean").isPresent());
        assertEquals(List.of(), kext.kernel().findings().list());
    }

    @Test
    void aLockAndAllocationHeavyWorkloadRunsCleanWithChecksOnAndOff() {
        String loop = """
                        LckGrp grp = lck_grp_alloc_init("busy", null);
                        LckMtx a = lck_mtx_alloc_init(grp, null);
                        LckMtx b = lck_mtx_alloc_init(grp, null);
                        for (int i = 0; i < 2000; i++) {
                            lck_mtx_lock(a);
                            lck_mtx_lock(b);
                            KernelBuffer buf = IOMalloc(16);
                            IOFree(buf, 16);
                            lck_mtx_unlock(b);
                            lck_mtx_unlock(a);
                        }
                        lck_mtx_free(a, grp);
                        lck_mtx_free(b, grp);
                        lck_grp_free(grp);
                """;
        // Its cost with the checks on and off is measured by the benchmarks' CheckOverheadBenchmark.
        for (int checked = 0; checked < 2; checked++) {
            Kext kext = kext("Busy" + checked, "", loop, "");
            kext.kernel().runtimeChecks().setEnabled(checked == 1);
            assertTrue(kext.load().isLoaded());
            assertEquals(List.of(), kext.kernel().findings().list());
        }
    }
}
