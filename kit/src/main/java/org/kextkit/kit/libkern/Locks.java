package org.kextkit.kit.libkern;

import org.kextkit.kit.internal.CallerKernel;
import org.kextkit.kit.internal.KernelHeap;
import org.kextkit.kit.internal.KernelRuntime;
import org.kextkit.kit.internal.KernelServices;
import org.kextkit.kit.internal.LockState;
import org.kextkit.kit.internal.MutexState;
import org.kextkit.kit.internal.RwLockState;

/**
 * Call the Mach lock functions of {@code com.apple.kpi.libkern} ({@code kern/locks.h}): lock groups
 * and attributes, mutexes ({@link LckMtx}), spin locks ({@link LckSpin}) and reader-writer locks
 * ({@link LckRw}).
 *
 * <p>Use with a static import: {@code import static org.kextkit.kit.libkern.Locks.*;}.
 *
 * <p>The rules are XNU's: every {@code alloc_init} is paired with one {@code free} and every
 * {@code init} with one {@code destroy}, given the lock's own group; a lock is freed only when no
 * thread holds or waits for it; a mutex is never taken twice by one thread nor released by another.
 * Clear misuse panics with XNU's wording. A group freed while it still has locks lives on until the
 * last one goes; the kernel records the count for the checkers.
 */
@SuppressWarnings("checkstyle:MethodName")
public final class Locks {
    /** {@code LCK_GRP_NULL}. */
    public static final LckGrp LCK_GRP_NULL = null;
    /** {@code LCK_ATTR_NULL}: default attributes. */
    public static final LckAttr LCK_ATTR_NULL = null;
    /** {@code LCK_GRP_ATTR_NULL}: default group attributes. */
    public static final LckGrpAttr LCK_GRP_ATTR_NULL = null;

    /** {@code LCK_MTX_ASSERT_OWNED} (also {@code LCK_ASSERT_OWNED} for spin locks). */
    public static final int LCK_MTX_ASSERT_OWNED = 1;
    /** {@code LCK_MTX_ASSERT_NOTOWNED} (also {@code LCK_ASSERT_NOTOWNED}). */
    public static final int LCK_MTX_ASSERT_NOTOWNED = 2;
    /** {@code LCK_ASSERT_OWNED}. */
    public static final int LCK_ASSERT_OWNED = 1;
    /** {@code LCK_ASSERT_NOTOWNED}. */
    public static final int LCK_ASSERT_NOTOWNED = 2;

    /** {@code LCK_RW_TYPE_SHARED}. */
    public static final int LCK_RW_TYPE_SHARED = RwLockState.SHARED;
    /** {@code LCK_RW_TYPE_EXCLUSIVE}. */
    public static final int LCK_RW_TYPE_EXCLUSIVE = RwLockState.EXCLUSIVE;
    /** {@code LCK_RW_ASSERT_SHARED}. */
    public static final int LCK_RW_ASSERT_SHARED = 0x01;
    /** {@code LCK_RW_ASSERT_EXCLUSIVE}. */
    public static final int LCK_RW_ASSERT_EXCLUSIVE = 0x02;
    /** {@code LCK_RW_ASSERT_HELD}. */
    public static final int LCK_RW_ASSERT_HELD = 0x03;
    /** {@code LCK_RW_ASSERT_NOTHELD}. */
    public static final int LCK_RW_ASSERT_NOTHELD = 0x04;

    private Locks() {
    }

    // ---- groups and attributes -------------------------------------------------------------------

    /** Allocate group attributes ({@code lck_grp_attr_alloc_init}). */
    public static LckGrpAttr lck_grp_attr_alloc_init() {
        Class<?> caller = KernelRuntime.callerClass();
        return new LckGrpAttr(CallerKernel.servicesOf(caller).heap()
                .allocate(KernelHeap.Allocator.LCK_GRP_ATTR, LockObjects.ATTR_SIZE, 8, null, caller));
    }

    /** Ask for statistics on groups made with {@code attr} ({@code lck_grp_attr_setstat}); kextkit always counts. */
    public static void lck_grp_attr_setstat(LckGrpAttr attr) {
    }

