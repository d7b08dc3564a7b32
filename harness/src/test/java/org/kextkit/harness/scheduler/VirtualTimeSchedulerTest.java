package org.kextkit.harness.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.kextkit.harness.scheduler.internal.CarrierPool;
import org.kextkit.kit.internal.ExecutionContext;
import org.kextkit.kit.internal.KernelPanic;
import org.kextkit.kit.internal.KernelRuntime;
import org.kextkit.kit.internal.KernelScheduler;
import org.kextkit.kit.internal.KernelServices;
import org.kextkit.kit.internal.ThreadOwnership;
import org.kextkit.kit.internal.WaitQueue;

class VirtualTimeSchedulerTest {
    private static final long MS = 1_000_000L;
    private final List<VirtualTimeScheduler> schedulers = new ArrayList<>();

    private VirtualTimeScheduler scheduler(long seed) {
        return scheduler(seed, Duration.ofSeconds(10));
    }

    private VirtualTimeScheduler scheduler(long seed, Duration watchdog) {
        // Stall reports reach the test through exceptions and stallReports(); the log line is not needed here.
        SchedulerSetup quiet = new SchedulerSetup("test", seed, watchdog, (caller, function, message) -> { },
                (text, cause, thread, context) -> { }, line -> { });
        VirtualTimeScheduler s = new VirtualTimeScheduler(quiet);
        schedulers.add(s);
        return s;
    }

    @AfterEach
    void shutdown() {
        schedulers.forEach(VirtualTimeScheduler::shutdown);
    }

    @Test
    void aOneSecondSleepTakesKernelTimeOnly() {
        VirtualTimeScheduler s = scheduler(0);
        try (KernelEntry e = s.enter()) {
            assertEquals(ExecutionContext.THREAD, s.currentContext());
            s.sleep(1_000 * MS);
            assertEquals(1_000 * MS, s.nanoTime());
        }
        assertEquals(1_000 * MS, s.nanoTime(), "the clock stays where the sleep left it");
    }

    @Test
    void backgroundThreadsWaitForTheTestToAdvanceTime() {
        VirtualTimeScheduler s = scheduler(0);
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        try (KernelEntry e = s.enter()) {
            s.startThread("poller", ExecutionContext.THREAD, () -> {
                for (int i = 0; i < 3; i++) {
                    s.sleep(10 * MS);
                    events.add("tick@" + s.nanoTime() / MS);
                }
            });
        }
        assertEquals(List.of(), events, "leaving the kernel runs only what is due now");
        s.advance(Duration.ofMillis(25));
        assertEquals(List.of("tick@10", "tick@20"), events);
        assertEquals(25 * MS, s.nanoTime());
        s.advance(Duration.ofMillis(100));
        assertEquals(List.of("tick@10", "tick@20", "tick@30"), events);
    }

    @Test
    void advanceFiresCalloutsInDeadlineOrderOnThreadCallThreads() {
        VirtualTimeScheduler s = scheduler(0);
        List<String> fired = Collections.synchronizedList(new ArrayList<>());
        for (long deadline : new long[] {30, 10, 20}) {
            s.scheduleCallout("c" + deadline, deadline * MS, ExecutionContext.THREAD_CALL,
                    () -> fired.add(deadline + "ms at " + s.nanoTime() / MS + " in " + s.currentContext()));
        }
        KernelScheduler.Callout cancelled = s.scheduleCallout("never", 15 * MS, ExecutionContext.THREAD_CALL, () -> fired.add("never"));
        assertTrue(cancelled.cancel());
        assertFalse(cancelled.isPending());

        s.advance(Duration.ofMillis(25));
        assertEquals(List.of("10ms at 10 in THREAD_CALL", "20ms at 20 in THREAD_CALL"), fired);
        assertEquals(25 * MS, s.nanoTime());
        s.advanceTo(40 * MS);
        assertEquals(List.of("10ms at 10 in THREAD_CALL", "20ms at 20 in THREAD_CALL", "30ms at 30 in THREAD_CALL"), fired);
    }

