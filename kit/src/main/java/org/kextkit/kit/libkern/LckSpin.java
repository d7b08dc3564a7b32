package org.kextkit.kit.libkern;

import org.kextkit.kit.internal.MutexState;

/**
 * A Mach spin lock ({@code lck_spin_t}): allocated with {@link Locks#lck_spin_alloc_init} or
 * embedded ({@code new LckSpin()} plus {@link Locks#lck_spin_init}). Never block while holding one.
 * Non-final for mocks.
 */
public class LckSpin {
    volatile MutexState state;
    volatile LckGrp group;
    volatile boolean embedded;

    /** Make an embedded spin lock; it is unusable until {@link Locks#lck_spin_init}. */
    public LckSpin() {
    }

    /** Return the kernel's record of this lock, or {@code null} before it is set up; kexts cannot use it. */
    public final MutexState lockState() {
        return state;
    }

    /** Take the spin lock ({@code lck_spin_lock}). */
    public void lock() {
        LockObjects.require(state, "lck_spin_lock", "spinlock").lock("lck_spin_lock");
    }

    /** Take the spin lock if free ({@code lck_spin_try_lock}). */
    public boolean tryLock() {
        return LockObjects.require(state, "lck_spin_try_lock", "spinlock").tryLock("lck_spin_try_lock");
    }

    /** Release the spin lock ({@code lck_spin_unlock}). */
    public void unlock() {
        LockObjects.require(state, "lck_spin_unlock", "spinlock").unlock("lck_spin_unlock");
    }

    @Override
    public String toString() {
        return state == null ? "lck_spin (not initialised)" : state.toString();
    }
}
