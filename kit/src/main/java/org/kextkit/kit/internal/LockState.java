package org.kextkit.kit.internal;

import java.util.Objects;
import org.kextkit.kit.libkern.KernelBuffer;

/**
 * The kernel's record of one lock (an {@code IOLock}, {@code lck_mtx_t}, spin or rw lock): what it
 * is, where it was made, who holds it and in which context, for the lock checkers. Every blocking
 * wait goes through a {@link WaitQueue} of the owning kernel's scheduler, never a Java monitor.
 */
public abstract class LockState {
    /** The kinds of lock, by the name their functions use. */
    public enum Kind {
        /** {@code IOLock} (an {@code lck_mtx_t} in the {@code IOKit} group). */
        IOLOCK("Mutex"),
        /** {@code IORecursiveLock}. */
        IORECURSIVELOCK("Mutex"),
        /** {@code IOSimpleLock} (an {@code lck_spin_t}). */
        IOSIMPLELOCK("Spinlock"),
        /** {@code IORWLock} (an {@code lck_rw_t}). */
        IORWLOCK("RW lock"),
        /** {@code lck_mtx_t}. */
        LCK_MTX("Mutex"),
        /** {@code lck_spin_t}. */
        LCK_SPIN("Spinlock"),
        /** {@code lck_rw_t}. */
        LCK_RW("RW lock");

        private final String noun;

        Kind(String noun) {
            this.noun = noun;
        }

        /** Return the word panics use for this kind ({@code Mutex}, {@code Spinlock}, {@code RW lock}). */
        public String noun() {
            return noun;
        }
    }

    private final Kind kind;
    private final KernelServices services;
    private final KernelBuffer storage;
    private final String groupName;
    private final Object group;
    private final StackTraceElement allocationSite;
    private final Class<?> caller;
    /** The scheduler every wait on this lock goes through. */
    protected final KernelScheduler scheduler;
    /** The queue its waiters wait on. */
    protected final WaitQueue queue;
    /** The checks of the lock's kernel, called on every acquisition and release. */
    protected final KernelChecks checks;
    private volatile Object checkerData;
    private volatile boolean destroyed;
    private volatile String mismatchedFreeGroup;

    /**
     * Create the record of a new lock.
     *
     * @param kind the kind of lock
     * @param services the kernel the lock lives in (its panics go there)
     * @param storage the lock's memory in the kernel heap (its address names the lock)
     * @param groupName the lock group's name ({@code IOKit} for I/O Kit locks)
     * @param group the lock group object, or {@code null}
     * @param caller the class that made the lock, or {@code null}
     */
    protected LockState(Kind kind, KernelServices services, KernelBuffer storage, String groupName, Object group,
                        Class<?> caller) {
        this.kind = Objects.requireNonNull(kind, "kind");
        this.services = Objects.requireNonNull(services, "services");
        this.storage = storage;
        this.groupName = groupName;
        this.group = group;
        this.caller = caller;
        this.allocationSite = CallSites.caller();
        this.scheduler = services.scheduler();
        this.checks = services.checks();
        this.queue = scheduler.newWaitQueue(String.format("%s 0x%x", kind.noun(), address()));
    }

    /** Return the kind of lock. */
    public final Kind kind() {
        return kind;
    }

    /** Return the lock's kernel address. */
    public final long address() {
        return storage == null ? 0 : storage.address();
    }

    /** Return the lock's memory in the kernel heap. */
    public final KernelBuffer storage() {
        return storage;
    }

    /** Return the name of the lock group it was made in. */
    public final String groupName() {
        return groupName;
    }

    /** Return the lock group object it was made in, or {@code null} for I/O Kit locks. */
    public final Object group() {
        return group;
    }

    /** Return where the lock was made (first frame outside the kit). */
    public final StackTraceElement allocationSite() {
        return allocationSite;
    }

    /** Return the class that made the lock, or {@code null}. */
    public final Class<?> caller() {
        return caller;
    }

    /** Return the scheduler of the kernel the lock lives in. */
    public final KernelScheduler scheduler() {
        return scheduler;
    }

    /** Return the kernel the lock lives in. */
    public final KernelServices services() {
        return services;
    }

    /** Return what the kernel's checkers keep about this lock, or {@code null}. */
    public final Object checkerData() {
        return checkerData;
    }

    /** Let the kernel's checkers keep {@code data} about this lock. */
    public final void setCheckerData(Object data) {
        this.checkerData = data;
    }

    /** Report {@code misuse} to the checks, then panic with {@code panicString}. */
    protected final KernelPanic misuse(KernelChecks.LockMisuse misuse, String panicString) {
        if (checks.active()) {
            checks.lockMisuse(misuse, this, panicString);
        }
        throw services.panic(panicString);
    }

    /** Return true once the lock was freed or destroyed. */
    public final boolean isDestroyed() {
        return destroyed;
    }

    /** Return the group a free or destroy named when it differed from the lock's own, else {@code null}. */
    public final String mismatchedFreeGroup() {
        return mismatchedFreeGroup;
    }

    /** Return true if any thread holds the lock. */
    public abstract boolean isHeld();

    /** Return true if the calling thread holds the lock. */
    public abstract boolean isHeldByCurrentThread();

    /** Return how many threads wait for the lock. */
    public abstract int waiterCount();

    /**
     * Mark the lock destroyed by {@code function} with {@code freeGroup}, first panicking if it is held
     * or has waiters, as XNU does.
     */
    public final void destroy(String function, Object freeGroup, String freeGroupName) {
        checkUsable(function);
        if (isHeld()) {
            misuse(KernelChecks.LockMisuse.DESTROYED_WHILE_HELD, String.format("%s: %s 0x%x is still held by %s", function, kind.noun(), address(), holders()));
        }
        if (waiterCount() > 0) {
            misuse(KernelChecks.LockMisuse.DESTROYED_WHILE_HELD, String.format("%s: %s to destroy still has waiters (0x%x)", function, kind.noun(), address()));
        }
        if (freeGroup != group && group != null) {
            mismatchedFreeGroup = freeGroupName;
            if (checks.active()) {
                checks.lockMisuse(KernelChecks.LockMisuse.WRONG_GROUP, this, String.format(
                        "%s: %s 0x%x of group %s freed with group %s", function, kind.noun(), address(), groupName,
                        freeGroupName));
            }
        }
        destroyed = true;
    }

    /** Describe the holder(s) for a panic string. */
    protected abstract String holders();

    /** Panic if the lock was destroyed. */
    protected final void checkUsable(String function) {
        if (destroyed) {
            panic(String.format("%s: Invalid/destroyed %s 0x%x", function, kind.noun().toLowerCase(), address()));
        }
    }

    /** Panic the lock's kernel; never returns normally. */
    protected final KernelPanic panic(String panicString) {
        throw services.panic(panicString);
    }

    /** Describe a thread the way panics name threads. */
    @SuppressWarnings("deprecation") // Thread.getId: threadId() is Java 19+
    public static String describe(Thread thread) {
        return thread == null ? "no thread" : String.format("thread 0x%x (%s)", thread.getId(), thread.getName());
    }

    /** Wait, through the lock's wait queue, until {@code condition} holds. */
    protected final void awaitForever(java.util.function.BooleanSupplier condition) {
        while (!queue.await(condition, WaitQueue.FOREVER)) {
            if (Thread.currentThread().isInterrupted()) {
                throw new KernelThreadStopped("stopped while waiting for " + queue.name());
            }
        }
    }

    @Override
    public String toString() {
        return String.format("%s 0x%x (group %s)", kind.noun(), address(), groupName);
    }
}
