package org.kextkit.kit.internal;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.kextkit.kit.libkern.KernelBuffer;

/**
 * A mutual-exclusion lock: a mutex ({@code IOLock}, {@code lck_mtx_t}), a recursive mutex
 * ({@code IORecursiveLock}) or a spin lock ({@code IOSimpleLock}, {@code lck_spin_t}). A contended
 * spin lock waits on the wait queue like a mutex: under virtual time a real spin would stop the
 * kernel.
 *
 * <p>Misuse panics with XNU's wording: locking a non-recursive lock the thread already holds
 * ({@code Mutex 0x... is unexpectedly owned by thread ...}) and unlocking a lock the thread does not
 * hold ({@code ... is unexpectedly not owned by thread ...}).
 */
public final class MutexState extends LockState {
    private final boolean recursive;
    private final AtomicReference<Thread> owner = new AtomicReference<>();
    private final AtomicInteger waiters = new AtomicInteger();
    private volatile int holdCount;
    private volatile ExecutionContext acquiredIn;
    private volatile boolean interruptsDisabled;

    /** Create a mutex or spin lock record; see {@link LockState#LockState}. */
    public MutexState(Kind kind, KernelServices services, KernelBuffer storage, String groupName, Object group,
                      Class<?> caller) {
        super(kind, services, storage, groupName, group, caller);
        this.recursive = kind == Kind.IORECURSIVELOCK;
    }

    /** Take the lock, waiting as long as it takes. */
    public void lock(String function) {
        checkUsable(function);
        Thread me = Thread.currentThread();
        if (owner.get() == me) {
            if (recursive) {
                holdCount++;
                return;
            }
            misuse(KernelChecks.LockMisuse.RECURSIVE_ACQUISITION,
                    String.format("%s 0x%x is unexpectedly owned by %s", kind().noun(), address(), describe(me)));
        }
        if (!isSpin() && checks.active()) {
            checks.blocking(function);
        }
        boolean contended = false;
        if (!owner.compareAndSet(null, me)) {
            contended = true;
            waiters.incrementAndGet();
            try {
                do {
                    awaitForever(() -> owner.get() == null);
                } while (!owner.compareAndSet(null, me));
            } finally {
                waiters.decrementAndGet();
            }
        }
        acquired(contended);
    }

    /** Take the lock if it is free (or, for a recursive lock, already the caller's); return true if taken. */
    public boolean tryLock(String function) {
        checkUsable(function);
        Thread me = Thread.currentThread();
        if (owner.get() == me) {
            if (recursive) {
                holdCount++;
                return true;
            }
            return false;
        }
        if (owner.compareAndSet(null, me)) {
            acquired(false);
            return true;
        }
        return false;
    }

    /** Release one hold of the lock; panic if the caller does not hold it. */
    public void unlock(String function) {
        checkUsable(function);
        Thread me = Thread.currentThread();
        Thread holder = owner.get();
        if (holder != me) {
            misuse(KernelChecks.LockMisuse.UNLOCK_NOT_OWNER,
                    String.format("%s 0x%x is unexpectedly not owned by %s (%s)", kind().noun(), address(),
                    describe(me), holder == null ? "it is not held" : "owner: " + describe(holder)));
        }
        if (recursive && holdCount > 1) {
            holdCount--;
            return;
        }
        releaseFully();
    }

    /** Release every hold the caller has (to sleep on a recursive lock); return how many it had. */
    public int releaseAll(String function) {
        Thread me = Thread.currentThread();
        if (owner.get() != me) {
            panic(String.format("%s: %s 0x%x not owned by %s", function, kind().noun().toLowerCase(), address(),
                    describe(me)));
        }
        int held = holdCount;
        releaseFully();
        return held;
    }

    /** Take the lock again after {@link #releaseAll}, restoring {@code holds} holds. */
    public void reacquire(String function, int holds) {
        lock(function);
        holdCount = holds;
    }

