package org.kextkit.kit.mach;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kextkit.kit.mach.ThreadCalls.*;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.kextkit.kit.TestKernel;
import org.kextkit.kit.internal.ExecutionContext;
import org.kextkit.kit.internal.KernelPanic;
import org.kextkit.kit.internal.KernelRuntime;

/** Thread calls follow XNU's {@code kern/thread_call.h} contract. */
class ThreadCallsTest {
    private static final long HOUR = 3_600_000_000_000L;
    private final TestKernel kernel = new TestKernel();

    @AfterEach
    void close() {
        kernel.close();
    }

    @Test
    void aCalloutRunsOnAThreadCallThreadWithBothParameters() throws Exception {
        CountDownLatch ran = new CountDownLatch(1);
        List<Object> seen = new CopyOnWriteArrayList<>();
        try (KernelRuntime.Scope scope = kernel.enter()) {
            ThreadCall call = thread_call_allocate((p0, p1) -> {
                seen.add(p0);
                seen.add(p1);
                seen.add(kernel.scheduler.currentContext());
                ran.countDown();
            }, "driver");
            assertFalse(thread_call_enter1(call, "frame"), "not pending before");
            assertTrue(ran.await(10, TimeUnit.SECONDS));
            assertEquals(List.of("driver", "frame", ExecutionContext.THREAD_CALL), seen);
        }
    }

    @Test
    void aPendingCallIsNotFreedUntilCancelled() {
        try (KernelRuntime.Scope scope = kernel.enter()) {
            ThreadCall call = thread_call_allocate((p0, p1) -> { }, null);
            long deadline = kernel.scheduler.nanoTime() + HOUR;
            assertFalse(thread_call_enter_delayed(call, deadline));
            assertTrue(thread_call_enter_delayed(call, deadline), "entering a pending call re-queues it and says so");
            assertTrue(thread_call_isactive(call));
            assertFalse(thread_call_free(call), "thread_call_free refuses a pending call");
            assertTrue(thread_call_isactive(call), "and leaves it queued");
            assertTrue(thread_call_cancel_wait(call));
            assertFalse(thread_call_isactive(call));
            assertFalse(thread_call_cancel(call), "nothing left to cancel");
            assertTrue(thread_call_free(call));
        }
    }

    @Test
    void usingAFreedCallPanics() {
        try (KernelRuntime.Scope scope = kernel.enter()) {
            ThreadCall call = thread_call_allocate((p0, p1) -> { }, null);
            assertTrue(thread_call_free(call));
            assertThrows(KernelPanic.class, () -> thread_call_enter(call));
            assertTrue(kernel.panics.get(0).contains("used after thread_call_free"), kernel.panics.toString());
        }
    }

    @Test
    void cancelWaitWaitsForARunningCallout() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> order = new CopyOnWriteArrayList<>();
        try (KernelRuntime.Scope scope = kernel.enter()) {
            ThreadCall call = thread_call_allocate((p0, p1) -> {
                entered.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                order.add("callout returned");
            }, null);
            thread_call_enter(call);
            assertTrue(entered.await(10, TimeUnit.SECONDS));
            assertTrue(thread_call_isactive(call), "running counts as active");
            release.countDown();
            assertFalse(thread_call_cancel_wait(call), "it was running, not pending");
            order.add("cancel_wait returned");
            assertEquals(List.of("callout returned", "cancel_wait returned"), order);
            assertFalse(thread_call_isactive(call));
            assertTrue(thread_call_free(call));
        }
    }

    @Test
    void aCalloutMayFreeItsOwnCall() throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        ThreadCall[] self = new ThreadCall[1];
        List<Boolean> freed = new CopyOnWriteArrayList<>();
        try (KernelRuntime.Scope scope = kernel.enter()) {
            self[0] = thread_call_allocate((p0, p1) -> {
                freed.add(thread_call_free(self[0]));
                done.countDown();
            }, null);
            thread_call_enter(self[0]);
            assertTrue(done.await(10, TimeUnit.SECONDS));
            assertEquals(List.of(true), freed);
        }
    }
}
