package org.kextkit.kit.iokit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kextkit.kit.iokit.IOLocks.*;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kextkit.kit.TestKernel;
import org.kextkit.kit.internal.ExecutionContext;
import org.kextkit.kit.internal.HeldLocks;
import org.kextkit.kit.internal.KernelPanic;
import org.kextkit.kit.internal.KernelRuntime;

class IOLocksTest {
    private final TestKernel kernel = new TestKernel();
    private KernelRuntime.Scope scope;

    @BeforeEach
    void enter() {
        scope = kernel.enter();
    }

    @AfterEach
    void leave() {
        scope.close();
        kernel.close();
    }

    /** Run {@code body} on another thread bound to the test kernel and wait for it. */
    private Thread other(Runnable body) {
        Thread thread = new Thread(() -> {
            try (KernelRuntime.Scope inner = kernel.enter()) {
                body.run();
            }
        }, "other");
        thread.start();
        return thread;
    }

    private static void join(Thread thread) throws InterruptedException {
        thread.join(TimeUnit.SECONDS.toMillis(10));
        assertFalse(thread.isAlive(), "the other thread finished");
    }

    @Test
    void anIOLockExcludesOtherThreadsAndRecordsItsOwner() throws Exception {
        IOLock lock = IOLockAlloc();
        int[] counter = {0};
        Runnable work = () -> {
            for (int i = 0; i < 2000; i++) {
                IOLockLock(lock);
                counter[0]++;
                IOLockUnlock(lock);
            }
        };
        Thread a = other(work);
        Thread b = other(work);
        join(a);
        join(b);
        assertEquals(4000, counter[0]);

        IOLockLock(lock);
        assertEquals(Thread.currentThread(), lock.lockState().owner());
        assertEquals(1, lock.lockState().holdCount());
        assertEquals(ExecutionContext.THREAD, lock.lockState().acquiredIn());
        assertEquals("IOKit", lock.lockState().groupName());
        assertEquals(getClass().getName(), lock.lockState().allocationSite().getClassName());
        assertTrue(HeldLocks.current().contains(lock.lockState()));
        IOLockUnlock(lock);
        assertNull(lock.lockState().owner());
        IOLockFree(lock);
    }

    @Test
    void lockingAnIOLockTwicePanicsInsteadOfDeadlocking() {
        IOLock lock = IOLockAlloc();
        IOLockLock(lock);
        KernelPanic panic = assertThrows(KernelPanic.class, () -> IOLockLock(lock));
        assertTrue(panic.getMessage().matches("Mutex 0x[0-9a-f]+ is unexpectedly owned by thread 0x[0-9a-f]+ \\(.*\\)"),
                panic.getMessage());
        assertEquals(1, kernel.panics.size());
    }

    @Test
    void unlockingALockYouDoNotHoldPanics() throws Exception {
        IOLock lock = IOLockAlloc();
        KernelPanic unheld = assertThrows(KernelPanic.class, () -> IOLockUnlock(lock));
        assertTrue(unheld.getMessage().contains("is unexpectedly not owned by thread"), unheld.getMessage());
        assertTrue(unheld.getMessage().contains("it is not held"), unheld.getMessage());

        IOLockLock(lock);
        AtomicReference<Throwable> fromOther = new AtomicReference<>();
        join(other(() -> {
            try {
                IOLockUnlock(lock);
            } catch (Throwable t) {
                fromOther.set(t);
            }
        }));
        assertTrue(fromOther.get() instanceof KernelPanic);
        assertTrue(fromOther.get().getMessage().contains("owner: thread"), fromOther.get().getMessage());
    }

    @Test
    void freeingAHeldLockPanicsAndAFreedLockCannotBeUsed() {
        IOLock lock = IOLockAlloc();
        long address = lock.lockState().address();
        assertNotNull(kernel.heap.allocationAt(address), "the lock lives in the kernel heap until freed");
        IOLockLock(lock);
        KernelPanic held = assertThrows(KernelPanic.class, () -> IOLockFree(lock));
        assertTrue(held.getMessage().startsWith("IOLockFree: Mutex 0x"), held.getMessage());
        assertTrue(held.getMessage().contains("is still held by thread"), held.getMessage());

        IOLockUnlock(lock);
        IOLockFree(lock);
        assertNull(kernel.heap.allocationAt(address));
        KernelPanic destroyed = assertThrows(KernelPanic.class, () -> IOLockLock(lock));
        assertTrue(destroyed.getMessage().contains("Invalid/destroyed mutex"), destroyed.getMessage());
    }

    @Test
    void aLeakedLockShowsInTheHeapAsItsAllocFunction() {
        IOLock lock = IOLockAlloc();
        assertEquals("IOLockAlloc", kernel.heap.allocationAt(lock.lockState().address()).allocator().allocFunction());
    }