    /** Free group attributes; allowed as soon as the group is made ({@code lck_grp_attr_free}). */
    public static void lck_grp_attr_free(LckGrpAttr attr) {
        Class<?> caller = KernelRuntime.callerClass();
        CallerKernel.servicesOf(caller).heap()
                .free(KernelHeap.Allocator.LCK_GRP_ATTR, attr == null ? null : attr.storage, LockObjects.ATTR_SIZE,
                        null, caller);
    }

    /** Allocate a lock group named {@code name} ({@code lck_grp_alloc_init}). */
    public static LckGrp lck_grp_alloc_init(String name, LckGrpAttr attr) {
        Class<?> caller = KernelRuntime.callerClass();
        KernelServices services = CallerKernel.servicesOf(caller);
        return new LckGrp(name, services, services.heap()
                .allocate(KernelHeap.Allocator.LCK_GRP, LockObjects.GRP_SIZE, 8, null, caller));
    }

    /**
     * Drop the creator's reference to a group ({@code lck_grp_free}); free all its locks first. The
     * group itself goes when its last lock does.
     */
    public static void lck_grp_free(LckGrp grp) {
        Class<?> caller = KernelRuntime.callerClass();
        LockObjects.requireGroup(grp, "lck_grp_free", caller);
        synchronized (grp) {
            if (grp.creatorReleased) {
                throw grp.services.panic(String.format("lck_grp_free: lock group '%s' (0x%x) freed twice",
                        grp.getName(), grp.storage.address()));
            }
            grp.creatorReleased = true;
            grp.locksLiveAtFree = grp.references.get() - 1;
        }
        if (grp.locksLiveAtFree > 0 && grp.services.checks().active()) {
            grp.services.checks().lockMisuse(org.kextkit.kit.internal.KernelChecks.LockMisuse.GROUP_FREED_WITH_LIVE_LOCKS,
                    null, String.format("lck_grp_free: lock group '%s' freed while %d of its locks are alive",
                            grp.getName(), grp.locksLiveAtFree));
        }
        LockObjects.releaseGroup(grp, caller);
    }

    /** Allocate lock attributes ({@code lck_attr_alloc_init}). */
    public static LckAttr lck_attr_alloc_init() {
        Class<?> caller = KernelRuntime.callerClass();
        return new LckAttr(CallerKernel.servicesOf(caller).heap()
                .allocate(KernelHeap.Allocator.LCK_ATTR, LockObjects.ATTR_SIZE, 8, null, caller));
    }

    /** Free lock attributes ({@code lck_attr_free}). */
    public static void lck_attr_free(LckAttr attr) {
        Class<?> caller = KernelRuntime.callerClass();
        CallerKernel.servicesOf(caller).heap()
                .free(KernelHeap.Allocator.LCK_ATTR, attr == null ? null : attr.storage, LockObjects.ATTR_SIZE,
                        null, caller);
    }

    // ---- mutexes -----------------------------------------------------------------------------------

    /** Allocate a mutex in {@code grp} ({@code lck_mtx_alloc_init}); free it with {@link #lck_mtx_free}. */
    public static LckMtx lck_mtx_alloc_init(LckGrp grp, LckAttr attr) {
        Class<?> caller = KernelRuntime.callerClass();
        LockObjects.requireGroup(grp, "lck_mtx_alloc_init", caller);
        LckMtx lock = new LckMtx();
        lock.state = LockObjects.mutex(LockState.Kind.LCK_MTX, KernelHeap.Allocator.LCK_MTX, LockObjects.MTX_SIZE, grp,
                caller);
        lock.group = grp;
        return lock;
    }

    /** Set up an embedded mutex ({@code lck_mtx_init}); tear it down with {@link #lck_mtx_destroy}. */
    public static void lck_mtx_init(LckMtx lck, LckGrp grp, LckAttr attr) {
        Class<?> caller = KernelRuntime.callerClass();
        LockObjects.requireGroup(grp, "lck_mtx_init", caller);
        if (lck.state != null && !lck.state.isDestroyed()) {
            throw grp.services.panic(String.format("lck_mtx_init: mutex 0x%x is already initialised",
                    lck.state.address()));
        }
        lck.state = LockObjects.mutex(LockState.Kind.LCK_MTX, KernelHeap.Allocator.LCK_MTX_EMBEDDED,
                LockObjects.MTX_SIZE, grp, caller);
        lck.group = grp;
        lck.embedded = true;
    }

