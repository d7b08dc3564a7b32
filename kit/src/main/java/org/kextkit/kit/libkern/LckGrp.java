package org.kextkit.kit.libkern;

import java.util.concurrent.atomic.AtomicInteger;
import org.kextkit.kit.internal.KernelServices;

/**
 * A lock group ({@code lck_grp_t}): names a set of locks for statistics. Made by
 * {@link Locks#lck_grp_alloc_init}; every lock made in it holds a reference, so the group outlives
 * an early {@link Locks#lck_grp_free} until its last lock is freed, as in XNU. Non-final for mocks.
 */
public class LckGrp {
    private final String name;
    final KernelServices services;
    final KernelBuffer storage;
    final AtomicInteger references = new AtomicInteger(1);
    volatile boolean creatorReleased;
    volatile int locksLiveAtFree = -1;

    /** For mocks and subclasses only. */
    protected LckGrp() {
        this(null, null, null);
    }

    LckGrp(String name, KernelServices services, KernelBuffer storage) {
        this.name = name;
        this.services = services;
        this.storage = storage;
    }

    /** Return the group's name. */
    public String getName() {
        return name;
    }

    /** Return how many locks live in the group. */
    public int lockCount() {
        return references.get() - (creatorReleased ? 0 : 1);
    }

    /** Return how many locks were live when {@code lck_grp_free} was called, or -1 before it. */
    public int locksLiveAtFree() {
        return locksLiveAtFree;
    }

    @Override
    public String toString() {
        return name;
    }
}
