package com.example.buggy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.kextkit.hardware.pci.models.NicDevice;
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
    enum Then {
        NOTHING,
        UNLOAD,
        /** A driver of the NIC (PCI slot 2): wait until it has started, then unload the kext. */
        DRIVER_UNLOAD,
        /**
         * A driver of the NIC: wait until it has started, pull the cable (the NIC raises its link
         * interrupt, MSI vector 0), run 1 ms of kernel time for the interrupt to be handled, then
         * unload the kext.
         */
        LINK_DOWN_UNLOAD;

        boolean driver() {
            return this == DRIVER_UNLOAD || this == LINK_DOWN_UNLOAD;
        }
    }

    /** The PCI slot of the NIC on the default machine, which the driver samples match. */
    static final int NIC_SLOT = 2;

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
        SYSCTL_LEFT_REGISTERED_AT_UNLOAD("TunableLeftRegistered", "REG-SYSCTL", Then.UNLOAD, false),
        OSOBJECT_LEAKED_SO_UNLOAD_IS_REFUSED("LeakedRuleObject", "OBJ-3", Then.UNLOAD, false),
        RECURSIVE_DESCRIPTOR_WALK("DescriptorWalk", "STK-RECURSION", Then.UNLOAD, false),
        // The walk recurses through a method reference in an IntConsumer: the static pass finds the
        // cycle at load (STK-RECURSION at the recursive call), and the 2,000-element list overflows the
        // kernel stack when it runs (STK-OVERFLOW). Both findings are this one defect.
        STACK_OVERFLOW_IN_DATA_DRIVEN_WALK("ChainOverflow", "STK-OVERFLOW", Then.NOTHING, true, "STK-RECURSION"),
        LARGE_STACK_FRAME("WideFrame", "STK-FRAME", Then.UNLOAD, false),
        USER_SPACE_API("ConsoleLogger", "API-USER", Then.UNLOAD, false),
        FLOATING_POINT("FloatThroughput", "API-FLOAT", Then.UNLOAD, false),
        RESERVED_CLASS_PREFIX("ReservedPrefix", "STY-NAME", Then.UNLOAD, false),
        COMMAND_SLEEP_WITHOUT_THE_GATE("SleepOutsideGate", "WL-4", Then.NOTHING, true),
        OBJECT_RELEASED_TWICE("DoubleRelease", "OBJ-1", Then.NOTHING, true),
        OBJECT_RETAINED_AFTER_ITS_LAST_RELEASE("RetainAfterRelease", "OBJ-2", Then.NOTHING, true),
        DESCRIPTOR_RELEASED_WHILE_PREPARED("DescriptorLeftPrepared", "MD-PREPARED", Then.UNLOAD, false),
        TIMER_REMOVED_WHILE_ARMED("TimerLeftArmed", "WL-2", Then.DRIVER_UNLOAD, false),
        EVENT_SOURCE_RELEASED_WHILE_ON_ITS_WORK_LOOP("GateReleasedOnLoop", "WL-1", Then.DRIVER_UNLOAD, false),
        INTERRUPT_HANDLER_LEFT_REGISTERED_AT_STOP("InterruptLeftRegistered", "WL-LIVE", Then.DRIVER_UNLOAD, false),
        COMMAND_GATE_FROM_A_FILTER_ROUTINE("GateFromFilter", "WL-3", Then.LINK_DOWN_UNLOAD, false),
        SPIN_LOCK_SHARED_WITH_A_FILTER_ROUTINE("SharedIrqLock", "LCK-IRQ", Then.LINK_DOWN_UNLOAD, false),
        THREAD_CALL_FREED_WHILE_PENDING("FlushFreedPending", "TC-1", Then.UNLOAD, false),
        THREAD_CALL_LEFT_QUEUED_AT_UNLOAD("WatchdogLeftArmed", "TC-2", Then.UNLOAD, false),
        THREAD_CALL_LEFT_QUEUED_WHEN_ITS_DRIVER_STOPS("RefreshLeftQueued", "TC-2", Then.DRIVER_UNLOAD, false),
        RECEIVE_DMA_LEFT_RUNNING_AT_STOP("RxLeftRunning", "DMA-LIVE", Then.DRIVER_UNLOAD, false),
        RECURSION_THROUGH_A_JDK_INTERFACE("VisitorWalk", "STK-RECURSION", Then.UNLOAD, false);

        final String kext;
        final String checkId;
        final Then then;
        final boolean panics;
        /** Check ids the same defect is also reported with, each at its own marked line. */
        final List<String> alsoReported;

        Defect(String kext, String checkId, Then then, boolean panics, String... alsoReported) {
            this.kext = kext;
            this.checkId = checkId;
            this.then = then;
            this.panics = panics;
            this.alsoReported = List.of(alsoReported);
        }

        /** Every check id the case expects, sorted. */
        List<String> checkIds() {
            return Stream.concat(Stream.of(checkId), alsoReported.stream()).sorted().collect(Collectors.toList());
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
            return of(defect, defect.checkId);
        }

        static Marker of(Defect defect, String checkId) {
            String tag = "// BUG: " + checkId;
            try (Stream<Path> files = Files.list(defect.sources())) {
                List<Marker> found = files.filter(f -> f.toString().endsWith(".java")).sorted().flatMap(file -> {
                    List<String> lines = read(file);
                    String name = file.getFileName().toString().replace(".java", "");
                    return java.util.stream.IntStream.range(0, lines.size())
                            .filter(i -> lines.get(i).endsWith(tag) || lines.get(i).contains(tag + " "))
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

    /** The IOClass of the kext's only personality. */
    private static String ioClass(SampleKernel sample) {
        com.dd.plist.NSDictionary personality = (com.dd.plist.NSDictionary) sample.kext().personalities().values()
                .iterator().next();
        return personality.objectForKey("IOClass").toString();
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
                if (defect.then.driver() && !kernel.hasPanicked()) {
                    sample.awaitDriver(NIC_SLOT, ioClass(sample));
                    if (defect.then == Then.LINK_DOWN_UNLOAD) {
                        sample.pci().model(NIC_SLOT, NicDevice.class).setLinkUp(false);
                        sample.advance(Duration.ofMillis(1));
                    }
                }
                if (defect.then != Then.NOTHING && !kernel.hasPanicked()) {
                    unload = sample.unload();
                    UnloadReport report = unload;
                    assertTrue(defect.checkId.equals("OBJ-3") || report.isUnloaded(), () -> report + "\n" + kernel.logText());
                }
            } catch (KernelPanickedException expected) {
                // the panic report is checked below
            }

            List<Finding> everything = kernel.findings().list();
            // A panic is itself a finding, at the first kext frame of its backtrace: the defect's own line.
            List<Finding> panics = everything.stream().filter(f -> f.checkId().equals("PANIC")).collect(Collectors.toList());
            assertEquals(defect.panics ? 1 : 0, panics.size(), () -> "PANIC findings: " + panics);
            if (defect.panics) {
                Finding panic = panics.get(0);
                assertEquals(defect.bundleId(), panic.bundleId(), panic::toString);
                assertEquals(marker.className(), panic.primarySite().className(), panic::toString);
                // a frame that panicked on entry (a stack overflow) has no line yet
                if (panic.primarySite().line() >= 0) {
                    assertEquals(marker.line(), panic.primarySite().line(), panic::toString);
                }
                assertEquals("FATAL", panic.severity().name());
                assertTrue(panic.message().contains(kernel.panicReport().orElseThrow().panicString()), panic::toString);
            }
            List<Finding> findings = everything.stream().filter(f -> !f.checkId().equals("PANIC")).collect(Collectors.toList());
            String all = findings.stream().map(Finding::toString).collect(Collectors.joining("\n"));
            assertEquals(defect.checkIds(), findings.stream().map(Finding::checkId).sorted().collect(Collectors.toList()),
                    () -> "findings of " + defect.kext + ":\n" + all + "\nkernel log:\n" + kernel.logText());
            for (String id : defect.checkIds()) {
                Marker at = Marker.of(defect, id);
                Finding f = findings.stream().filter(x -> x.checkId().equals(id)).findFirst().orElseThrow();
                assertEquals(defect.bundleId(), f.bundleId(), all);
                assertEquals(at.className(), f.primarySite().className(), all);
                assertEquals(at.line(), f.primarySite().line(), all);
            }
            Finding finding = findings.stream().filter(x -> x.checkId().equals(defect.checkId)).findFirst().orElseThrow();
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
                assertEquals(everything, kernel.findings().list());
            }
        }
    }
}
