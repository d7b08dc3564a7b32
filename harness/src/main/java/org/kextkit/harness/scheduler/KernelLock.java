package org.kextkit.harness.scheduler;

import java.util.concurrent.atomic.AtomicReference;
import org.kextkit.kit.internal.ThreadOwnership;
import org.kextkit.kit.internal.WaitQueue;

/**
 * A recursive lock for the hosted kernel's own state that waits through the scheduler.
 *
 * <p>Under virtual time a Java monitor or {@code java.util.concurrent} lock held by a thread that
 * then blocks in the scheduler stops the whole kernel: the next thread to want it blocks its Java
 * thread without giving the processor back. This lock waits on a scheduler {@link WaitQueue}
 * instead, so waiting for it gives the processor up like any kernel wait, and it works unchanged
 * in real time.
 *
 * <p>It is recursive, and kext code run through {@link HostedScheduler#call} on behalf of the owner
 * may take it too ({@link HostedScheduler#actsFor}), as the kernel's lock is taken again on the same
 * stack in a real kernel when a kext's start routine calls back into it.
 */
public final class KernelLock {
    private final HostedScheduler scheduler;
    private final WaitQueue queue;
    private final AtomicReference<Thread> owner = new AtomicReference<>();
    private int holds;

    /** Create a lock whose waiters wait on a queue named {@code name} (deadlock reports show it). */
    public KernelLock(HostedScheduler scheduler, String name) {
        this.scheduler = scheduler;
        this.queue = scheduler.newWaitQueue(name);
    }

    /** Take the lock, waiting as long as it takes; returns a handle that releases it. */
    public Held acquire() {
        lock();
        return this::unlock;
    }

    /** Take the lock, waiting as long as it takes. */
    public void lock() {
        Thread me = Thread.currentThread();
        Thread current = owner.get();
        if (current != null && scheduler.actsFor(current)) {
            holds++;
            return;
        }
        // The condition takes the lock itself, so no other waiter can slip in between test and take.
        queue.await(() -> owner.compareAndSet(null, me), WaitQueue.FOREVER);
        holds = 1;
        ThreadOwnership.claimed();
    }

    /** Release one hold; the last release lets the longest waiter in. */
    public void unlock() {
        Thread current = owner.get();
        if (current == null || !scheduler.actsFor(current)) {
            throw new IllegalStateException("kernel lock " + queue.name() + " released by " + Thread.currentThread().getName()
                    + ", which does not hold it");
        }
        if (--holds == 0) {
            owner.set(null);
            if (current == Thread.currentThread()) {
                ThreadOwnership.released();
            }
            queue.wakeOne();
        }
    }

    /** Return true if the calling thread (or the thread it acts for) holds the lock. */
    public boolean isHeldByCurrentThread() {
        Thread current = owner.get();
        return current != null && scheduler.actsFor(current);
    }

    /** A hold on the lock, released by {@link #close()}. */
    @FunctionalInterface
    public interface Held extends AutoCloseable {
        @Override
        void close();
    }
}
