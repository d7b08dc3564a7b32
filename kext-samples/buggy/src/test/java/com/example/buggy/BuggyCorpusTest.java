package com.example.buggy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.kextkit.harness.check.Finding;
import org.kextkit.harness.lifecycle.HostedKernel;
import org.kextkit.harness.lifecycle.KernelPanickedException;
import org.kextkit.harness.lifecycle.PanicReport;
import org.kextkit.harness.lifecycle.UnloadReport;
import org.kextkit.harness.lifecycle.KextReturn;
import org.kextkit.samples.testing.SampleKernel;

/**
 * Each kext of the buggy corpus, loaded and run until its defect happens, makes the harness report
 * exactly one finding: the defect's check id, blaming the kext, at the line the sample marks with
 * {@code // BUG: <check id>}. Defects that panic the kernel leave a readable panic report naming the
 * kext, and a kernel that can still be inspected.
 */
class BuggyCorpusTest {
    /** What a case does after loading the kext. */
    enum Then { NOTHING, UNLOAD }

    /** One defect class: the sample that has it, its check id, how to reach it, and whether it panics. */
    enum Defect {
        ERROR_PATH_LOCK_LEAK("StatsLockLeak", "LCK-HELD", Then.NOTHING, false),
        DOUBLE_FREE_AFTER_FAILED_SETUP("RingDoubleFree", "MEM-3", Then.UNLOAD, true),
        LOCK_ORDER_INVERSION_ON_TWO_PATHS("QueueLockOrder", "LCK-ORDER", Then.UNLOAD, false),
        RECURSIVE_MUTEX_ACQUISITION("ReentrantHandler", "LCK-5", Then.NOTHING, true),
        UNLOCK_ON_ERROR_PATH_WITHOUT_LOCK("UnbalancedUnlock", "LCK-6", Then.NOTHING, true),
        LOCK_FREED_WHILE_HELD("DrainFreesHeldLock", "LCK-4", Then.UNLOAD, true),
        LOCK_FREED_WITH_WRONG_GROUP("WrongLockGroup", "LCK-2", Then.UNLOAD, false),
        LOCK_GROUP_FREED_WITH_LIVE_LOCKS("GroupFreedFirst", "LCK-3", Then.UNLOAD, false),
        LOCK_NEVER_FREED("LockLeftAlive", "LCK-1", Then.UNLOAD, false),
        SLEEP_WITH_SPIN_LOCK_HELD("SpinSleeper", "LCK-7", Then.UNLOAD, false),
        SPIN_LOCK_HELD_WHILE_POLLING("SpinPoller", "LCK-LONG", Then.UNLOAD, false),
        ALIGNED_ALLOCATION_FREED_WITH_IOFREE("AlignedFreeMismatch", "MEM-1", Then.UNLOAD, true),
        FREE_WITH_WRONG_SIZE("HeaderSizeFree", "MEM-2", Then.NOTHING, true),
        FREE_OF_INTERIOR_POINTER("InteriorFree", "MEM-INVALID-FREE", Then.NOTHING, true),
        USE_AFTER_FREE_OF_COMMAND_BUFFER("CommandUseAfterFree", "MEM-UAF", Then.NOTHING, true),
        READ_PAST_THE_END("TrailerOverread", "MEM-OOB", Then.NOTHING, true),
        ZERO_SIZE_ALLOCATION("EmptyTableAlloc", "MEM-ZERO", Then.UNLOAD, false),
        BUFFER_LEAKED_AT_UNLOAD("UnloadLeak", "MEM-4", Then.UNLOAD, false),
        OSMALLOC_TAG_FREED_WITH_LIVE_BLOCKS("TagFreedEarly", "MEM-5", Then.UNLOAD, false),
        OSOBJECT_LEAKED_SO_UNLOAD_IS_REFUSED("LeakedRuleObject", "OBJ-3", Then.UNLOAD, false),
        RECURSIVE_DESCRIPTOR_WALK("DescriptorWalk", "STK-RECURSION", Then.UNLOAD, false),
        STACK_OVERFLOW_IN_DATA_DRIVEN_WALK("ChainOverflow", "STK-OVERFLOW", Then.NOTHING, true),
        LARGE_STACK_FRAME("WideFrame", "STK-FRAME", Then.UNLOAD, false),
        USER_SPACE_API("ConsoleLogger", "API-USER", Then.UNLOAD, false),
        FLOATING_POINT("FloatThroughput", "API-FLOAT", Then.UNLOAD, false),
        RESERVED_CLASS_PREFIX("ReservedPrefix", "STY-NAME", Then.UNLOAD, false);

