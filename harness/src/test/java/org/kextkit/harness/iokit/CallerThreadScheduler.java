package org.kextkit.harness.iokit;

import java.util.PriorityQueue;
import java.util.function.BooleanSupplier;
import org.kextkit.kit.internal.ExecutionContext;
import org.kextkit.kit.internal.KernelScheduler;
import org.kextkit.kit.internal.WaitQueue;

/**
 * A single-threaded virtual-time scheduler: callouts, kernel threads and hardware events that are
 * due run on the thread that scheduled them, at once when scheduled from outside any callout, and
 * after the running callout returns when scheduled from inside one (so a driver that registers a
 * nub in {@code start} sees its clients matched only after {@code start} returns, as on a kernel
 * thread). The clock moves only through {@link #sleep}, {@link #spin} and {@link #advanceBy}.
 *
 * <p>The I/O Kit registry runs on it until the hosted kernel has its own scheduler; registry tests
 * use it to run matching, termination and power changes deterministically. Nothing can block: a
 * {@link WaitQueue#await} whose condition stays false moves the clock to its deadline (or, waiting
 * forever, returns false at once), which is enough for the registry, whose waits are all expressed
 * as callbacks.
 */
final class CallerThreadScheduler implements KernelScheduler {
    private record Pending(long deadline, long sequence, String name, ExecutionContext context, Runnable body,
            PendingCallout handle) implements Comparable<Pending> {
        @Override
        public int compareTo(Pending o) {
            int byDeadline = Long.compare(deadline, o.deadline);
            return byDeadline != 0 ? byDeadline : Long.compare(sequence, o.sequence);
        }
    }

    private final class PendingCallout implements Callout {
        private final long deadline;
        private volatile boolean pending = true;

        PendingCallout(long deadline) {
            this.deadline = deadline;
        }

        @Override
        public boolean cancel() {
            synchronized (CallerThreadScheduler.this) {
                boolean was = pending;
                pending = false;
                return was;
            }
        }

        @Override
        public boolean isPending() {
            return pending;
        }

        @Override
        public long deadlineNanos() {
            return deadline;
        }
    }

    private final PriorityQueue<Pending> queue = new PriorityQueue<>();
    private final ThreadLocal<ExecutionContext> context = ThreadLocal.withInitial(() -> ExecutionContext.NONE);
    private final ThreadLocal<Boolean> draining = ThreadLocal.withInitial(() -> false);
    private long now;
    private long sequence;

    @Override
    public synchronized long nanoTime() {
        return now;
    }

    @Override
    public void sleep(long nanos) {
        advanceBy(nanos);
    }

    @Override
    public void spin(long nanos) {
        synchronized (this) {
            now += Math.max(0, nanos);
        }
    }

    @Override
    public WaitQueue newWaitQueue(String name) {
        return new WaitQueue() {
            @Override
            public boolean await(BooleanSupplier condition, long deadlineNanos) {
                if (condition.getAsBoolean()) {
                    return true;
                }
                drain();
                if (condition.getAsBoolean() || deadlineNanos == FOREVER) {
                    return condition.getAsBoolean();
                }
                advanceTo(deadlineNanos);
                return condition.getAsBoolean();
            }

            @Override
            public void wakeAll() {
            }

            @Override
            public void wakeOne() {
            }

            @Override
            public String name() {
                return name;
            }
        };
    }

    @Override
    public KernelThread startThread(String name, ExecutionContext threadContext, Runnable body) {
        boolean[] done = new boolean[1];
        scheduleCallout(name, nanoTime(), threadContext, () -> {
            try {
                body.run();
            } finally {
                done[0] = true;
            }
        });
        return new KernelThread() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public boolean isAlive() {
                return !done[0];
            }

            @Override
            public boolean join(long deadlineNanos) {
                drain();
                return done[0];
            }
        };
    }

    @Override
    public ExecutionContext currentContext() {
        return context.get();
    }

    @Override
    public void runInContext(ExecutionContext runContext, Runnable body) {
        ExecutionContext previous = context.get();
        context.set(runContext);
        try {
            body.run();
        } finally {
            context.set(previous);
        }
    }

    @Override
    public Callout scheduleCallout(String name, long deadlineNanos, ExecutionContext calloutContext, Runnable callout) {
        PendingCallout handle = new PendingCallout(deadlineNanos);
        synchronized (this) {
            queue.add(new Pending(deadlineNanos, sequence++, name, calloutContext, callout, handle));
        }
        drain();
        return handle;
    }

    @Override
    public Callout scheduleHardwareEvent(String name, long deadlineNanos, Runnable event) {
        return scheduleCallout(name, deadlineNanos, ExecutionContext.NONE, event);
    }

    @Override
    public void postInterrupt(String source, Runnable handler) {
        scheduleCallout(source, nanoTime(), ExecutionContext.PRIMARY_INTERRUPT, handler);
    }

    /** Move the clock forward by {@code nanos}, running everything that falls due on the way. */
    public void advanceBy(long nanos) {
        advanceTo(nanoTime() + Math.max(0, nanos));
    }

    private void advanceTo(long deadline) {
        while (true) {
            Pending next;
            synchronized (this) {
                next = queue.peek();
                if (next == null || next.deadline > deadline) {
                    now = Math.max(now, deadline);
                    break;
                }
                now = Math.max(now, next.deadline);
            }
            drain();
        }
        drain();
    }

    /** Run every callout that is due, unless this thread is already running one (it runs them when it returns). */
    public void drain() {
        if (draining.get()) {
            return;
        }
        draining.set(true);
        try {
            while (true) {
                Pending next;
                synchronized (this) {
                    next = queue.peek();
                    if (next == null || next.deadline > now) {
                        return;
                    }
                    queue.poll();
                    if (!next.handle.pending) {
                        continue;
                    }
                    next.handle.pending = false;
                }
                runInContext(next.context, next.body);
            }
        } finally {
            draining.set(false);
        }
    }

    /** Return how many callouts wait, due or not. */
    public synchronized int pendingCount() {
        int count = 0;
        for (Pending p : queue) {
            if (p.handle.pending) {
                count++;
            }
        }
        return count;
    }
}
