package org.kextkit.kit.iokit;

import org.kextkit.kit.internal.CallSites;
import org.kextkit.kit.internal.KernelHeap;
import org.kextkit.kit.internal.MutexState;

/**
 * An I/O Kit spin lock ({@code IOSimpleLock}, an {@code lck_spin_t}): for data shared with primary
 * interrupt level. Hold it briefly and never block while holding it (no {@code IOMalloc},
 * {@code IOLog}, mutex or sleep). To share data with an interrupt filter, use
 * {@link IOLocks#IOSimpleLockLockDisableInterrupt}. Non-final for mocks.
 */
public class IOSimpleLock {
    private final MutexState state;

    /** For mocks and subclasses only: a lock made this way has no kernel state. */
    protected IOSimpleLock() {
        this.state = null;
    }

    IOSimpleLock(MutexState state) {
        this.state = state;
    }

    /** Return the kernel's record of this lock; kexts cannot use it. */
    public final MutexState lockState() {
        return LockSupport.require(state, "IOSimpleLock");
    }

    /** Take the lock ({@code IOSimpleLockLock}). */
    public void lock() {
        lockState().lock("IOSimpleLockLock");
    }

    /** Take the lock if free ({@code IOSimpleLockTryLock}). */
    public boolean tryLock() {
        return lockState().tryLock("IOSimpleLockTryLock");
    }

    /** Release the lock ({@code IOSimpleLockUnlock}). */
    public void unlock() {
        lockState().unlock("IOSimpleLockUnlock");
    }

    /** Free the lock ({@code IOSimpleLockFree}); panics if it is held. */
    public void free() {
        MutexState lock = lockState();
        lock.destroy("IOSimpleLockFree", null, null);
        lock.services().heap().free(KernelHeap.Allocator.IOSIMPLELOCK, lock.storage(), LockSupport.SPIN_SIZE, null,
                CallSites.callerClass());
    }

    @Override
    public String toString() {
        return state == null ? "IOSimpleLock (no kernel state)" : state.toString();
    }
}
