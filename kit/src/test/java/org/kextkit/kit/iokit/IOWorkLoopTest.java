package org.kextkit.kit.iokit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kextkit.kit.TestKernel;
import org.kextkit.kit.internal.ExecutionContext;
import org.kextkit.kit.internal.KernelPanic;
import org.kextkit.kit.internal.KernelRuntime;
import org.kextkit.kit.libkern.OSObject;
import org.kextkit.kit.libkern.SInt32;
import org.mockito.InOrder;

class IOWorkLoopTest {
    private final TestKernel kernel = new TestKernel();
    private KernelRuntime.Scope scope;
    private IOWorkLoop loop;
    private final OSObject driver = new OSObject() {
    };

    @BeforeEach
    void setUp() {
        scope = kernel.enter();
        loop = IOWorkLoop.workLoop();
    }

    @AfterEach
    void tearDown() {
        loop.release();
        scope.close();
        kernel.close();
    }

    private static void await(CountDownLatch latch) throws InterruptedException {
        assertTrue(latch.await(10, TimeUnit.SECONDS), "the event happened");
    }

    /** A nub whose interrupt 0 the test raises through the kernel's interrupt thread. */
    private static final class Nub {
        final IOService service = mock(IOService.class);
        final AtomicReference<IOInterruptAction> handler = new AtomicReference<>();

        Nub(int interruptType) {
            when(service.registerInterrupt(eq(0), any(), any(), any())).thenAnswer(call -> {
                handler.set(call.getArgument(2));
                return IOReturn.kIOReturnSuccess;
            });
            when(service.getInterruptType(eq(0), any())).thenAnswer(call -> {
                ((SInt32) call.getArgument(1)).value = interruptType;
                return IOReturn.kIOReturnSuccess;
            });
        }

        void raise(TestKernel kernel) {
            kernel.scheduler.postInterrupt("nub", () -> handler.get().handleInterrupt(null, null, service, 0));
        }
    }

    @Test
    void anInterruptActionRunsOnTheWorkLoopThreadWithTheGateHeld() throws Exception {
        Nub nub = new Nub(IOInterruptEventSource.kIOInterruptTypeEdge);
        CountDownLatch handled = new CountDownLatch(1);
        AtomicReference<String> seen = new AtomicReference<>();
        IOInterruptEventSource source = IOInterruptEventSource.interruptEventSource(driver,
                (owner, sender, count) -> {
                    seen.set((owner == driver && loop.onThread() && loop.inGate())
                            + "/" + kernel.scheduler.currentContext() + "/" + count);
                    handled.countDown();
                }, nub.service, 0);
        assertNotNull(source);
        assertEquals(IOReturn.kIOReturnSuccess, loop.addEventSource(source));
        source.enable();
        verify(nub.service).enableInterrupt(0);

        nub.raise(kernel);
        await(handled);
        assertEquals("true/WORK_LOOP/1", seen.get());
        assertTrue(kernel.panics.isEmpty());

        source.disable();
        loop.removeEventSource(source);
        verify(nub.service).unregisterInterrupt(0);
        source.release();
    }

    @Test
    void theFilterRunsAtPrimaryInterruptLevelAndDecidesWhetherTheActionRuns() throws Exception {
        Nub nub = new Nub(IOInterruptEventSource.kIOInterruptTypeEdge);
        List<String> filterContexts = new CopyOnWriteArrayList<>();
        AtomicInteger delivered = new AtomicInteger();
        CountDownLatch handled = new CountDownLatch(1);
        IOFilterInterruptEventSource source = IOFilterInterruptEventSource.filterInterruptEventSource(driver,
                (owner, sender, count) -> {
                    delivered.addAndGet(count);
                    handled.countDown();
                },
                (owner, sender) -> {
                    filterContexts.add(kernel.scheduler.currentContext() + (loop.onThread() ? " on loop" : ""));
                    return filterContexts.size() == 3; // only the third interrupt is for this driver
                }, nub.service, 0);
        loop.addEventSource(source);
        source.enable();
        nub.raise(kernel);
        nub.raise(kernel);
        nub.raise(kernel);
        await(handled);

        assertEquals(List.of("PRIMARY_INTERRUPT", "PRIMARY_INTERRUPT", "PRIMARY_INTERRUPT"), filterContexts);
        assertEquals(1, delivered.get(), "the two filtered-out interrupts never reach the action");
        source.disable();
        loop.removeEventSource(source);
        source.release();
    }