    @Test
    void calloutsRunInTheContextTheyWereScheduledWith() {
        VirtualTimeScheduler s = scheduler(0);
        AtomicReference<ExecutionContext> seen = new AtomicReference<>();
        s.scheduleCallout("timer action", 5 * MS, ExecutionContext.WORK_LOOP, () -> seen.set(s.currentContext()));
        s.advance(Duration.ofMillis(5));
        assertEquals(ExecutionContext.WORK_LOOP, seen.get());
    }

    @Test
    void hardwareEventsRunDuringSpinButOtherThreadsDoNot() {
        VirtualTimeScheduler s = scheduler(0);
        AtomicBoolean ready = new AtomicBoolean();
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        try (KernelEntry e = s.enter()) {
            s.startThread("other", ExecutionContext.THREAD, () -> events.add("other ran at " + s.nanoTime() / 1000 + "us"));
            s.scheduleHardwareEvent("device ready", 50_000, () -> {
                events.add("device ready at " + s.nanoTime() / 1000 + "us in " + s.currentContext());
                ready.set(true);
            });
            int polls = 0;
            while (!ready.get()) {
                s.spin(10_000); // IODelay(10)
                polls++;
            }
            events.add("driver saw ready after " + polls + " polls at " + s.nanoTime() / 1000 + "us");
        }
        assertEquals(List.of("device ready at 50us in NONE", "driver saw ready after 5 polls at 50us", "other ran at 50us"), events);
    }

    @Test
    void interruptsRunAtPrimaryInterruptLevelOnTheInterruptThreadBeforeOtherThreads() {
        VirtualTimeScheduler s = scheduler(0);
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        try (KernelEntry e = s.enter()) {
            s.startThread("worker", ExecutionContext.WORK_LOOP, () -> events.add("worker in " + s.currentContext()));
            s.postInterrupt("nic", () -> events.add("handler in " + s.currentContext() + " on " + s.currentThreadName()));
            events.add("poster continues");
        }
        assertEquals(List.of("poster continues", "handler in PRIMARY_INTERRUPT on interrupt", "worker in WORK_LOOP"), events);
    }

    @Test
    void aHardwareEventCanRaiseAnInterrupt() {
        VirtualTimeScheduler s = scheduler(0);
        AtomicLong handledAt = new AtomicLong(-1);
        s.scheduleHardwareEvent("dma done", 3 * MS, () -> s.postInterrupt("dma", () -> handledAt.set(s.nanoTime())));
        s.advance(Duration.ofMillis(10));
        assertEquals(3 * MS, handledAt.get());
    }

    @Test
    void blockingInAnInterruptHandlerPanics() {
        AtomicReference<String> panic = new AtomicReference<>();
        AtomicReference<ExecutionContext> where = new AtomicReference<>();
        VirtualTimeScheduler s = new VirtualTimeScheduler(new SchedulerSetup("test", 0, Duration.ofSeconds(10),
                (caller, function, message) -> { }, (text, cause, thread, context) -> {
                    panic.set(text);
                    where.set(context);
                }, line -> { }));
        schedulers.add(s);
        s.postInterrupt("disk", () -> s.sleep(MS));
        IllegalStateException refused = assertThrows(IllegalStateException.class, s::runUntilQuiescent);
        assertTrue(refused.getMessage().startsWith("hosted kernel test has panicked: thread_block"), refused.getMessage());
        assertTrue(panic.get().contains("in primary interrupt context"), panic.get());
        assertEquals(ExecutionContext.PRIMARY_INTERRUPT, where.get());
        assertEquals(panic.get(), s.haltedBecause());
    }

