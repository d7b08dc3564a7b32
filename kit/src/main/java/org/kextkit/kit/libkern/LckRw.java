package org.kextkit.kit.libkern;

import org.kextkit.kit.internal.RwLockState;

/**
 * A Mach reader-writer lock ({@code lck_rw_t}): allocated with {@link Locks#lck_rw_alloc_init} or
 * embedded ({@code new LckRw()} plus {@link Locks#lck_rw_init}). Non-final for mocks.
 */
public class LckRw {
    volatile RwLockState state;
    volatile LckGrp group;
    volatile boolean embedded;

    /** Make an embedded reader-writer lock; it is unusable until {@link Locks#lck_rw_init}. */
    public LckRw() {
    }

    /** Return the kernel's record of this lock, or {@code null} before it is set up; kexts cannot use it. */
    public final RwLockState lockState() {
        return state;
    }

    /** Take the lock for reading ({@code lck_rw_lock_shared}). */
    public void lockShared() {
        LockObjects.require(state, "lck_rw_lock_shared", "rw lock").lockShared("lck_rw_lock_shared");
    }

    /** Take the lock for writing ({@code lck_rw_lock_exclusive}). */
    public void lockExclusive() {
        LockObjects.require(state, "lck_rw_lock_exclusive", "rw lock").lockExclusive("lck_rw_lock_exclusive");
    }

    /** Release whichever hold the caller has ({@code lck_rw_done}); return the type released. */
    public int done() {
        return LockObjects.require(state, "lck_rw_done", "rw lock").done("lck_rw_done");
    }

    @Override
    public String toString() {
        return state == null ? "lck_rw (not initialised)" : state.toString();
    }
}
