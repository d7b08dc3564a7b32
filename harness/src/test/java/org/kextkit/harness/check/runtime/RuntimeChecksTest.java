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
            import static org.kextkit.kit.iokit.IOLocks.*;
            import static org.kextkit.kit.libkern.OSMalloc.*;
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

    /** Return the only finding, which has {@code checkId}; besides it, a kernel that panicked has its PANIC finding. */
    private static Finding only(HostedKernel kernel, String checkId) {
        List<Finding> all = kernel.findings().list();
        List<Finding> findings = all.stream().filter(f -> !f.checkId().equals("PANIC")).collect(Collectors.toList());
        assertEquals(kernel.hasPanicked() ? 1 : 0, all.size() - findings.size(), () -> all.toString());
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

    // ---- objects and teardown ------------------------------------------------------------------

    private static final String THING = "static class Thing extends OSObject { }\n";

    private static boolean relatedAt(Finding finding, Kext kext, String role, String marker) {
        return finding.related().stream().anyMatch(r -> r.role().startsWith(role) && r.site().line() == kext.line(marker));
    }

    @Test
    void releasingAnObjectOnceTooOftenIsObj1WithWhereItWasMadeAndFreedAndPanics() {
        Kext kext = kext("Overrelease", THING, """
                        Thing thing = new Thing(); // MADE
                        thing.release(); // FREED
                        thing.release(); // AGAIN
                """, "");
        assertThrows(KernelPanickedException.class, kext::load);
        Finding finding = only(kext.kernel(), "OBJ-1");
        assertAt(finding, kext, "AGAIN");
        assertTrue(relatedAt(finding, kext, "created", "MADE"), finding::toString);
        assertTrue(relatedAt(finding, kext, "freed", "FREED"), finding::toString);
        assertTrue(kext.kernel().panicReport().orElseThrow().toString().contains("over-released"));
    }

    @Test
    void retainingAFreedObjectIsObj2AndPanics() {
        Kext kext = kext("Lateretain", THING, """
                        Thing thing = new Thing(); // MADE
                        thing.release(); // FREED
                        thing.retain(); // RETAIN
                """, "");
        assertThrows(KernelPanickedException.class, kext::load);
        Finding finding = only(kext.kernel(), "OBJ-2");
        assertAt(finding, kext, "RETAIN");
        assertTrue(relatedAt(finding, kext, "created", "MADE"), finding::toString);
        assertTrue(relatedAt(finding, kext, "freed", "FREED"), finding::toString);
    }

    @Test
    void anInstanceStillAliveAtUnloadRefusesItWithObj3ListingWhereEachWasCreated() {
        Kext kext = kext("Keeper", THING + "static Thing kept; static Thing other;", """
                        kept = new Thing(); // KEPT
                        other = new Thing(); // OTHER
                """, "");
        assertTrue(kext.load().isLoaded());
        assertFalse(kext.kernel().unload("com.example.Keeper").isUnloaded());
        Finding finding = only(kext.kernel(), "OBJ-3");
        assertAt(finding, kext, "KEPT");
        assertTrue(finding.message().startsWith("Can't unload kext com.example.Keeper; classes have instances:"),
                finding.message());
        assertTrue(finding.message().contains("com.example.keeper.Module$Thing (2 instances)"), finding.message());
        assertTrue(relatedAt(finding, kext, "com.example.keeper.Module$Thing instance created", "KEPT"),
                finding::toString);
        assertTrue(relatedAt(finding, kext, "com.example.keeper.Module$Thing instance created", "OTHER"),
                finding::toString);
    }

    @Test
    void releasingAnEventSourceStillOnItsWorkLoopIsWl1() {
        Kext kext = kext("Wl1", "static IOWorkLoop loop;", """
                        loop = IOWorkLoop.workLoop();
                        IOTimerEventSource timer = IOTimerEventSource.timerEventSource(null, (o, s) -> { });
                        loop.addEventSource(timer);
                        timer.release(); // RELEASED
                """, """
                        loop.release();
                """);
        assertTrue(kext.load().isLoaded());
        assertAt(only(kext.kernel(), "WL-1"), kext, "RELEASED");
        assertTrue(kext.kernel().unload("com.example.Wl1").isUnloaded());
        assertEquals(1, kext.kernel().findings().list().size(), () -> kext.kernel().findings().list().toString());
    }

    @Test
    void removingAnArmedTimerIsWl2() {
        Kext kext = kext("Wl2", "", """
                        IOWorkLoop loop = IOWorkLoop.workLoop();
                        IOTimerEventSource timer = IOTimerEventSource.timerEventSource(null, (o, s) -> { }); // MADE
                        loop.addEventSource(timer);
                        timer.setTimeoutMS(5000);
                        loop.removeEventSource(timer); // REMOVED
                        timer.cancelTimeout();
                        timer.release();
                        loop.release();
                """, "");
        assertTrue(kext.load().isLoaded());
        Finding finding = only(kext.kernel(), "WL-2");
        assertAt(finding, kext, "REMOVED");
        assertTrue(relatedAt(finding, kext, "created", "MADE"), finding::toString);
    }

    @Test
    void aWorkLoopAndAnArmedTimerLeftAtUnloadAreWlLiveAndWl2AtTheirCreationSites() {
        Kext kext = kext("Leftover", "static IOWorkLoop loop; static IOTimerEventSource timer;", """
                        loop = IOWorkLoop.workLoop(); // LOOP
                        timer = IOTimerEventSource.timerEventSource(null, (o, s) -> { }); // TIMER
                        loop.addEventSource(timer);
                        timer.setTimeoutMS(60000);
                """, "");
        assertTrue(kext.load().isLoaded());
        assertEquals(List.of(), kext.kernel().findings().list());
        assertTrue(kext.kernel().unload("com.example.Leftover").isUnloaded());
        List<String> found = kext.kernel().findings().list().stream()
                .map(f -> f.checkId() + "@" + f.primarySite().line()).sorted().collect(Collectors.toList());
        assertEquals(List.of("WL-2@" + kext.line("TIMER"), "WL-LIVE@" + kext.line("LOOP"), "WL-LIVE@" + kext.line("TIMER"))
                .stream().sorted().collect(Collectors.toList()), found, () -> kext.kernel().findings().list().toString());
        assertTrue(kext.kernel().findings().list().stream().allMatch(f -> "com.example.Leftover".equals(f.bundleId())
                && "1.0.0".equals(f.bundleVersion())));
    }

    @Test
    void commandSleepWithoutTheGateIsWl4AndPanics() {
        Kext kext = kext("Sleeper", "", """
                        IOWorkLoop loop = IOWorkLoop.workLoop();
                        IOCommandGate gate = IOCommandGate.commandGate(null);
                        loop.addEventSource(gate);
                        gate.commandSleep(gate, 0); // SLEEP
                """, "");
        assertThrows(KernelPanickedException.class, kext::load);
        assertAt(only(kext.kernel(), "WL-4"), kext, "SLEEP");
        assertTrue(kext.kernel().panicReport().orElseThrow().toString().contains("invalid commandSleep"));
    }

    @Test
    void aDescriptorFreedWhilePreparedIsMdPrepared() {
        Kext kext = kext("Wired", "", """
                        KernelBuffer buf = IOMalloc(256);
                        IOMemoryDescriptor md = IOMemoryDescriptor.withAddress(buf, 256, IOMemoryDescriptor.kIODirectionOut); // MADE
                        md.prepare();
                        md.release(); // FREED
                        IOFree(buf, 256);
                """, "");
        assertTrue(kext.load().isLoaded());
        Finding finding = only(kext.kernel(), "MD-PREPARED");
        assertAt(finding, kext, "FREED");
        assertTrue(relatedAt(finding, kext, "created", "MADE"), finding::toString);
    }

    @Test
    void aDescriptorStillPreparedAtUnloadIsMdPreparedAtItsCreation() {
        Kext kext = kext("Stillwired", "static KernelBuffer buf; static IOMemoryDescriptor md;", """
                        buf = IOMalloc(256);
                        md = IOMemoryDescriptor.withAddress(buf, 256, IOMemoryDescriptor.kIODirectionOut); // MADE
                        md.prepare();
                """, """
                        IOFree(buf, 256);
                """);
        assertTrue(kext.load().isLoaded());
        assertTrue(kext.kernel().unload("com.example.Stillwired").isUnloaded());
        Finding finding = only(kext.kernel(), "MD-PREPARED");
        assertAt(finding, kext, "MADE");
        assertTrue(finding.message().contains("256 bytes"), finding.message());
    }

    // ---- lock and memory checks without a test of their own so far -----------------------------

    @Test
    void aSpinLockHeldPastTheThresholdIsLckLong() {
        Kext kext = kext("Longhold", "static LckGrp grp; static LckSpin spin;", """
                        grp = lck_grp_alloc_init("longhold", null);
                        spin = lck_spin_alloc_init(grp, null);
                        lck_spin_lock(spin); // TAKEN
                        IODelay(20000);
                        lck_spin_unlock(spin);
                """, """
                        lck_spin_free(spin, grp);
                        lck_grp_free(grp);
                """);
        assertTrue(kext.load().isLoaded());
        Finding finding = only(kext.kernel(), "LCK-LONG");
        assertAt(finding, kext, "TAKEN");
        assertTrue(finding.message().contains("threshold 10000 us"), finding.message());
    }

    @Test
    void aLockFreedWithAnotherGroupIsLck2WithoutPanic() {
        Kext kext = kext("Wronggroup", "static LckGrp rx; static LckGrp tx;", """
                        rx = lck_grp_alloc_init("rx", null);
                        tx = lck_grp_alloc_init("tx", null);
                        LckMtx m = lck_mtx_alloc_init(rx, null); // MADE
                        lck_mtx_free(m, tx); // WRONG
                """, "");
        assertTrue(kext.load().isLoaded());
        Finding finding = only(kext.kernel(), "LCK-2");
        assertAt(finding, kext, "WRONG");
        assertTrue(relatedAt(finding, kext, "allocated", "MADE"), finding::toString);
    }

    @Test
    void aLockFreedWhileHeldIsLck4AndPanics() {
        Kext kext = kext("Freeheld", "", """
                        LckGrp grp = lck_grp_alloc_init("freeheld", null);
                        LckMtx m = lck_mtx_alloc_init(grp, null);
                        lck_mtx_lock(m);
                        lck_mtx_free(m, grp); // FREED
                """, "");
        assertThrows(KernelPanickedException.class, kext::load);
        assertAt(only(kext.kernel(), "LCK-4"), kext, "FREED");
    }

    @Test
    void unlockingALockThatIsNotHeldIsLck6AndPanics() {
        Kext kext = kext("Notheld", "", """
                        LckGrp grp = lck_grp_alloc_init("notheld", null);
                        LckMtx m = lck_mtx_alloc_init(grp, null);
                        lck_mtx_unlock(m); // UNLOCK
                """, "");
        assertThrows(KernelPanickedException.class, kext::load);
        assertAt(only(kext.kernel(), "LCK-6"), kext, "UNLOCK");
    }

    @Test
    void freeingATagWithLiveBlocksIsMem5() {
        Kext kext = kext("Tagged", "static OSMallocTag tag; static KernelBuffer block;", """
                        tag = OSMalloc_Tagalloc("com.example.tagged", 0);
                        block = OSMalloc(64, tag);
                        OSMalloc_Tagfree(tag); // TAGFREE
                        OSFree(block, 64, tag);
                """, "");
        assertTrue(kext.load().isLoaded());
        assertAt(only(kext.kernel(), "MEM-5"), kext, "TAGFREE");
    }

    @Test
    void aWriteToFreedMemoryIsMemUafWithTheFreeSiteAndPanics() {
        Kext kext = kext("Uaf", "", """
                        KernelBuffer buf = IOMalloc(64); // ALLOC
                        IOFree(buf, 64); // FREED
                        buf.write32(0, 1); // USE
                """, "");
        assertThrows(KernelPanickedException.class, kext::load);
        Finding finding = only(kext.kernel(), "MEM-UAF");
        assertAt(finding, kext, "USE");
        assertTrue(relatedAt(finding, kext, "allocated by IOMalloc", "ALLOC"), finding::toString);
        assertTrue(relatedAt(finding, kext, "freed", "FREED"), finding::toString);
    }

    @Test
    void aWritePastTheEndIsMemOobAndPanics() {
        Kext kext = kext("Oob", "", """
                        KernelBuffer buf = IOMalloc(64); // ALLOC
                        buf.write32(64, 1); // PAST
                """, "");
        assertThrows(KernelPanickedException.class, kext::load);
        Finding finding = only(kext.kernel(), "MEM-OOB");
        assertAt(finding, kext, "PAST");
        assertTrue(relatedAt(finding, kext, "allocated by IOMalloc", "ALLOC"), finding::toString);
    }

    @Test
    void freeingWithAnotherSizeIsMem2AndPanics() {
        Kext kext = kext("Size", "", """
                        KernelBuffer buf = IOMalloc(64); // ALLOC
                        IOFree(buf, 32); // SIZE
                """, "");
        assertThrows(KernelPanickedException.class, kext::load);
        Finding finding = only(kext.kernel(), "MEM-2");
        assertAt(finding, kext, "SIZE");
        assertTrue(relatedAt(finding, kext, "allocated by IOMalloc", "ALLOC"), finding::toString);
    }

    @Test
    void freeingWithTheWrongFunctionIsMem1AndPanics() {
        Kext kext = kext("Allocator", "", """
                        KernelBuffer buf = IOMallocAligned(4096, 4096); // ALLOC
                        IOFree(buf, 4096); // MISMATCH
                """, "");
        assertThrows(KernelPanickedException.class, kext::load);
        Finding finding = only(kext.kernel(), "MEM-1");
        assertAt(finding, kext, "MISMATCH");
        assertTrue(relatedAt(finding, kext, "allocated by IOMallocAligned", "ALLOC"), finding::toString);
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
