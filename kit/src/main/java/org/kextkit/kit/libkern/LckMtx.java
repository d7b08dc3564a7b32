package org.kextkit.kit.libkern;

import org.kextkit.kit.internal.MutexState;

/**
 * A Mach mutex ({@code lck_mtx_t}). Either allocated with {@link Locks#lck_mtx_alloc_init} (free it
 * with {@link Locks#lck_mtx_free}) or made with {@code new LckMtx()} as a field of the driver and set
 * up with {@link Locks#lck_mtx_init} (tear it down with {@link Locks#lck_mtx_destroy}); never mix
 * the two. Non-final for mocks.
 */
public class LckMtx {
    volatile MutexState state;
    volatile LckGrp group;
    volatile boolean embedded;

    /** Make an embedded mutex; it is unusable until {@link Locks#lck_mtx_init}. */
    public LckMtx() {
    }

    /** Return the kernel's record of this lock, or {@code null} before it is set up; kexts cannot use it. */
    public final MutexState lockState() {
        return state;
    }

    /** Take the mutex ({@code lck_mtx_lock}). */
    public void lock() {
        LockObjects.require(state, "lck_mtx_lock", "mutex").lock("lck_mtx_lock");
    }

    /** Take the mutex if free ({@code lck_mtx_try_lock}). */
    public boolean tryLock() {
        return LockObjects.require(state, "lck_mtx_try_lock", "mutex").tryLock("lck_mtx_try_lock");
    }

    /** Release the mutex ({@code lck_mtx_unlock}). */
    public void unlock() {
        LockObjects.require(state, "lck_mtx_unlock", "mutex").unlock("lck_mtx_unlock");
    }

    @Override
    public String toString() {
        return state == null ? "lck_mtx (not initialised)" : state.toString();
    }
}