        final String kext;
        final String checkId;
        final Then then;
        final boolean panics;

        Defect(String kext, String checkId, Then then, boolean panics) {
            this.kext = kext;
            this.checkId = checkId;
            this.then = then;
            this.panics = panics;
        }

        String bundleId() {
            return "org.kextkit.sample.buggy." + kext;
        }

        Path bundle() {
            return Path.of(System.getProperty("buggy.kexts", "target/kexts"), kext + ".kext");
        }

        Path sources() {
            return Path.of(System.getProperty("buggy.sources", "src/main/java"), "com/example/buggy", kext.toLowerCase());
        }
    }

    /** Where a sample marks its defect: the class and the line of its {@code // BUG: ID} comment. */
    record Marker(String className, int line) {
        static Marker of(Defect defect) {
            String tag = "// BUG: " + defect.checkId;
            try (Stream<Path> files = Files.list(defect.sources())) {
                List<Marker> found = files.filter(f -> f.toString().endsWith(".java")).sorted().flatMap(file -> {
                    List<String> lines = read(file);
                    String name = file.getFileName().toString().replace(".java", "");
                    return java.util.stream.IntStream.range(0, lines.size())
                            .filter(i -> lines.get(i).contains(tag))
                            .mapToObj(i -> new Marker("com.example.buggy." + defect.kext.toLowerCase() + "." + name, i + 1));
                }).collect(Collectors.toList());
                assertEquals(1, found.size(), () -> defect.sources() + " must mark exactly one line with " + tag + ": " + found);
                return found.get(0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static List<String> read(Path file) {
            try {
                return Files.readAllLines(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @ParameterizedTest(name = "{0}: {1}")
    @EnumSource(Defect.class)
    void eachDefectIsReportedOnceWithItsCheckIdAtItsLineAndNothingElse(Defect defect) {
        Marker marker = Marker.of(defect);
        try (SampleKernel sample = SampleKernel.boot(defect.bundle())) {
            HostedKernel kernel = sample.kernel();
            UnloadReport unload = null;
            try {
                sample.load();
                if (defect.then == Then.UNLOAD && !kernel.hasPanicked()) {
                    unload = sample.unload();
                }
            } catch (KernelPanickedException expected) {
                // the panic report is checked below
            }

            List<Finding> findings = kernel.findings().list();
            String all = findings.stream().map(Finding::toString).collect(Collectors.joining("\n"));
            assertEquals(List.of(defect.checkId), findings.stream().map(Finding::checkId).collect(Collectors.toList()),
                    () -> "findings of " + defect.kext + ":\n" + all + "\nkernel log:\n" + kernel.logText());
            Finding finding = findings.get(0);
            assertEquals(defect.bundleId(), finding.bundleId(), all);
            assertEquals(marker.className(), finding.primarySite().className(), all);
            assertEquals(marker.line(), finding.primarySite().line(), all);
            if (defect.checkId.equals("OBJ-3")) {
                // OBJ-3 also names the class with live instances, and the unload is refused.
                assertTrue(finding.message().contains("com.example.buggy.leakedruleobject.FilterRule (1 instance)"), all);
                assertEquals(KextReturn.IN_USE, unload.result(), "the unload must be refused: " + unload);
            }

            assertEquals(defect.panics, kernel.hasPanicked(), () -> "panicked: " + kernel.panicReport());
            if (defect.panics) {
                PanicReport report = kernel.panicReport().orElseThrow();
                assertFalse(report.panicString().isBlank());
                assertTrue(report.kextsInBacktrace().stream().anyMatch(k -> k.bundleId().equals(defect.bundleId())),
                        report::text);
                assertTrue(report.text().contains(defect.bundleId()), report::text);
                assertTrue(report.backtrace().stream().anyMatch(f -> f.getClassName().equals(marker.className())),
                        report::text);
                // After the panic the kernel can still be inspected: loaded kexts, the registry, the findings.
                assertTrue(kernel.loadedKexts().stream().anyMatch(k -> k.bundle().identifier().equals(defect.bundleId())),
                        () -> kernel.loadedKexts().toString());
                assertFalse(kernel.iokit().services().isEmpty());
                assertEquals(findings, kernel.findings().list());
            }
        }
    }
}
