package org.kextkit.kit.iokit;

import org.kextkit.kit.internal.ExecutionContext;
import org.kextkit.kit.internal.HeldLocks;
import org.kextkit.kit.internal.KernelEvents;
import org.kextkit.kit.internal.KernelHeap;
import org.kextkit.kit.internal.KernelRuntime;
import org.kextkit.kit.internal.LockState;
import org.kextkit.kit.internal.MutexState;

/**
 * Call the I/O Kit lock functions ({@code IOLocks.h}): {@link IOLock}, {@link IORecursiveLock},
 * {@link IOSimpleLock} and {@link IORWLock}.
 *
 * <p>Use with a static import: {@code import static org.kextkit.kit.iokit.IOLocks.*;}. Each function
 * calls the corresponding method of the lock, so a mocked lock stays mocked.
 *
 * <p>The kernel records, for each lock, its owner, hold count, the context it was taken in and where
 * it was made, and panics on clear misuse as XNU does: re-locking a non-recursive lock
 * ({@code Mutex 0x... is unexpectedly owned by thread ...}), unlocking a lock the thread does not
 * hold ({@code ... is unexpectedly not owned by thread ...}), and freeing a held lock.
 * {@code IOLockSleep} events are any object; wakeups compare them with {@code equals}.
 */
@SuppressWarnings("checkstyle:MethodName")
public final class IOLocks {
    /** {@code THREAD_UNINT}: the sleep cannot be interrupted. */
    public static final int THREAD_UNINT = 0;
    /** {@code THREAD_INTERRUPTIBLE}. */
    public static final int THREAD_INTERRUPTIBLE = 1;
    /** {@code THREAD_ABORTSAFE}. */
    public static final int THREAD_ABORTSAFE = 2;

    /** {@code THREAD_AWAKENED}: a sleep ended by a wakeup. */
    public static final int THREAD_AWAKENED = KernelEvents.THREAD_AWAKENED;
    /** {@code THREAD_TIMED_OUT}: a sleep ended by its deadline. */
    public static final int THREAD_TIMED_OUT = KernelEvents.THREAD_TIMED_OUT;
    /** {@code THREAD_INTERRUPTED}: a sleep was aborted. */
    public static final int THREAD_INTERRUPTED = KernelEvents.THREAD_INTERRUPTED;

    /** {@code kIOLockAssertOwned}. */
    public static final int kIOLockAssertOwned = 1;
    /** {@code kIOLockAssertNotOwned}. */
    public static final int kIOLockAssertNotOwned = 2;

    private IOLocks() {
    }

    // ---- IOLock --------------------------------------------------------------------------------

    /** Allocate a mutex ({@code IOLockAlloc}); free it with {@link #IOLockFree}. */
    public static IOLock IOLockAlloc() {
        Class<?> caller = KernelRuntime.callerClass();
        return new IOLock(LockSupport.mutex(LockState.Kind.IOLOCK, KernelHeap.Allocator.IOLOCK,
                LockSupport.MUTEX_SIZE, caller));
    }

    /** Free a mutex; it must be unlocked with no waiters ({@code IOLockFree}). */
    public static void IOLockFree(IOLock lock) {
        lock.free();
    }

    /** Take a mutex ({@code IOLockLock}). */
    public static void IOLockLock(IOLock lock) {
        lock.lock();
    }

    /** Take a mutex if free; return true if taken ({@code IOLockTryLock}). */
    public static boolean IOLockTryLock(IOLock lock) {
        return lock.tryLock();
    }

    /** Release a mutex ({@code IOLockUnlock}). */
    public static void IOLockUnlock(IOLock lock) {
        lock.unlock();
    }

    /** Release the held mutex, sleep until {@link #IOLockWakeup} on {@code event}, retake it ({@code IOLockSleep}). */
    public static int IOLockSleep(IOLock lock, Object event, int interruptType) {
        return lock.sleep(event, interruptType);
    }

    /**
     * Like {@link #IOLockSleep}, giving up at {@code deadline} (kernel uptime in nanoseconds, see
     * {@link IOLib#clock_interval_to_deadline}) with {@link #THREAD_TIMED_OUT} ({@code IOLockSleepDeadline}).
     */
    public static int IOLockSleepDeadline(IOLock lock, Object event, long deadline, int interruptType) {
        return lock.sleepDeadline(event, deadline, interruptType);
    }

    /** Wake the threads sleeping on {@code event}, or only one ({@code IOLockWakeup}). */
    public static void IOLockWakeup(IOLock lock, Object event, boolean oneThread) {
        lock.wakeup(event, oneThread);
    }

    /** Panic unless the lock is (or is not) held by the caller, as {@code type} says ({@code IOLockAssert}). */
    public static void IOLockAssert(IOLock lock, int type) {
        if (type == kIOLockAssertOwned) {
            lock.lockState().assertOwned();
        } else {
            lock.lockState().assertNotOwned();
        }
    }

    // ---- IORecursiveLock -----------------------------------------------------------------------

    /** Allocate a recursive mutex ({@code IORecursiveLockAlloc}). */
    public static IORecursiveLock IORecursiveLockAlloc() {
        Class<?> caller = KernelRuntime.callerClass();
        return new IORecursiveLock(LockSupport.mutex(LockState.Kind.IORECURSIVELOCK,
                KernelHeap.Allocator.IORECURSIVELOCK, LockSupport.RECURSIVE_SIZE, caller));
    }

