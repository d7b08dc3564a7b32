package org.kextkit.kit.internal;

import java.util.function.BooleanSupplier;

/**
 * A place where kernel threads wait for a condition, the one blocking primitive every kit lock,
 * sleep and work loop is built on.
 *
 * <p>Under virtual time only one kernel thread runs at a time; {@link #await} hands the processor to
 * the scheduler instead of blocking the Java thread on a monitor, so the kit must never block in
 * any other way (no {@code synchronized} wait, no {@code java.util.concurrent} lock held across an
 * await).
 *
 * <p>Protocol: a waiter calls {@code await(condition, deadline)}; whoever changes the state the
 * condition reads changes it first and then calls {@link #wakeAll()} (or {@link #wakeOne()}). The
 * condition is evaluated by the queue under its own lock, so no wakeup is lost.
 */
public interface WaitQueue {
    /** Deadline meaning "wait forever". */
    long FOREVER = Long.MAX_VALUE;

    /**
     * Block the calling kernel thread until {@code condition} is true or the kernel clock reaches
     * {@code deadlineNanos}.
     *
     * @param condition read-only test of shared state; must not block
     * @param deadlineNanos absolute kernel time ({@link KernelScheduler#nanoTime()}), or {@link #FOREVER}
     * @return true if the condition became true, false on timeout
     */
    boolean await(BooleanSupplier condition, long deadlineNanos);

    /** Let every waiter re-test its condition. */
    void wakeAll();

    /** Let one waiter (the longest waiting) re-test its condition. */
    void wakeOne();

    /** Return the name given at creation, for deadlock and hang reports. */
    String name();
}