    /** Take a mutex ({@code lck_mtx_lock}). */
    public static void lck_mtx_lock(LckMtx lck) {
        lck.lock();
    }

    /** Take a mutex if free; return true if taken ({@code lck_mtx_try_lock}). */
    public static boolean lck_mtx_try_lock(LckMtx lck) {
        return lck.tryLock();
    }

    /** Release a mutex ({@code lck_mtx_unlock}). */
    public static void lck_mtx_unlock(LckMtx lck) {
        lck.unlock();
    }

    /** Panic unless the caller holds (or does not hold) the mutex ({@code lck_mtx_assert}). */
    public static void lck_mtx_assert(LckMtx lck, int type) {
        MutexState state = LockObjects.require(lck.state, "lck_mtx_assert", "mutex");
        if (type == LCK_MTX_ASSERT_OWNED) {
            state.assertOwned();
        } else {
            state.assertNotOwned();
        }
    }

    /** Free a mutex from {@link #lck_mtx_alloc_init}, giving its group ({@code lck_mtx_free}). */
    public static void lck_mtx_free(LckMtx lck, LckGrp grp) {
        Class<?> caller = KernelRuntime.callerClass();
        MutexState state = LockObjects.require(lck.state, "lck_mtx_free", "mutex");
        LockObjects.teardown(state, lck.group, grp, "lck_mtx_free", KernelHeap.Allocator.LCK_MTX,
                LockObjects.MTX_SIZE, caller);
    }

    /** Tear down a mutex set up with {@link #lck_mtx_init}, giving its group ({@code lck_mtx_destroy}). */
    public static void lck_mtx_destroy(LckMtx lck, LckGrp grp) {
        Class<?> caller = KernelRuntime.callerClass();
        MutexState state = LockObjects.require(lck.state, "lck_mtx_destroy", "mutex");
        LockObjects.teardown(state, lck.group, grp, "lck_mtx_destroy", KernelHeap.Allocator.LCK_MTX_EMBEDDED,
                LockObjects.MTX_SIZE, caller);
    }

    // ---- spin locks --------------------------------------------------------------------------------

    /** Allocate a spin lock ({@code lck_spin_alloc_init}); free it with {@link #lck_spin_free}. */
    public static LckSpin lck_spin_alloc_init(LckGrp grp, LckAttr attr) {
        Class<?> caller = KernelRuntime.callerClass();
        LockObjects.requireGroup(grp, "lck_spin_alloc_init", caller);
        LckSpin lock = new LckSpin();
        lock.state = LockObjects.mutex(LockState.Kind.LCK_SPIN, KernelHeap.Allocator.LCK_SPIN, LockObjects.SPIN_SIZE,
                grp, caller);
        lock.group = grp;
        return lock;
    }

    /** Set up an embedded spin lock ({@code lck_spin_init}). */
    public static void lck_spin_init(LckSpin lck, LckGrp grp, LckAttr attr) {
        Class<?> caller = KernelRuntime.callerClass();
        LockObjects.requireGroup(grp, "lck_spin_init", caller);
        if (lck.state != null && !lck.state.isDestroyed()) {
            throw grp.services.panic(String.format("lck_spin_init: spinlock 0x%x is already initialised",
                    lck.state.address()));
        }
        lck.state = LockObjects.mutex(LockState.Kind.LCK_SPIN, KernelHeap.Allocator.LCK_SPIN_EMBEDDED,
                LockObjects.SPIN_SIZE, grp, caller);
        lck.group = grp;
        lck.embedded = true;
    }

    /** Take a spin lock ({@code lck_spin_lock}). */
    public static void lck_spin_lock(LckSpin lck) {
        lck.lock();
    }

    /** Take a spin lock if free ({@code lck_spin_try_lock}). */
    public static boolean lck_spin_try_lock(LckSpin lck) {
        return lck.tryLock();
    }

    /** Release a spin lock ({@code lck_spin_unlock}). */
    public static void lck_spin_unlock(LckSpin lck) {
        lck.unlock();
    }

