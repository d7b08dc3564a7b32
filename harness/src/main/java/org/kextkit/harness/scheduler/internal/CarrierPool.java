package org.kextkit.harness.scheduler.internal;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The Java threads that carry virtual-time kernel threads, shared by every kernel in the JVM.
 *
 * <p>Starting a platform thread for each kernel thread and callout was most of the cost of a short
 * kernel's life. A carrier that has finished a kernel thread cleanly waits, idle, for the next one,
 * and is handed it instead. An idle carrier ends after {@link #KEEP_ALIVE_MILLIS} without work, and
 * at most {@link #MAX_IDLE} wait at once, so a burst of kernel threads does not keep its carriers.
 *
 * <p>A carrier is a daemon thread that inherits no inheritable thread-locals (the scheduler binds
 * every kernel thread to its kernel explicitly). Whether a carrier may be reused is the task's
 * decision: a task that was abandoned, or that ended owning something keyed by its thread's
 * identity, says no, and its carrier ends with it (or never returns, if it is parked for good).
 */
public final class CarrierPool {
    /** How long an idle carrier waits for work before it ends. */
    public static final long KEEP_ALIVE_MILLIS = 5_000;
    /** The most carriers that wait idle at once. */
    public static final int MAX_IDLE = 32;
    /** The name of an idle carrier. */
    public static final String IDLE_NAME = "kextkit idle carrier";

    private static final Object LOCK = new Object();
    // Most recently idle first: its stack and caches are the warmest. Guarded by LOCK.
    private static final ArrayDeque<Carrier> IDLE = new ArrayDeque<>();

    private CarrierPool() {
    }

    /** Work for a carrier: run, and return true if the carrier may carry another task afterwards. */
    @FunctionalInterface
    public interface Task {
        /** Run the task; return false if the thread must not be reused (it ends instead). */
        boolean run();
    }

    /**
     * Run {@code task} on an idle carrier, or on a new one if none is idle, and return the carrier.
     *
     * @param name the carrier's thread name while it runs the task
     * @param contextClassLoader the context class loader the task runs with, as a new thread would
     *     have inherited it from the caller
     */
    public static Thread start(String name, ClassLoader contextClassLoader, Task task) {
        Carrier carrier;
        synchronized (LOCK) {
            carrier = IDLE.pollFirst();
            if (carrier != null) {
                carrier.idle = false;
            }
        }
        if (carrier == null) {
            carrier = new Carrier(name);
            carrier.setContextClassLoader(contextClassLoader);
            carrier.task = task;
            carrier.start();
            return carrier;
        }
        // The carrier is parked and owned by nobody else now; what it sees is published by the volatile write.
        carrier.setName(name);
        carrier.setContextClassLoader(contextClassLoader);
        carrier.task = task;
        LockSupport.unpark(carrier);
        return carrier;
    }

    /** Return true if {@code thread} is a carrier waiting idle for work (shared by the JVM, owned by no kernel). */
    public static boolean isIdleCarrier(Thread thread) {
        return thread instanceof Carrier carrier && carrier.idle;
    }

    /** Return true if {@code thread} is a carrier, idle or carrying a kernel thread. */
    public static boolean isCarrier(Thread thread) {
        return thread instanceof Carrier;
    }

    /** Return how many carriers wait idle now. */
    public static int idleCount() {
        synchronized (LOCK) {
            return IDLE.size();
        }
    }

    private static final class Carrier extends Thread {
        private volatile Task task;
        private volatile boolean idle;

        Carrier(String name) {
            super(null, null, name, 0, false);
            setDaemon(true);
        }

        @Override
        public void run() {
            Task next = task;
            while (next != null) {
                task = null;
                if (!next.run() || Thread.interrupted()) {
                    return;
                }
                next = awaitTask();
            }
        }

        /** Wait idle for the next task; return null (the carrier ends) if none comes in time or the pool is full. */
        private Task awaitTask() {
            setName(IDLE_NAME);
            setContextClassLoader(null);
            synchronized (LOCK) {
                if (IDLE.size() >= MAX_IDLE) {
                    return null;
                }
                idle = true;
                IDLE.addFirst(this);
            }
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(KEEP_ALIVE_MILLIS);
            while (true) {
                Task next = task;
                if (next != null) {
                    return next;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    synchronized (LOCK) {
                        if (idle) {
                            idle = false;
                            IDLE.remove(this);
                            return null;
                        }
                    }
                    // Taken just now: the task is on its way.
                    while ((next = task) == null) {
                        LockSupport.park(this);
                    }
                    return next;
                }
                LockSupport.parkNanos(this, left);
            }
        }
    }
}