    @Test
    void aLevelTriggeredInterruptStaysDisabledUntilTheActionHasRun() throws Exception {
        Nub nub = new Nub(IOInterruptEventSource.kIOInterruptTypeLevel);
        CountDownLatch handled = new CountDownLatch(1);
        IOInterruptEventSource source = IOInterruptEventSource.interruptEventSource(driver,
                (owner, sender, count) -> handled.countDown(), nub.service, 0);
        assertTrue(source.getAutoDisable());
        loop.addEventSource(source);
        source.enable();
        nub.raise(kernel);
        await(handled);
        verify(nub.service, timeout(10_000).times(2)).enableInterrupt(0); // re-enabled just after the action
        source.disable();

        InOrder order = inOrder(nub.service);
        order.verify(nub.service).enableInterrupt(0);  // enable()
        order.verify(nub.service).disableInterrupt(0); // the primary handler
        order.verify(nub.service).enableInterrupt(0);  // after the action
        loop.removeEventSource(source);
        source.release();
    }

    @Test
    void aProviderWithoutTheInterruptGetsNoSource() {
        IOService nub = mock(IOService.class);
        when(nub.registerInterrupt(anyInt(), any(), any(), any())).thenReturn(IOReturn.kIOReturnNoInterrupt);
        assertEquals(null, IOInterruptEventSource.interruptEventSource(driver, (o, s, c) -> { }, nub, 3));
    }

