package org.kextkit.pci.testing;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.PriorityQueue;
import java.util.function.BooleanSupplier;
import org.kextkit.kit.internal.ExecutionContext;
import org.kextkit.kit.internal.KernelScheduler;
import org.kextkit.kit.internal.WaitQueue;

/**
 * A deterministic scheduler for family tests: the clock moves only when the test runs events, posted
 * interrupts wait until the test delivers them, and everything runs on the test's thread.
 */
public final class ManualScheduler implements KernelScheduler {
    private final PriorityQueue<Event> events = new PriorityQueue<>();
    private final Deque<Runnable> interrupts = new ArrayDeque<>();
    private final Deque<String> interruptNames = new ArrayDeque<>();
    private long now;
    private long sequence;
    private ExecutionContext context = ExecutionContext.NONE;
    private int delivered;

    private final class Event implements Comparable<Event>, Callout {
        final long deadline;
        final long order = sequence++;
        final Runnable body;
        boolean pending = true;

        Event(long deadline, Runnable body) {
            this.deadline = deadline;
            this.body = body;
        }

        @Override
        public int compareTo(Event other) {
            int byTime = Long.compare(deadline, other.deadline);
            return byTime != 0 ? byTime : Long.compare(order, other.order);
        }

        @Override
        public boolean cancel() {
            boolean was = pending;
            pending = false;
            events.remove(this);
            return was;
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

    @Override
    public long nanoTime() {
        return now;
    }

    @Override
    public void sleep(long nanos) {
        advance(nanos);
    }

    @Override
    public void spin(long nanos) {
        advance(nanos);
    }

    @Override
    public WaitQueue newWaitQueue(String name) {
        return new WaitQueue() {
            @Override
            public boolean await(BooleanSupplier condition, long deadlineNanos) {
                while (!condition.getAsBoolean()) {
                    if (!runNext()) {
                        return condition.getAsBoolean();
                    }
                }
                return true;
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
        runInContext(threadContext, body);
        return new KernelThread() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public boolean isAlive() {
                return false;
            }

            @Override
            public boolean join(long deadlineNanos) {
                return true;
            }
        };
    }

    @Override
    public ExecutionContext currentContext() {
        return context;
    }

    @Override
    public void runInContext(ExecutionContext newContext, Runnable body) {
        ExecutionContext previous = context;
        context = newContext;
        try {
            body.run();
        } finally {
            context = previous;
        }
    }

    @Override
    public Callout scheduleCallout(String name, long deadlineNanos, ExecutionContext calloutContext, Runnable callout) {
        return scheduleHardwareEvent(name, deadlineNanos, () -> runInContext(calloutContext, callout));
    }

    @Override
    public Callout scheduleHardwareEvent(String name, long deadlineNanos, Runnable event) {
        Event e = new Event(Math.max(deadlineNanos, now), event);
        events.add(e);
        return e;
    }

    @Override
    public void postInterrupt(String source, Runnable handler) {
        interrupts.add(handler);
        interruptNames.add(source);
    }

    /** Return how many interrupts wait to be delivered. */
    public int pendingInterrupts() {
        return interrupts.size();
    }

    /** Return the names of the interrupts waiting, oldest first. */
    public java.util.List<String> pendingInterruptNames() {
        return java.util.List.copyOf(interruptNames);
    }

    /** Return how many interrupt handlers have run. */
    public int deliveredInterrupts() {
        return delivered;
    }

    /** Run the posted interrupts at primary interrupt level; return how many ran. */
    public int deliverInterrupts() {
        int ran = 0;
        while (!interrupts.isEmpty()) {
            Runnable handler = interrupts.poll();
            interruptNames.poll();
            runInContext(ExecutionContext.PRIMARY_INTERRUPT, handler);
            delivered++;
            ran++;
        }
        return ran;
    }

    /** Deliver interrupts, or else run the next event (moving the clock); false if there was nothing to do. */
    public boolean runNext() {
        if (deliverInterrupts() > 0) {
            return true;
        }
        Event next = events.poll();
        if (next == null) {
            return false;
        }
        now = Math.max(now, next.deadline);
        next.pending = false;
        next.body.run();
        return true;
    }

    /** Run interrupts and events until nothing is left (at most 100,000 steps). */
    public void runUntilIdle() {
        for (int i = 0; i < 100_000 && runNext(); i++) {
            // keep going
        }
    }

    /** Move the clock forward by {@code nanos}, running what falls due on the way. */
    public void advance(long nanos) {
        long target = now + nanos;
        while (true) {
            deliverInterrupts();
            Event next = events.peek();
            if (next == null || next.deadline > target) {
                break;
            }
            events.poll();
            now = Math.max(now, next.deadline);
            next.pending = false;
            next.body.run();
        }
        now = target;
    }
}
