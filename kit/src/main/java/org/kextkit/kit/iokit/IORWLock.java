package org.kextkit.kit.iokit;

import org.kextkit.kit.internal.CallSites;
import org.kextkit.kit.internal.KernelHeap;
import org.kextkit.kit.internal.RwLockState;

/**
 * An I/O Kit reader-writer lock ({@code IORWLock}, an {@code lck_rw_t}): many readers or one
 * writer. Made by {@link IOLocks#IORWLockAlloc()}. Non-final for mocks.
 */
public class IORWLock {
    private final RwLockState state;

    /** For mocks and subclasses only: a lock made this way has no kernel state. */
    protected IORWLock() {
        this.state = null;
    }

    IORWLock(RwLockState state) {
        this.state = state;
    }

    /** Return the kernel's record of this lock; kexts cannot use it. */
    public final RwLockState lockState() {
        return LockSupport.require(state, "IORWLock");
    }

    /** Take the lock for reading ({@code IORWLockRead}). */
    public void read() {
        lockState().lockShared("IORWLockRead");
    }

    /** Take the lock for writing ({@code IORWLockWrite}). */
    public void write() {
        lockState().lockExclusive("IORWLockWrite");
    }

    /** Take the lock for reading if no writer holds or waits ({@code IORWLockTryRead}). */
    public boolean tryRead() {
        return lockState().tryLockShared("IORWLockTryRead");
    }

    /** Take the lock for writing if nobody holds it ({@code IORWLockTryWrite}). */
    public boolean tryWrite() {
        return lockState().tryLockExclusive("IORWLockTryWrite");
    }

    /** Release the caller's hold, read or write ({@code IORWLockUnlock}). */
    public void unlock() {
        lockState().done("IORWLockUnlock");
    }

    /** Free the lock ({@code IORWLockFree}); panics if it is held. */
    public void free() {
        RwLockState lock = lockState();
        lock.destroy("IORWLockFree", null, null);
        lock.services().heap().free(KernelHeap.Allocator.IORWLOCK, lock.storage(), LockSupport.RW_SIZE, null,
                CallSites.callerClass());
    }

    @Override
    public String toString() {
        return state == null ? "IORWLock (no kernel state)" : state.toString();
    }
}