    @Test
    void ioLockSleepReleasesTheLockUntilWokenAndReturnsHoldingIt() throws Exception {
        IOLock lock = IOLockAlloc();
        Object event = new Object();
        AtomicBoolean ready = new AtomicBoolean();
        AtomicInteger result = new AtomicInteger(-1);
        AtomicBoolean heldAfterwards = new AtomicBoolean();
        CountDownLatch asleep = new CountDownLatch(1);
        Thread sleeper = other(() -> {
            IOLockLock(lock);
            asleep.countDown();
            while (!ready.get()) {
                result.set(IOLockSleep(lock, event, THREAD_UNINT));
            }
            heldAfterwards.set(lock.lockState().isHeldByCurrentThread());
            IOLockUnlock(lock);
        });
        assertTrue(asleep.await(10, TimeUnit.SECONDS));
        IOLockLock(lock); // only possible once the sleeper let go of it
        ready.set(true);
        IOLockWakeup(lock, event, false);
        IOLockUnlock(lock);
        join(sleeper);
        assertEquals(THREAD_AWAKENED, result.get());
        assertTrue(heldAfterwards.get());
    }

    @Test
    void ioLockSleepDeadlineTimesOutHoldingTheLock() {
        IOLock lock = IOLockAlloc();
        IOLockLock(lock);
        long deadline = IOLib.clock_interval_to_deadline(1, IOLib.kMillisecondScale);
        assertEquals(THREAD_TIMED_OUT, IOLockSleepDeadline(lock, "never-woken", deadline, THREAD_UNINT));
        assertTrue(lock.lockState().isHeldByCurrentThread());
        IOLockUnlock(lock);
    }

    @Test
    void sleepingOnALockYouDoNotHoldPanics() {
        IOLock lock = IOLockAlloc();
        KernelPanic panic = assertThrows(KernelPanic.class, () -> IOLockSleep(lock, "event", THREAD_UNINT));
        assertTrue(panic.getMessage().startsWith("IOLockSleep: mutex 0x"), panic.getMessage());
    }

    @Test
    void aRecursiveLockCountsHoldsAndSleepsWithAllOfThemReleased() throws Exception {
        IORecursiveLock lock = IORecursiveLockAlloc();
        IORecursiveLockLock(lock);
        IORecursiveLockLock(lock);
        assertTrue(IORecursiveLockHaveLock(lock));
        assertEquals(2, lock.lockState().holdCount());

        AtomicBoolean otherGotIt = new AtomicBoolean(true);
        join(other(() -> otherGotIt.set(IORecursiveLockTryLock(lock))));
        assertFalse(otherGotIt.get());

        long deadline = IOLib.clock_interval_to_deadline(1, IOLib.kMillisecondScale);
        assertEquals(THREAD_TIMED_OUT, lock.sleepDeadline("nobody", deadline, THREAD_UNINT));
        assertEquals(2, lock.lockState().holdCount(), "the holds come back after the sleep");

        IORecursiveLockUnlock(lock);
        assertTrue(IORecursiveLockHaveLock(lock));
        IORecursiveLockUnlock(lock);
        assertFalse(IORecursiveLockHaveLock(lock));
        IORecursiveLockFree(lock);
    }

    @Test
    void aContendedSimpleLockWaitsAndRecordsDisabledInterrupts() throws Exception {
        IOSimpleLock lock = IOSimpleLockAlloc();
        IOInterruptState state = IOSimpleLockLockDisableInterrupt(lock);
        assertTrue(state.interruptsWereEnabled());
        assertTrue(lock.lockState().interruptsDisabled());
        assertEquals(1, HeldLocks.spinLocksHeld());

        CountDownLatch trying = new CountDownLatch(1);
        AtomicBoolean got = new AtomicBoolean();
        Thread contender = other(() -> {
            trying.countDown();
            IOSimpleLockLock(lock);
            got.set(true);
            IOSimpleLockUnlock(lock);
        });
        assertTrue(trying.await(10, TimeUnit.SECONDS));
        assertFalse(got.get(), "the contender cannot pass while the lock is held");
        IOSimpleLockUnlockEnableInterrupt(lock, state);
        join(contender);
        assertTrue(got.get());
        assertEquals(0, HeldLocks.spinLocksHeld());
        IOSimpleLockFree(lock);
    }

    @Test
    void rwLocksLetReadersShareAndKeepWritersOut() throws Exception {
        IORWLock lock = IORWLockAlloc();
        IORWLockRead(lock);
        AtomicBoolean otherRead = new AtomicBoolean();
        AtomicBoolean otherWrote = new AtomicBoolean(true);
        join(other(() -> {
            otherRead.set(IORWLockTryRead(lock));
            if (otherRead.get()) {
                IORWLockUnlock(lock);
            }
            otherWrote.set(IORWLockTryWrite(lock));
        }));
        assertTrue(otherRead.get(), "readers share");
        assertFalse(otherWrote.get(), "a writer waits for readers");
        IORWLockUnlock(lock);

        IORWLockWrite(lock);
        assertEquals(Thread.currentThread(), lock.lockState().writer());
        IORWLockUnlock(lock);
        KernelPanic panic = assertThrows(KernelPanic.class, () -> IORWLockUnlock(lock));
        assertTrue(panic.getMessage().contains("is not held by thread"), panic.getMessage());
        IORWLockFree(lock);
    }

    @Test
    void driverCodeCanBeTestedWithMockedLocks() {
        IOLock lock = mock(IOLock.class);
        when(lock.tryLock()).thenReturn(false);
        IOLockLock(lock);
        assertFalse(IOLockTryLock(lock));
        IOLockUnlock(lock);
        verify(lock).lock();
        verify(lock).unlock();
    }
}