    @Test
    void commandGateActionsExcludeEachOtherAndRunInWorkLoopContext() throws Exception {
        IOCommandGate gate = IOCommandGate.commandGate(driver);
        loop.addEventSource(gate);
        int[] shared = {0};
        AtomicReference<String> wrongContext = new AtomicReference<>();
        IOCommandGate.Action increment = (owner, a0, a1, a2, a3) -> {
            if (!loop.inGate() || kernel.scheduler.currentContext() != ExecutionContext.WORK_LOOP) {
                wrongContext.set(kernel.scheduler.currentContext().toString());
            }
            int before = shared[0];
            Thread.yield();
            shared[0] = before + 1;
            return IOReturn.kIOReturnSuccess;
        };
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                try (KernelRuntime.Scope inner = kernel.enter()) {
                    for (int i = 0; i < 500; i++) {
                        gate.runAction(increment);
                    }
                }
            });
            threads[t].start();
        }
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(20));
        }
        assertEquals(2000, shared[0]);
        assertEquals(null, wrongContext.get());
        assertEquals(ExecutionContext.THREAD, kernel.scheduler.currentContext(), "the caller's context comes back");
        loop.removeEventSource(gate);
        gate.release();
    }

    @Test
    void commandSleepReleasesTheGateUntilCommandWakeup() throws Exception {
        IOCommandGate gate = IOCommandGate.commandGate(driver);
        loop.addEventSource(gate);
        Object dataReady = new Object();
        boolean[] ready = {false};
        AtomicInteger sleepResult = new AtomicInteger(-1);
        CountDownLatch waiting = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try (KernelRuntime.Scope inner = kernel.enter()) {
                gate.runAction((owner, a0, a1, a2, a3) -> {
                    waiting.countDown();
                    while (!ready[0]) {
                        sleepResult.set(gate.commandSleep(dataReady, IOLocks.THREAD_UNINT));
                    }
                    return IOReturn.kIOReturnSuccess;
                });
            }
        });
        reader.start();
        await(waiting);
        // the reader sleeps inside the gate, yet another action gets in
        gate.runAction((owner, a0, a1, a2, a3) -> {
            ready[0] = true;
            gate.commandWakeup(dataReady, false);
            return IOReturn.kIOReturnSuccess;
        });
        reader.join(TimeUnit.SECONDS.toMillis(10));
        assertFalse(reader.isAlive());
        assertEquals(IOReturn.kIOReturnSuccess, sleepResult.get());

        KernelPanic panic = assertThrows(KernelPanic.class, () -> gate.commandSleep(dataReady, IOLocks.THREAD_UNINT));
        assertEquals("invalid commandSleep while not holding the gate", panic.getMessage());
        loop.removeEventSource(gate);
        gate.release();
    }

    @Test
    void commandSleepWithADeadlineTimesOutAndHoldsTheGateAgain() {
        IOCommandGate gate = IOCommandGate.commandGate(driver);
        loop.addEventSource(gate);
        int result = gate.runAction((owner, a0, a1, a2, a3) -> {
            int slept = gate.commandSleep("nobody-wakes-this",
                    IOLib.clock_interval_to_deadline(1, IOLib.kMillisecondScale), IOLocks.THREAD_UNINT);
            return loop.inGate() ? slept : -1;
        });
        assertEquals(IOLocks.THREAD_TIMED_OUT, result);
        loop.removeEventSource(gate);
        gate.release();
    }

    @Test
    void attemptActionNeverWaits() throws Exception {
        IOCommandGate gate = IOCommandGate.commandGate(driver);
        loop.addEventSource(gate);
        IOCommandGate.Action ok = (owner, a0, a1, a2, a3) -> IOReturn.kIOReturnSuccess;
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = new Thread(() -> {
            try (KernelRuntime.Scope inner = kernel.enter()) {
                loop.closeGate();
                holding.countDown();
                release.await(10, TimeUnit.SECONDS);
                loop.openGate();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        holder.start();
        await(holding);
        assertEquals(IOReturn.kIOReturnCannotLock, gate.attemptAction(ok));
        release.countDown();
        holder.join(TimeUnit.SECONDS.toMillis(10));

        // Free again; the work loop's own thread may hold the gate for a moment while it checks its
        // sources, and attemptAction does not wait for that either, so try a few times.
        int result = IOReturn.kIOReturnCannotLock;
        for (int i = 0; i < 1000 && result == IOReturn.kIOReturnCannotLock; i++) {
            result = gate.attemptAction(ok);
            if (result == IOReturn.kIOReturnCannotLock) {
                Thread.sleep(1);
            }
        }
        assertEquals(IOReturn.kIOReturnSuccess, result);
        gate.disable();
        assertEquals(IOReturn.kIOReturnNotPermitted, gate.attemptAction(ok));
        loop.removeEventSource(gate);
        gate.release();
    }

    @Test
    void aDisabledGateStallsCallersUntilEnabledAndAbortsThemWhenFreed() throws Exception {
        IOCommandGate gate = IOCommandGate.commandGate(driver, (owner, a0, a1, a2, a3) -> 7);
        loop.addEventSource(gate);
        gate.disable();
        AtomicInteger first = new AtomicInteger(-1);
        Thread stalled = new Thread(() -> {
            try (KernelRuntime.Scope inner = kernel.enter()) {
                first.set(gate.runCommand());
            }
        });
        stalled.start();
        while (gate.stalledCallers() == 0 && stalled.isAlive()) {
            Thread.onSpinWait();
        }
        assertEquals(-1, first.get(), "a disabled gate does not run the action");
        gate.enable();
        stalled.join(TimeUnit.SECONDS.toMillis(10));
        assertEquals(7, first.get());

        gate.disable();
        AtomicInteger second = new AtomicInteger(-1);
        Thread aborted = new Thread(() -> {
            try (KernelRuntime.Scope inner = kernel.enter()) {
                second.set(gate.runCommand());
            }
        });
        aborted.start();
        while (gate.stalledCallers() == 0 && aborted.isAlive()) {
            Thread.onSpinWait();
        }
        loop.removeEventSource(gate);
        gate.release();
        aborted.join(TimeUnit.SECONDS.toMillis(10));
        assertEquals(IOReturn.kIOReturnAborted, second.get());
    }

    @Test
    void aTimerFiresOnceWithTheGateClosed() throws Exception {
        CountDownLatch fired = new CountDownLatch(1);
        AtomicReference<String> seen = new AtomicReference<>();
        IOTimerEventSource timer = IOTimerEventSource.timerEventSource(driver, (owner, sender) -> {
            seen.set(loop.inGate() + "/" + kernel.scheduler.currentContext() + "/" + sender.isArmed());
            fired.countDown();
        });
        loop.addEventSource(timer);
        loop.closeGate(); // the timeout cannot complete while the test holds the gate
        assertEquals(IOReturn.kIOReturnSuccess, timer.setTimeoutMS(1));
        assertTrue(timer.isArmed());
        loop.openGate();
        await(fired);
        assertEquals("true/WORK_LOOP/false", seen.get());
        loop.removeEventSource(timer);
        assertFalse(timer.eventSourceRecord().removedWhileArmed);
        timer.release();
    }

    @Test
    void aPriorityWorkLoopTimerRunsOnTheWorkLoopThread() throws Exception {
        CountDownLatch fired = new CountDownLatch(1);
        AtomicReference<Boolean> onLoop = new AtomicReference<>();
        IOTimerEventSource timer = IOTimerEventSource.timerEventSource(
                IOTimerEventSource.kIOTimerEventSourceOptionsPriorityWorkLoop, driver, (owner, sender) -> {
                    onLoop.set(loop.onThread());
                    fired.countDown();
                });
        loop.addEventSource(timer);
        timer.setTimeoutUS(100);
        await(fired);
        assertTrue(onLoop.get());
        loop.removeEventSource(timer);
        timer.release();
    }

    @Test
    void aCancelledTimeoutDoesNotRunItsAction() throws Exception {
        AtomicInteger fired = new AtomicInteger();
        CountDownLatch second = new CountDownLatch(1);
        IOTimerEventSource timer = IOTimerEventSource.timerEventSource(driver, (owner, sender) -> {
            fired.incrementAndGet();
            second.countDown();
        });
        loop.addEventSource(timer);
        // Hold the gate so the first timeout, once due, waits for it; cancel it while it waits.
        loop.closeGate();
        timer.setTimeoutMS(1);
        Thread.sleep(20);
        timer.cancelTimeout();
        assertFalse(timer.isArmed());
        loop.openGate();

        timer.setTimeoutMS(1);
        await(second);
        assertEquals(1, fired.get(), "only the second timeout ran");
        loop.removeEventSource(timer);
        timer.release();
    }

    @Test
    void teardownMistakesAreRecordedForTheCheckers() {
        IOTimerEventSource timer = IOTimerEventSource.timerEventSource(driver, (owner, sender) -> { });
        loop.addEventSource(timer);
        timer.setTimeoutMS(60_000);
        timer.release(); // the driver drops its reference while the loop still holds the source
        assertTrue(timer.eventSourceRecord().releasedWhileAdded);
        loop.removeEventSource(timer); // still armed: W2 broken
        assertTrue(timer.eventSourceRecord().removedWhileArmed);
        assertTrue(timer.eventSourceRecord().freedWhileArmed, "the free cancelled the armed timer");
        assertFalse(timer.isArmed());
    }

    @Test
    void releasingTheWorkLoopRemovesItsSourcesAndEndsItsThread() {
        IOWorkLoop own = IOWorkLoop.workLoop();
        IOCommandGate gate = IOCommandGate.commandGate(driver);
        own.addEventSource(gate);
        gate.release();
        assertTrue(own.isThreadAlive());
        own.release();
        assertFalse(own.isThreadAlive());
        assertEquals(null, gate.getWorkLoop());
        assertEquals(0, gate.getRetainCount(), "the loop's reference was the last");
    }

    @Test
    void anExceptionInAnActionPanicsTheKernelNotTheJvm() throws Exception {
        IOTimerEventSource timer = IOTimerEventSource.timerEventSource(driver, (owner, sender) -> {
            throw new IllegalStateException("driver bug");
        });
        loop.addEventSource(timer);
        timer.setTimeoutUS(10);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (kernel.panics.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertEquals(1, kernel.panics.size());
        assertTrue(kernel.panics.get(0).contains("driver bug"), kernel.panics.get(0));
        assertFalse(loop.inGate());
        loop.removeEventSource(timer);
        timer.release();
    }

    @Test
    void driversCanBeTestedAgainstMockedWorkLoopsAndNubs() {
        IOService provider = mock(IOService.class);
        IOWorkLoop mockedLoop = mock(IOWorkLoop.class);
        when(provider.getWorkLoop()).thenReturn(mockedLoop);
        IOCommandGate gate = IOCommandGate.commandGate(driver);

        // what a driver's start() does
        IOWorkLoop workLoop = provider.getWorkLoop();
        workLoop.addEventSource(gate);

        assertSame(mockedLoop, workLoop);
        verify(mockedLoop).addEventSource(gate);
        gate.release();
    }
}