    /**
     * Sleep on {@code event} holding this lock ({@code IOLockSleep}, {@code IORecursiveLockSleep}):
     * register the sleep, release every hold, wait for a wakeup or {@code deadlineNanos}, then take
     * the lock back with the same holds. Panics if the caller does not hold the lock.
     *
     * @return {@link KernelEvents#THREAD_AWAKENED} or {@link KernelEvents#THREAD_TIMED_OUT}
     */
    public int sleep(String function, Object event, long deadlineNanos) {
        checkUsable(function);
        if (owner.get() != Thread.currentThread()) {
            panic(String.format("%s: %s 0x%x not owned by %s", function, kind().noun().toLowerCase(), address(),
                    describe(Thread.currentThread())));
        }
        if (checks.active()) {
            checks.blocking(function);
        }
        KernelEvents.Sleeper sleeper = KernelEvents.of(scheduler).prepareToSleep(event);
        int holds = releaseAll(function);
        try {
            return sleeper.block(deadlineNanos);
        } finally {
            reacquire(function, holds);
        }
    }

    /** Wake threads sleeping on {@code event} in this lock's kernel; return how many. */
    public int wakeup(Object event, boolean oneThread) {
        return KernelEvents.of(scheduler).wakeup(event, oneThread);
    }

    /** Mark that the holder disabled interrupts when taking it ({@code IOSimpleLockLockDisableInterrupt}). */
    public void setInterruptsDisabled(boolean disabled) {
        this.interruptsDisabled = disabled;
    }

    /** Panic unless the calling thread holds the lock ({@code lck_mtx_assert(..., LCK_MTX_ASSERT_OWNED)}). */
    public void assertOwned() {
        if (owner.get() != Thread.currentThread()) {
            panic(String.format("%s (0x%x) not owned", kind().noun().toLowerCase(), address()));
        }
    }

    /** Panic if the calling thread holds the lock ({@code LCK_MTX_ASSERT_NOTOWNED}). */
    public void assertNotOwned() {
        if (owner.get() == Thread.currentThread()) {
            panic(String.format("%s (0x%x) owned", kind().noun().toLowerCase(), address()));
        }
    }

    private void acquired(boolean contended) {
        holdCount = 1;
        acquiredIn = scheduler.currentContext();
        HeldLocks.acquired(this);
        if (checks.active()) {
            checks.lockAcquired(this, contended);
        }
    }

    private void releaseFully() {
        if (checks.active()) {
            checks.lockReleasing(this);
        }
        holdCount = 0;
        acquiredIn = null;
        interruptsDisabled = false;
        HeldLocks.released(this);
        owner.set(null);
        // read after releasing: a waiter counts itself before trying, so none is missed
        if (waiters.get() > 0) {
            queue.wakeAll();
        }
    }

    /** Return the owning thread, or {@code null}. */
    public Thread owner() {
        return owner.get();
    }

    /** Return how many times the owner holds it (0 when free; above 1 only for a recursive lock). */
    public int holdCount() {
        return holdCount;
    }

    /** Return the context the owner took it in, or {@code null} when free. */
    public ExecutionContext acquiredIn() {
        return acquiredIn;
    }

    /** Return true while the holder has interrupts disabled through it. */
    public boolean interruptsDisabled() {
        return interruptsDisabled;
    }

    /** Return true for a recursive lock. */
    public boolean isRecursive() {
        return recursive;
    }

    /** Return true for a spin lock. */
    public boolean isSpin() {
        return kind() == Kind.IOSIMPLELOCK || kind() == Kind.LCK_SPIN;
    }

    @Override
    public boolean isHeld() {
        return owner.get() != null;
    }

    @Override
    public boolean isHeldByCurrentThread() {
        return owner.get() == Thread.currentThread();
    }

    @Override
    public int waiterCount() {
        return waiters.get();
    }

    @Override
    protected String holders() {
        return describe(owner.get());
    }
}
