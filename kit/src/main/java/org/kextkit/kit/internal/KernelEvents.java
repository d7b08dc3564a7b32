package org.kextkit.kit.internal;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;

/**
 * A kernel's table of threads asleep on events ({@code assert_wait}/{@code thread_wakeup}): what
 * {@code IOLockSleep}, {@code IORecursiveLockSleep} and {@code IOCommandGate::commandSleep} sleep on.
 * As in XNU the table is kernel-wide: a wakeup reaches every sleeper on the event whatever lock it
 * slept with. Events are compared with {@link Object#equals}.
 */
public final class KernelEvents {
    /** {@code THREAD_AWAKENED}: woken by a wakeup. */
    public static final int THREAD_AWAKENED = 0;
    /** {@code THREAD_TIMED_OUT}: the deadline passed first. */
    public static final int THREAD_TIMED_OUT = 1;
    /** {@code THREAD_INTERRUPTED}: the wait was aborted. */
    public static final int THREAD_INTERRUPTED = 2;

    // Both sides weak: a table's wait queue refers to its scheduler, and a table nobody sleeps on may
    // go (a sleeper keeps its table alive through its registration).
    private static final Map<KernelScheduler, WeakReference<KernelEvents>> TABLES = new WeakHashMap<>();

    private final WaitQueue queue;
    private final List<Sleeper> sleepers = new ArrayList<>();

    private KernelEvents(KernelScheduler scheduler) {
        this.queue = scheduler.newWaitQueue("kernel events");
    }

    /** Return the event table of the kernel that owns {@code scheduler}. */
    public static KernelEvents of(KernelScheduler scheduler) {
        synchronized (TABLES) {
            WeakReference<KernelEvents> known = TABLES.get(scheduler);
            KernelEvents table = known == null ? null : known.get();
            if (table == null) {
                table = new KernelEvents(scheduler);
                TABLES.put(scheduler, new WeakReference<>(table));
            }
            return table;
        }
    }

    /** A thread's registration on an event, made before it lets go of its lock so no wakeup is lost. */
    public final class Sleeper {
        private final Object event;
        private volatile boolean woken;

        private Sleeper(Object event) {
            this.event = event;
        }

        /** Block until woken or until {@code deadlineNanos}; return a {@code THREAD_*} wait result. */
        public int block(long deadlineNanos) {
            try {
                boolean awakened = queue.await(() -> woken, deadlineNanos);
                return awakened ? THREAD_AWAKENED : THREAD_TIMED_OUT;
            } finally {
                synchronized (sleepers) {
                    sleepers.remove(this);
                }
            }
        }
    }

    /** Register the calling thread as about to sleep on {@code event} ({@code assert_wait}). */
    public Sleeper prepareToSleep(Object event) {
        Sleeper sleeper = new Sleeper(Objects.requireNonNull(event, "event"));
        synchronized (sleepers) {
            sleepers.add(sleeper);
        }
        return sleeper;
    }

    /** Wake the threads sleeping on {@code event}, or only the longest sleeping one; return how many. */
    public int wakeup(Object event, boolean oneThread) {
        int woken = 0;
        synchronized (sleepers) {
            for (Sleeper sleeper : sleepers) {
                if (!sleeper.woken && Objects.equals(sleeper.event, event)) {
                    sleeper.woken = true;
                    woken++;
                    if (oneThread) {
                        break;
                    }
                }
            }
        }
        if (woken > 0) {
            queue.wakeAll();
        }
        return woken;
    }

    /** Return how many threads sleep on {@code event}. */
    public int sleeperCount(Object event) {
        synchronized (sleepers) {
            int count = 0;
            for (Sleeper sleeper : sleepers) {
                if (!sleeper.woken && Objects.equals(sleeper.event, event)) {
                    count++;
                }
            }
            return count;
        }
    }
}
