package org.kextkit.kit.iokit;

import org.kextkit.kit.internal.CallSites;
import org.kextkit.kit.internal.KernelHeap;
import org.kextkit.kit.internal.MutexState;

/**
 * An I/O Kit recursive mutex ({@code IORecursiveLock}): the holder may take it again, and must
 * unlock it as many times. Made by {@link IOLocks#IORecursiveLockAlloc()}. Non-final for mocks.
 */
public class IORecursiveLock {
    private final MutexState state;

    /** For mocks and subclasses only: a lock made this way has no kernel state. */
    protected IORecursiveLock() {
        this.state = null;
    }

    IORecursiveLock(MutexState state) {
        this.state = state;
    }

    /** Return the kernel's record of this lock; kexts cannot use it. */
    public final MutexState lockState() {
        return LockSupport.require(state, "IORecursiveLock");
    }

    /** Take the lock, or one more hold of it ({@code IORecursiveLockLock}). */
    public void lock() {
        lockState().lock("IORecursiveLockLock");
    }

    /** Take the lock if free or already held by the caller ({@code IORecursiveLockTryLock}). */
    public boolean tryLock() {
        return lockState().tryLock("IORecursiveLockTryLock");
    }

    /** Release one hold ({@code IORecursiveLockUnlock}). */
    public void unlock() {
        lockState().unlock("IORecursiveLockUnlock");
    }

    /** Return true if the calling thread holds the lock ({@code IORecursiveLockHaveLock}). */
    public boolean haveLock() {
        return lockState().isHeldByCurrentThread();
    }

    /** Release all holds, sleep until woken on {@code event}, take them back ({@code IORecursiveLockSleep}). */
    public int sleep(Object event, int interruptType) {
        return lockState().sleep("IORecursiveLockSleep", event, Long.MAX_VALUE);
    }

    /** Like {@link #sleep} with a deadline in kernel uptime nanoseconds ({@code IORecursiveLockSleepDeadline}). */
    public int sleepDeadline(Object event, long deadline, int interruptType) {
        return lockState().sleep("IORecursiveLockSleepDeadline", event, deadline);
    }

    /** Wake threads sleeping on {@code event} ({@code IORecursiveLockWakeup}). */
    public void wakeup(Object event, boolean oneThread) {
        lockState().wakeup(event, oneThread);
    }

    /** Free the lock ({@code IORecursiveLockFree}); panics if it is held. */
    public void free() {
        MutexState lock = lockState();
        lock.destroy("IORecursiveLockFree", null, null);
        lock.services().heap().free(KernelHeap.Allocator.IORECURSIVELOCK, lock.storage(), LockSupport.RECURSIVE_SIZE,
                null, CallSites.callerClass());
    }

    @Override
    public String toString() {
        return state == null ? "IORecursiveLock (no kernel state)" : state.toString();
    }
}