    @Test
    void waitQueuesWakeWaitersAndTimeOut() {
        VirtualTimeScheduler s = scheduler(0);
        WaitQueue queue = s.newWaitQueue("data ready");
        AtomicBoolean ready = new AtomicBoolean();
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        try (KernelEntry e = s.enter()) {
            s.startThread("consumer", ExecutionContext.THREAD, () -> {
                boolean got = queue.await(ready::get, s.nanoTime() + 100 * MS);
                events.add("consumer got=" + got + " at " + s.nanoTime() / MS);
            });
            s.startThread("impatient", ExecutionContext.THREAD, () -> {
                boolean got = queue.await(() -> false, s.nanoTime() + 5 * MS);
                events.add("impatient got=" + got + " at " + s.nanoTime() / MS);
            });
            s.sleep(20 * MS);
            ready.set(true);
            queue.wakeAll();
            s.sleep(MS);
        }
        assertEquals(List.of("impatient got=false at 5", "consumer got=true at 20"), events);
    }

    @Test
    void joinWaitsForAThreadToEnd() {
        VirtualTimeScheduler s = scheduler(0);
        try (KernelEntry e = s.enter()) {
            KernelScheduler.KernelThread t = s.startThread("slow", ExecutionContext.THREAD, () -> s.sleep(50 * MS));
            assertFalse(t.join(s.nanoTime() + 10 * MS), "not finished after 10 ms");
            assertTrue(t.isAlive());
            assertTrue(t.join(WaitQueue.FOREVER));
            assertFalse(t.isAlive());
            assertEquals(50 * MS, s.nanoTime());
        }
    }

    @Test
    void kernelThreadsRunBoundToTheKernelsServices() {
        KernelServices services = (caller, function, message) -> { };
        VirtualTimeScheduler s = new VirtualTimeScheduler(new SchedulerSetup("bound", 0, Duration.ofSeconds(10), services,
                (text, cause, thread, context) -> { }, line -> { }));
        schedulers.add(s);
        AtomicReference<KernelServices> seen = new AtomicReference<>();
        s.call("probe", ExecutionContext.THREAD, () -> {
            seen.set(KernelRuntime.servicesFor(null));
            return null;
        });
        assertSame(services, seen.get());
    }