    /** Free a recursive mutex ({@code IORecursiveLockFree}). */
    public static void IORecursiveLockFree(IORecursiveLock lock) {
        lock.free();
    }

    /** Take a recursive mutex, or one more hold of it ({@code IORecursiveLockLock}). */
    public static void IORecursiveLockLock(IORecursiveLock lock) {
        lock.lock();
    }

    /** Take a recursive mutex if free or already the caller's ({@code IORecursiveLockTryLock}). */
    public static boolean IORecursiveLockTryLock(IORecursiveLock lock) {
        return lock.tryLock();
    }

    /** Release one hold ({@code IORecursiveLockUnlock}). */
    public static void IORecursiveLockUnlock(IORecursiveLock lock) {
        lock.unlock();
    }

    /** Return true if the caller holds the lock ({@code IORecursiveLockHaveLock}). */
    public static boolean IORecursiveLockHaveLock(IORecursiveLock lock) {
        return lock.haveLock();
    }

    /** Release all holds, sleep on {@code event}, take them back ({@code IORecursiveLockSleep}). */
    public static int IORecursiveLockSleep(IORecursiveLock lock, Object event, int interruptType) {
        return lock.sleep(event, interruptType);
    }

    /** Wake threads sleeping on {@code event} ({@code IORecursiveLockWakeup}). */
    public static void IORecursiveLockWakeup(IORecursiveLock lock, Object event, boolean oneThread) {
        lock.wakeup(event, oneThread);
    }

    // ---- IOSimpleLock --------------------------------------------------------------------------

    /** Allocate a spin lock ({@code IOSimpleLockAlloc}). */
    public static IOSimpleLock IOSimpleLockAlloc() {
        Class<?> caller = KernelRuntime.callerClass();
        return new IOSimpleLock(LockSupport.mutex(LockState.Kind.IOSIMPLELOCK, KernelHeap.Allocator.IOSIMPLELOCK,
                LockSupport.SPIN_SIZE, caller));
    }

    /** Free a spin lock ({@code IOSimpleLockFree}). */
    public static void IOSimpleLockFree(IOSimpleLock lock) {
        lock.free();
    }

    /** Take a spin lock ({@code IOSimpleLockLock}). */
    public static void IOSimpleLockLock(IOSimpleLock lock) {
        lock.lock();
    }

    /** Take a spin lock if free ({@code IOSimpleLockTryLock}). */
    public static boolean IOSimpleLockTryLock(IOSimpleLock lock) {
        return lock.tryLock();
    }

    /** Release a spin lock ({@code IOSimpleLockUnlock}). */
    public static void IOSimpleLockUnlock(IOSimpleLock lock) {
        lock.unlock();
    }

    /**
     * Disable interrupts and take a spin lock ({@code IOSimpleLockLockDisableInterrupt}); pass the
     * result back to {@link #IOSimpleLockUnlockEnableInterrupt}. The way to share data with a filter
     * routine.
     */
    public static IOInterruptState IOSimpleLockLockDisableInterrupt(IOSimpleLock lock) {
        boolean wereEnabled = interruptsEnabledOnThisThread(lock);
        lock.lock();
        if (lock.lockState() != null) {
            lock.lockState().setInterruptsDisabled(true);
        }
        return new IOInterruptState(wereEnabled);
    }

    /** Release a spin lock taken with {@link #IOSimpleLockLockDisableInterrupt} and restore interrupts. */
    public static void IOSimpleLockUnlockEnableInterrupt(IOSimpleLock lock, IOInterruptState state) {
        lock.unlock();
    }

    private static boolean interruptsEnabledOnThisThread(IOSimpleLock lock) {
        MutexState state;
        try {
            state = lock.lockState();
        } catch (RuntimeException | Error mockWithoutState) {
            return true;
        }
        if (state.scheduler().currentContext() == ExecutionContext.PRIMARY_INTERRUPT) {
            return false;
        }
        for (LockState held : HeldLocks.current()) {
            if (held instanceof MutexState && ((MutexState) held).interruptsDisabled()) {
                return false;
            }
        }
        return true;
    }

    // ---- IORWLock ------------------------------------------------------------------------------

    /** Allocate a reader-writer lock ({@code IORWLockAlloc}). */
    public static IORWLock IORWLockAlloc() {
        return new IORWLock(LockSupport.rw(KernelRuntime.callerClass()));
    }

    /** Free a reader-writer lock ({@code IORWLockFree}). */
    public static void IORWLockFree(IORWLock lock) {
        lock.free();
    }

    /** Take a reader-writer lock for reading ({@code IORWLockRead}). */
    public static void IORWLockRead(IORWLock lock) {
        lock.read();
    }

    /** Take a reader-writer lock for writing ({@code IORWLockWrite}). */
    public static void IORWLockWrite(IORWLock lock) {
        lock.write();
    }

    /** Take it for reading if possible at once ({@code IORWLockTryRead}). */
    public static boolean IORWLockTryRead(IORWLock lock) {
        return lock.tryRead();
    }

    /** Take it for writing if possible at once ({@code IORWLockTryWrite}). */
    public static boolean IORWLockTryWrite(IORWLock lock) {
        return lock.tryWrite();
    }

    /** Release the caller's hold, read or write ({@code IORWLockUnlock}). */
    public static void IORWLockUnlock(IORWLock lock) {
        lock.unlock();
    }
}