    /** Panic unless the caller holds (or does not hold) the spin lock ({@code lck_spin_assert}). */
    public static void lck_spin_assert(LckSpin lck, int type) {
        MutexState state = LockObjects.require(lck.state, "lck_spin_assert", "spinlock");
        if (type == LCK_ASSERT_OWNED) {
            state.assertOwned();
        } else {
            state.assertNotOwned();
        }
    }

    /** Free a spin lock from {@link #lck_spin_alloc_init} ({@code lck_spin_free}). */
    public static void lck_spin_free(LckSpin lck, LckGrp grp) {
        Class<?> caller = KernelRuntime.callerClass();
        MutexState state = LockObjects.require(lck.state, "lck_spin_free", "spinlock");
        LockObjects.teardown(state, lck.group, grp, "lck_spin_free", KernelHeap.Allocator.LCK_SPIN,
                LockObjects.SPIN_SIZE, caller);
    }

    /** Tear down an embedded spin lock ({@code lck_spin_destroy}). */
    public static void lck_spin_destroy(LckSpin lck, LckGrp grp) {
        Class<?> caller = KernelRuntime.callerClass();
        MutexState state = LockObjects.require(lck.state, "lck_spin_destroy", "spinlock");
        LockObjects.teardown(state, lck.group, grp, "lck_spin_destroy", KernelHeap.Allocator.LCK_SPIN_EMBEDDED,
                LockObjects.SPIN_SIZE, caller);
    }

    // ---- reader-writer locks -------------------------------------------------------------------------

    /** Allocate a reader-writer lock ({@code lck_rw_alloc_init}); free it with {@link #lck_rw_free}. */
    public static LckRw lck_rw_alloc_init(LckGrp grp, LckAttr attr) {
        Class<?> caller = KernelRuntime.callerClass();
        LockObjects.requireGroup(grp, "lck_rw_alloc_init", caller);
        LckRw lock = new LckRw();
        lock.state = LockObjects.rw(KernelHeap.Allocator.LCK_RW, grp, caller);
        lock.group = grp;
        return lock;
    }

    /** Set up an embedded reader-writer lock ({@code lck_rw_init}). */
    public static void lck_rw_init(LckRw lck, LckGrp grp, LckAttr attr) {
        Class<?> caller = KernelRuntime.callerClass();
        LockObjects.requireGroup(grp, "lck_rw_init", caller);
        if (lck.state != null && !lck.state.isDestroyed()) {
            throw grp.services.panic(String.format("lck_rw_init: rw lock 0x%x is already initialised",
                    lck.state.address()));
        }
        lck.state = LockObjects.rw(KernelHeap.Allocator.LCK_RW_EMBEDDED, grp, caller);
        lck.group = grp;
        lck.embedded = true;
    }

    /** Take the lock as {@code type} says ({@code lck_rw_lock}). */
    public static void lck_rw_lock(LckRw lck, int type) {
        if (type == LCK_RW_TYPE_EXCLUSIVE) {
            lck.lockExclusive();
        } else {
            lck.lockShared();
        }
    }

    /** Take the lock for reading ({@code lck_rw_lock_shared}). */
    public static void lck_rw_lock_shared(LckRw lck) {
        lck.lockShared();
    }

    /** Take the lock for writing ({@code lck_rw_lock_exclusive}). */
    public static void lck_rw_lock_exclusive(LckRw lck) {
        lck.lockExclusive();
    }

    /** Release a hold of the given type ({@code lck_rw_unlock}). */
    public static void lck_rw_unlock(LckRw lck, int type) {
        RwLockState state = LockObjects.require(lck.state, "lck_rw_unlock", "rw lock");
        if (type == LCK_RW_TYPE_EXCLUSIVE) {
            state.unlockExclusive("lck_rw_unlock");
        } else {
            state.unlockShared("lck_rw_unlock");
        }
    }

    /** Release a read hold ({@code lck_rw_unlock_shared}). */
    public static void lck_rw_unlock_shared(LckRw lck) {
        LockObjects.require(lck.state, "lck_rw_unlock_shared", "rw lock").unlockShared("lck_rw_unlock_shared");
    }

