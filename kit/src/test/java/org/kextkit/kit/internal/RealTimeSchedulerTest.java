package org.kextkit.kit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.kextkit.kit.TestKernel;

class RealTimeSchedulerTest {
    private final TestKernel kernel = new TestKernel();
    private final RealTimeScheduler scheduler = kernel.scheduler;

    @AfterEach
    void shutDown() {
        kernel.close();
    }

    private static void await(CountDownLatch latch) throws InterruptedException {
        assertTrue(latch.await(10, TimeUnit.SECONDS));
    }

    @Test
    void threadsRunInTheirContextForTheBoundKernel() throws Exception {
        AtomicReference<String> seen = new AtomicReference<>();
        KernelScheduler.KernelThread thread = scheduler.startThread("worker", ExecutionContext.WORK_LOOP,
                () -> seen.set(scheduler.currentContext() + " " + (KernelRuntime.servicesFor(null) == kernel)));
        assertTrue(thread.join(WaitQueue.FOREVER));
        assertFalse(thread.isAlive());
        assertEquals("WORK_LOOP true", seen.get());
        assertEquals(ExecutionContext.THREAD, scheduler.currentContext(), "threads it did not start are THREAD");
    }

    @Test
    void runInContextRestoresTheOuterContext() {
        List<ExecutionContext> seen = new CopyOnWriteArrayList<>();
        scheduler.runInContext(ExecutionContext.PRIMARY_INTERRUPT, () -> seen.add(scheduler.currentContext()));
        seen.add(scheduler.currentContext());
        assertEquals(List.of(ExecutionContext.PRIMARY_INTERRUPT, ExecutionContext.THREAD), seen);
    }

    @Test
    void interruptsRunAtPrimaryLevelOnTheInterruptThread() throws Exception {
        CountDownLatch ran = new CountDownLatch(1);
        AtomicReference<String> seen = new AtomicReference<>();
        scheduler.postInterrupt("nic", () -> {
            seen.set(scheduler.currentContext() + " " + Thread.currentThread().getName());
            ran.countDown();
        });
        await(ran);
        assertTrue(seen.get().startsWith("PRIMARY_INTERRUPT test-kernel-interrupt"), seen.get());
    }

    @Test
    void calloutsRunOnThreadCallThreadsAndCanBeCancelled() throws Exception {
        CountDownLatch ran = new CountDownLatch(1);
        AtomicReference<ExecutionContext> seen = new AtomicReference<>();
        KernelScheduler.Callout far = scheduler.scheduleCallout("far", scheduler.nanoTime() + TimeUnit.HOURS.toNanos(1),
                ExecutionContext.THREAD_CALL, () -> seen.set(ExecutionContext.NONE));
        assertTrue(far.isPending());
        assertTrue(far.cancel());
        assertFalse(far.cancel(), "a second cancel finds nothing pending");
        assertFalse(far.isPending());

        KernelScheduler.Callout soon = scheduler.scheduleCallout("soon", scheduler.nanoTime(),
                ExecutionContext.THREAD_CALL, () -> {
                    seen.set(scheduler.currentContext());
                    ran.countDown();
                });
        await(ran);
        assertEquals(ExecutionContext.THREAD_CALL, seen.get());
        assertFalse(soon.cancel(), "a callout that ran cannot be cancelled");
    }

    @Test
    void hardwareEventsRunOutsideAnyKernelThread() throws Exception {
        CountDownLatch ran = new CountDownLatch(1);
        AtomicReference<ExecutionContext> seen = new AtomicReference<>();
        scheduler.scheduleHardwareEvent("dma done", scheduler.nanoTime(), () -> {
            seen.set(scheduler.currentContext());
            ran.countDown();
        });
        await(ran);
        assertEquals(ExecutionContext.NONE, seen.get());
    }

    @Test
    void waitQueuesWakeWaitersWhoseConditionHolds() throws Exception {
        WaitQueue queue = scheduler.newWaitQueue("flag");
        boolean[] flag = {false};
        AtomicReference<Boolean> result = new AtomicReference<>();
        KernelScheduler.KernelThread waiter = scheduler.startThread("waiter", ExecutionContext.THREAD,
                () -> result.set(queue.await(() -> flag[0], WaitQueue.FOREVER)));
        synchronized (flag) {
            flag[0] = true;
        }
        queue.wakeAll();
        assertTrue(waiter.join(scheduler.nanoTime() + TimeUnit.SECONDS.toNanos(10)));
        assertTrue(result.get());
        assertFalse(queue.await(() -> false, scheduler.nanoTime() + 1_000), "a deadline ends the wait");
        assertEquals("flag", queue.name());
    }

    @Test
    void anExceptionEscapingAnInterruptHandlerPanicsTheKernel() throws Exception {
        scheduler.postInterrupt("bad", () -> {
            throw new IllegalStateException("null register block");
        });
        CountDownLatch after = new CountDownLatch(1);
        scheduler.postInterrupt("next", after::countDown);
        await(after);
        assertEquals(1, kernel.panics.size());
        assertTrue(kernel.panics.get(0).startsWith("Unhandled exception at primary interrupt level in interrupt bad"),
                kernel.panics.get(0));
    }

    @Test
    void shutdownStopsWaitingThreads() throws Exception {
        WaitQueue never = scheduler.newWaitQueue("never");
        AtomicReference<Throwable> ended = new AtomicReference<>();
        KernelScheduler.KernelThread waiter = scheduler.startThread("stuck", ExecutionContext.THREAD, () -> {
            try {
                never.await(() -> false, WaitQueue.FOREVER);
            } catch (KernelThreadStopped stopped) {
                ended.set(stopped);
                throw stopped;
            }
        });
        scheduler.shutdown();
        assertTrue(waiter.join(scheduler.nanoTime() + TimeUnit.SECONDS.toNanos(10)));
        assertTrue(ended.get() instanceof KernelThreadStopped);
        assertTrue(kernel.panics.isEmpty(), "a stopped thread is not a panic");
    }

    @Test
    void standaloneCodeSharesOneSchedulerAndHeap() {
        assertSame(Standalone.scheduler(), Standalone.SERVICES.scheduler());
        assertTrue(Standalone.heap() instanceof SimulatedHeap);
        assertThrows(KernelPanic.class, () -> Standalone.SERVICES.panic("standalone panic"));
    }
}
