package org.kextkit.kit.iokit;

import org.kextkit.kit.internal.CallSites;
import org.kextkit.kit.internal.KernelHeap;
import org.kextkit.kit.internal.MutexState;

/**
 * An I/O Kit mutex ({@code IOLock}, an {@code lck_mtx_t} in the {@code IOKit} group): made by
 * {@link IOLocks#IOLockAlloc()}, used through the {@link IOLocks} functions or the methods here.
 *
 * <p>Not recursive: locking it twice on one thread panics the kernel
 * ({@code Mutex 0x... is unexpectedly owned by thread ...}), and so does unlocking it on a thread that
 * does not hold it. It may block: never take it at primary interrupt level or under a spin lock.
 * Non-final so that tests can mock it.
 */
public class IOLock {
    private final MutexState state;

    /** For mocks and subclasses only: a lock made this way has no kernel state. */
    protected IOLock() {
        this.state = null;
    }

    IOLock(MutexState state) {
        this.state = state;
    }

    /** Return the kernel's record of this lock; kexts cannot use it. */
    public final MutexState lockState() {
        return LockSupport.require(state, "IOLock");
    }

    /** Take the lock ({@code IOLockLock}). */
    public void lock() {
        lockState().lock("IOLockLock");
    }

    /** Take the lock if free; return true if taken ({@code IOLockTryLock}). */
    public boolean tryLock() {
        return lockState().tryLock("IOLockTryLock");
    }

    /** Release the lock ({@code IOLockUnlock}). */
    public void unlock() {
        lockState().unlock("IOLockUnlock");
    }

    /**
     * Release the lock, sleep until {@link #wakeup} on {@code event}, and take it back
     * ({@code IOLockSleep}); return {@link IOLocks#THREAD_AWAKENED}.
     */
    public int sleep(Object event, int interruptType) {
        return lockState().sleep("IOLockSleep", event, Long.MAX_VALUE);
    }

    /**
     * Like {@link #sleep} but give up at {@code deadline} (kernel uptime in nanoseconds); return
     * {@link IOLocks#THREAD_TIMED_OUT} then ({@code IOLockSleepDeadline}).
     */
    public int sleepDeadline(Object event, long deadline, int interruptType) {
        return lockState().sleep("IOLockSleepDeadline", event, deadline);
    }

    /** Wake the threads sleeping on {@code event}, or only one ({@code IOLockWakeup}). */
    public void wakeup(Object event, boolean oneThread) {
        lockState().wakeup(event, oneThread);
    }

    /** Free the lock ({@code IOLockFree}); panics if it is held or has waiters. */
    public void free() {
        MutexState lock = lockState();
        lock.destroy("IOLockFree", null, null);
        lock.services().heap().free(KernelHeap.Allocator.IOLOCK, lock.storage(), LockSupport.MUTEX_SIZE, null,
                CallSites.callerClass());
    }

    @Override
    public String toString() {
        return state == null ? "IOLock (no kernel state)" : state.toString();
    }
}