    /** Release the write hold ({@code lck_rw_unlock_exclusive}). */
    public static void lck_rw_unlock_exclusive(LckRw lck) {
        LockObjects.require(lck.state, "lck_rw_unlock_exclusive", "rw lock").unlockExclusive("lck_rw_unlock_exclusive");
    }

    /** Release whichever hold the caller has; return its type ({@code lck_rw_done}). */
    public static int lck_rw_done(LckRw lck) {
        return lck.done();
    }

    /** Take the lock as {@code type} says if possible at once ({@code lck_rw_try_lock}). */
    public static boolean lck_rw_try_lock(LckRw lck, int type) {
        return type == LCK_RW_TYPE_EXCLUSIVE ? lck_rw_try_lock_exclusive(lck) : lck_rw_try_lock_shared(lck);
    }

    /** Take the lock for reading if possible at once ({@code lck_rw_try_lock_shared}). */
    public static boolean lck_rw_try_lock_shared(LckRw lck) {
        return LockObjects.require(lck.state, "lck_rw_try_lock_shared", "rw lock").tryLockShared("lck_rw_try_lock_shared");
    }

    /** Take the lock for writing if possible at once ({@code lck_rw_try_lock_exclusive}). */
    public static boolean lck_rw_try_lock_exclusive(LckRw lck) {
        return LockObjects.require(lck.state, "lck_rw_try_lock_exclusive", "rw lock")
                .tryLockExclusive("lck_rw_try_lock_exclusive");
    }

    /**
     * Upgrade a read hold to a write hold ({@code lck_rw_lock_shared_to_exclusive}); if another thread
     * is already upgrading, the read hold is dropped and false returned, as in XNU.
     */
    public static boolean lck_rw_lock_shared_to_exclusive(LckRw lck) {
        return LockObjects.require(lck.state, "lck_rw_lock_shared_to_exclusive", "rw lock")
                .sharedToExclusive("lck_rw_lock_shared_to_exclusive");
    }

    /** Downgrade the write hold to a read hold ({@code lck_rw_lock_exclusive_to_shared}). */
    public static void lck_rw_lock_exclusive_to_shared(LckRw lck) {
        LockObjects.require(lck.state, "lck_rw_lock_exclusive_to_shared", "rw lock")
                .exclusiveToShared("lck_rw_lock_exclusive_to_shared");
    }

    /** Panic unless the caller's hold matches {@code type} ({@code lck_rw_assert}). */
    public static void lck_rw_assert(LckRw lck, int type) {
        RwLockState state = LockObjects.require(lck.state, "lck_rw_assert", "rw lock");
        boolean exclusive = state.writer() == Thread.currentThread();
        boolean shared = state.isReadByCurrentThread();
        boolean ok = switch (type) {
            case LCK_RW_ASSERT_SHARED -> shared;
            case LCK_RW_ASSERT_EXCLUSIVE -> exclusive;
            case LCK_RW_ASSERT_HELD -> shared || exclusive;
            case LCK_RW_ASSERT_NOTHELD -> !shared && !exclusive;
            default -> false;
        };
        if (!ok) {
            throw state.services().panic(String.format("rw lock (0x%x) assertion 0x%x failed", state.address(), type));
        }
    }

    /** Free a reader-writer lock from {@link #lck_rw_alloc_init} ({@code lck_rw_free}). */
    public static void lck_rw_free(LckRw lck, LckGrp grp) {
        Class<?> caller = KernelRuntime.callerClass();
        RwLockState state = LockObjects.require(lck.state, "lck_rw_free", "rw lock");
        LockObjects.teardown(state, lck.group, grp, "lck_rw_free", KernelHeap.Allocator.LCK_RW, LockObjects.RW_SIZE,
                caller);
    }

    /** Tear down an embedded reader-writer lock ({@code lck_rw_destroy}). */
    public static void lck_rw_destroy(LckRw lck, LckGrp grp) {
        Class<?> caller = KernelRuntime.callerClass();
        RwLockState state = LockObjects.require(lck.state, "lck_rw_destroy", "rw lock");
        LockObjects.teardown(state, lck.group, grp, "lck_rw_destroy", KernelHeap.Allocator.LCK_RW_EMBEDDED,
                LockObjects.RW_SIZE, caller);
    }
}