    @Test
    void callReturnsTheBodysResultAndRethrowsItsExceptions() {
        VirtualTimeScheduler s = scheduler(0);
        assertEquals(42, s.call("answer", ExecutionContext.THREAD, () -> {
            s.sleep(MS);
            return 42;
        }));
        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> s.call("broken", ExecutionContext.THREAD, () -> {
                    throw new IllegalStateException("no device");
                }));
        assertEquals("no device", thrown.getMessage());
    }

    @Test
    void nestedEntryFromAKernelThreadDoesNothing() {
        VirtualTimeScheduler s = scheduler(0);
        try (KernelEntry outer = s.enter()) {
            assertSame(KernelEntry.NESTED, s.enter());
            assertTrue(s.isKernelThread());
        }
        assertFalse(s.isKernelThread());
    }

    @Test
    void runUntilStopsWhenTheConditionHoldsOrAtTheVirtualTimeout() {
        VirtualTimeScheduler s = scheduler(0);
        AtomicInteger count = new AtomicInteger();
        for (int i = 1; i <= 10; i++) {
            s.scheduleHardwareEvent("packet " + i, i * 10 * MS, count::incrementAndGet);
        }
        assertTrue(s.runUntil(() -> count.get() >= 3, Duration.ofSeconds(1)));
        assertEquals(30 * MS, s.nanoTime());
        assertFalse(s.runUntil(() -> count.get() >= 100, Duration.ofMillis(500)));
        assertEquals(530 * MS, s.nanoTime());
        assertEquals(10, count.get());
    }

    /** Record the interleaving of three threads, two callouts due together and two interrupts. */
    private static List<String> interleaving(VirtualTimeScheduler s) {
        List<String> trace = Collections.synchronizedList(new ArrayList<>());
        WaitQueue gate = s.newWaitQueue("gate");
        AtomicBoolean open = new AtomicBoolean();
        try (KernelEntry e = s.enter()) {
            for (String name : List.of("A", "B", "C", "D")) {
                s.startThread(name, ExecutionContext.THREAD, () -> {
                    gate.await(open::get, WaitQueue.FOREVER);
                    trace.add(name + "1");
                    s.sleep(5 * MS);
                    trace.add(name + "2");
                });
            }
            for (String name : List.of("x", "y", "z")) {
                s.scheduleCallout(name, 5 * MS, ExecutionContext.THREAD_CALL, () -> trace.add("callout " + name));
                s.scheduleHardwareEvent("irq " + name, 5 * MS, () -> s.postInterrupt(name, () -> trace.add("irq " + name)));
            }
            s.sleep(MS);
            open.set(true);
            gate.wakeAll();
        }
        s.advance(Duration.ofMillis(20));
        return List.copyOf(trace);
    }

    @Test
    void theSameSeedGivesTheSameInterleavingAndOtherSeedsMayDiffer() {
        List<String> first = interleaving(scheduler(42));
        assertEquals(first, interleaving(scheduler(42)));
        assertEquals(first, interleaving(scheduler(42)));
        assertEquals(14, first.size(), first.toString());
        Set<List<String>> seen = new HashSet<>();
        for (long seed = 0; seed < 12; seed++) {
            seen.add(interleaving(scheduler(seed)));
        }
        assertTrue(seen.size() > 1, "twelve seeds gave one interleaving: " + seen);
    }

    @Test
    void aThreadThatNeverBlocksIsReportedAndAbandonedAndTheKernelGoesOn() {
        VirtualTimeScheduler s = scheduler(0, Duration.ofMillis(200));
        AtomicBoolean release = new AtomicBoolean();
        try {
            KernelStallException stall = assertThrows(KernelStallException.class,
                    () -> s.call("start com.example.Spinner", ExecutionContext.THREAD, () -> spinUntil(release)));
            StallReport report = stall.report();
            assertEquals(StallReport.Kind.HANG, report.kind());
            assertEquals("start com.example.Spinner", report.threads().get(0).name());
            assertEquals(ExecutionContext.THREAD, report.threads().get(0).context());
            assertTrue(report.text().contains("kept the processor"), report.text());
            assertTrue(report.text().contains("VirtualTimeSchedulerTest.spinUntil"), report.text());
            assertEquals(List.of(report), s.stallReports());

            assertEquals("still serving", s.call("next request", ExecutionContext.THREAD, () -> {
                s.sleep(MS);
                return "still serving";
            }));
        } finally {
            release.set(true);
        }
    }

    private static Object spinUntil(AtomicBoolean release) {
        while (!release.get()) {
            Thread.onSpinWait();
        }
        return null;
    }

    @Test
    void aDeadlockIsReportedWithEveryBlockedThreadAndWhatItWaitsOn() {
        VirtualTimeScheduler s = scheduler(0);
        WaitQueue first = s.newWaitQueue("first lock");
        WaitQueue second = s.newWaitQueue("second lock");
        KernelStallException stall = assertThrows(KernelStallException.class, () -> s.call("start", ExecutionContext.THREAD, () -> {
            AtomicBoolean a = new AtomicBoolean();
            AtomicBoolean b = new AtomicBoolean();
            KernelScheduler.KernelThread one = s.startThread("one", ExecutionContext.THREAD, () -> first.await(b::get, WaitQueue.FOREVER));
            KernelScheduler.KernelThread two = s.startThread("two", ExecutionContext.WORK_LOOP, () -> second.await(a::get, WaitQueue.FOREVER));
            one.join(WaitQueue.FOREVER);
            two.join(WaitQueue.FOREVER);
            return null;
        }));
        StallReport report = stall.report();
        assertEquals(StallReport.Kind.DEADLOCK, report.kind());
        List<String> waits = report.threads().stream().map(t -> t.name() + " on " + t.waitsOn()).toList();
        assertTrue(waits.contains("one on first lock"), waits.toString());
        assertTrue(waits.contains("two on second lock"), waits.toString());
        assertTrue(report.text().contains("Thread \"two\" in WORK_LOOP context, waiting on \"second lock\" with no timeout"), report.text());
        assertEquals("after", s.call("after", ExecutionContext.THREAD, () -> "after"), "the kernel still serves other calls");
    }

    @Test
    void kernelTimeThatRunsOnWithoutEndingACallersWaitIsReported() {
        VirtualTimeScheduler s = scheduler(0, Duration.ofMillis(200));
        WaitQueue never = s.newWaitQueue("reply that never comes");
        Runnable[] tick = new Runnable[1];
        tick[0] = () -> s.scheduleHardwareEvent("periodic timer", s.nanoTime() + MS, tick[0]);
        tick[0].run();
        KernelStallException stall;
        try (KernelEntry e = s.enter()) {
            stall = assertThrows(KernelStallException.class, () -> never.await(() -> false, WaitQueue.FOREVER));
        }
        assertEquals(StallReport.Kind.RUNAWAY, stall.report().kind());
        assertTrue(stall.getMessage().contains("reply that never comes"), stall.getMessage());
    }

    @Test
    void aPanicInACalloutHaltsThatKernelOnlyAndWakesItsCallers() {
        AtomicReference<String> panic = new AtomicReference<>();
        AtomicReference<String> thread = new AtomicReference<>();
        VirtualTimeScheduler failing = new VirtualTimeScheduler(new SchedulerSetup("failing", 0, Duration.ofSeconds(10),
                (caller, function, message) -> { }, (text, cause, name, context) -> {
                    panic.set(text + " / " + context);
                    thread.set(name);
                }, line -> { }));
        schedulers.add(failing);
        VirtualTimeScheduler healthy = scheduler(0);
        failing.scheduleCallout("watchdog timer", 10 * MS, ExecutionContext.THREAD_CALL, () -> {
            throw new IllegalStateException("register read back 0xffffffff");
        });
        KernelPanic unwound;
        try (KernelEntry e = failing.enter()) {
            unwound = assertThrows(KernelPanic.class, () -> failing.sleep(1_000 * MS));
        }
        assertEquals("Unhandled java.lang.IllegalStateException: register read back 0xffffffff in callout \"watchdog timer\""
                + " / THREAD_CALL", panic.get());
        assertEquals("thread_call-1", thread.get());
        assertEquals(unwound.getMessage(), failing.haltedBecause());
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> failing.advance(Duration.ofMillis(1)));
        assertTrue(refused.getMessage().contains("has panicked"), refused.getMessage());

        assertEquals(7, healthy.call("other kernel", ExecutionContext.THREAD, () -> {
            healthy.sleep(MS);
            return 7;
        }));
    }

    @Test
    void aKernelPanicThrownInACallIsTheKernelsPanic() {
        AtomicReference<String> panic = new AtomicReference<>();
        VirtualTimeScheduler s = new VirtualTimeScheduler(new SchedulerSetup("p", 0, Duration.ofSeconds(10),
                (caller, function, message) -> { }, (text, cause, name, context) -> panic.set(name + ": " + text), line -> { }));
        schedulers.add(s);
        KernelPanic thrown = assertThrows(KernelPanic.class, () -> s.call("IOService::start", ExecutionContext.THREAD, () -> {
            throw new KernelPanic("Mutex 0x1234 is unexpectedly owned");
        }));
        assertEquals("IOService::start: Mutex 0x1234 is unexpectedly owned", panic.get());
        assertEquals(thrown.getMessage(), s.haltedBecause());
    }

    @Test
    void shutdownEndsIdleKernelThreads() throws InterruptedException {
        VirtualTimeScheduler s = scheduler(0);
        AtomicReference<Thread> javaThread = new AtomicReference<>();
        WaitQueue forever = s.newWaitQueue("work");
        try (KernelEntry e = s.enter()) {
            s.startThread("work loop", ExecutionContext.WORK_LOOP, () -> {
                javaThread.set(Thread.currentThread());
                forever.await(() -> false, WaitQueue.FOREVER);
            });
        }
        s.shutdown();
        assertNotEquals(null, javaThread.get());
        assertTrue(awaitReleased(javaThread.get()), "the work loop's carrier still runs it: " + javaThread.get().getName());
        assertInstanceOf(IllegalStateException.class, assertThrows(IllegalStateException.class,
                () -> s.startThread("late", ExecutionContext.THREAD, () -> { })));
    }

    @Test
    void aCarrierIsReusedAndEachKernelThreadIsBoundAndNamedAfresh() throws InterruptedException {
        VirtualTimeScheduler s = scheduler(0);
        AtomicReference<Thread> first = new AtomicReference<>();
        try (KernelEntry e = s.enter()) {
            s.startThread("first", ExecutionContext.THREAD, () -> first.set(Thread.currentThread()));
        }
        assertTrue(awaitReleased(first.get()));
        // A clean carrier waits for the next kernel thread, unless enough others already do.
        assertTrue(CarrierPool.isIdleCarrier(first.get()) || CarrierPool.idleCount() == CarrierPool.MAX_IDLE);
        Set<Thread> before = Thread.getAllStackTraces().keySet();

        VirtualTimeScheduler other = scheduler(1);
        ClassLoader loader = new ClassLoader(getClass().getClassLoader()) { };
        AtomicReference<Thread> second = new AtomicReference<>();
        List<String> seen = new ArrayList<>();
        Thread caller = Thread.currentThread();
        ClassLoader callerLoader = caller.getContextClassLoader();
        caller.setContextClassLoader(loader);
        try (KernelEntry e = other.enter()) {
            other.startThread("second", ExecutionContext.WORK_LOOP, () -> {
                second.set(Thread.currentThread());
                seen.add(Thread.currentThread().getName());
                seen.add(other.currentThreadName());
                seen.add(String.valueOf(other.currentContext()));
                seen.add(String.valueOf(Thread.currentThread().getContextClassLoader() == loader));
                seen.add(String.valueOf(KernelRuntime.servicesFor(null) != null));
            });
        } finally {
            caller.setContextClassLoader(callerLoader);
        }
        assertTrue(before.contains(second.get()), "the second kernel thread runs on a carrier that was idle, not a new thread");
        assertEquals(List.of("kextkit test #1 second", "second", "WORK_LOOP", "true", "true"), seen);
        assertTrue(awaitReleased(second.get()));
    }

    @Test
    void aKernelThreadThatEndsOwningSomethingTakesItsCarrierWithIt() throws InterruptedException {
        VirtualTimeScheduler s = scheduler(0);
        AtomicReference<Thread> owner = new AtomicReference<>();
        try (KernelEntry e = s.enter()) {
            s.startThread("leaves a gate closed", ExecutionContext.THREAD, () -> {
                owner.set(Thread.currentThread());
                ThreadOwnership.claimed();
            });
        }
        assertTrue(awaitReleased(owner.get()));
        assertFalse(CarrierPool.isIdleCarrier(owner.get()), "a carrier whose kernel thread still owns something must not carry another");
        owner.get().join(10_000);
        assertFalse(owner.get().isAlive());
    }

    @Test
    void anAbandonedKernelThreadsCarrierIsNeverReused() throws InterruptedException {
        VirtualTimeScheduler s = scheduler(0, Duration.ofMillis(200));
        AtomicReference<Thread> hung = new AtomicReference<>();
        AtomicBoolean stop = new AtomicBoolean();
        try {
            assertThrows(KernelStallException.class, () -> s.call("spins", ExecutionContext.THREAD, () -> {
                hung.set(Thread.currentThread());
                while (!stop.get()) {
                    Thread.onSpinWait();
                }
                return null;
            }));
        } finally {
            stop.set(true);
        }
        // The loop ends; the abandoned thread then parks for good on its next call into the scheduler (its end).
        Thread.sleep(50);
        assertTrue(hung.get().isAlive());
        assertFalse(CarrierPool.isIdleCarrier(hung.get()), "an abandoned kernel thread's carrier stays out of the pool");
    }

    /** Wait (real time, up to 10 s) until a kernel thread's Java thread has ended or gone back to the pool. */
    private static boolean awaitReleased(Thread carrier) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000 * MS;
        while (carrier.isAlive() && !CarrierPool.isIdleCarrier(carrier)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            carrier.join(5);
        }
        return true;
    }
}
