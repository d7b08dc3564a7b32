package org.kextkit.harness.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.kextkit.kit.internal.ExecutionContext;
import org.kextkit.kit.internal.KernelPanic;
import org.kextkit.kit.internal.KernelRuntime;
import org.kextkit.kit.internal.RealTimeScheduler;
import org.kextkit.kit.internal.KernelServices;
import org.kextkit.kit.internal.WaitQueue;

class RealTimeHostedSchedulerTest {
    private final KernelServices services = (caller, function, message) -> { };
    private final AtomicReference<String> panic = new AtomicReference<>();
    private final RealTimeHostedScheduler scheduler = new RealTimeHostedScheduler(threads(),
            new SchedulerSetup("real", 0, Duration.ofMillis(200), services,
                    (text, cause, thread, context) -> panic.set(text + " / " + context), line -> { }));

    @Test
    void callRunsKextCodeOnAKernelThreadBoundToTheKernel() {
        String seen = scheduler.call("IOService::start", ExecutionContext.THREAD, () -> scheduler.currentContext()
                + " " + scheduler.isKernelThread() + " " + (KernelRuntime.servicesFor(null) == services));
        assertEquals("THREAD true true", seen);
    }

    @Test
    void aCallThatDoesNotReturnWithinTheBudgetIsReportedAndTheNextCallWorks() {
        AtomicBoolean release = new AtomicBoolean();
        try {
            KernelStallException stall = assertThrows(KernelStallException.class, () -> scheduler.call("start", ExecutionContext.THREAD,
                    () -> {
                        while (!release.get()) {
                            Thread.onSpinWait();
                        }
                        return null;
                    }));
            assertEquals(StallReport.Kind.HANG, stall.report().kind());
            assertTrue(stall.getMessage().startsWith("Kernel thread \"start\" in THREAD context did not return within 0.2 s"),
                    stall.getMessage());
            assertEquals(1, scheduler.stallReports().size());
        } finally {
            release.set(true);
        }
        assertEquals(3, scheduler.call("next", ExecutionContext.THREAD, () -> 3));
    }

    @Test
    void aThrowInAnInterruptHandlerPanicsAndHaltsTheKernel() throws InterruptedException {
        scheduler.postInterrupt("nic", () -> {
            throw new IllegalStateException("ring corrupt");
        });
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (scheduler.haltedBecause() == null && System.nanoTime() < end) {
            Thread.sleep(5);
        }
        assertEquals("Unhandled java.lang.IllegalStateException: ring corrupt in the primary interrupt handler of nic"
                + " / PRIMARY_INTERRUPT", panic.get());
        KernelPanic refused = assertThrows(KernelPanic.class, () -> scheduler.call("later", ExecutionContext.THREAD, () -> 1));
        assertEquals(scheduler.haltedBecause(), refused.getMessage());
    }

    @Test
    void enteringMakesTheCallerAKernelThreadInThreadContext() {
        assertEquals(ExecutionContext.NONE, scheduler.currentContext());
        try (KernelEntry e = scheduler.enter()) {
            assertTrue(scheduler.isKernelThread());
            assertEquals(ExecutionContext.THREAD, scheduler.currentContext());
            assertSame(KernelEntry.NESTED, scheduler.enter());
            assertTrue(scheduler.actsFor(Thread.currentThread()));
        }
        assertFalse(scheduler.isKernelThread());
    }

    private RealTimeScheduler threads() {
        RealTimeScheduler threads = new RealTimeScheduler("real");
        threads.bind(services);
        return threads;
    }

    @AfterEach
    void stop() {
        scheduler.shutdown();
    }
}
