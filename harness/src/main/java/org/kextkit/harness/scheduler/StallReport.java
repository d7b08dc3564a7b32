package org.kextkit.harness.scheduler;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.kextkit.kit.internal.ExecutionContext;
import org.kextkit.kit.internal.WaitQueue;

/**
 * Describe a kernel that stopped making progress for a caller: which threads were involved, in
 * which context, what each waited on, and where in the kext's code each stood.
 *
 * @param kind what went wrong
 * @param kernelName the kernel the threads belong to
 * @param kernelTimeNanos the kernel clock when it was noticed
 * @param summary one sentence naming the culprit, as an exception message
 * @param threads the threads involved, culprit first
 */
public record StallReport(Kind kind, String kernelName, long kernelTimeNanos, String summary, List<ThreadState> threads) {
    /** The kinds of stall the scheduler notices. */
    public enum Kind {
        /** A kernel thread kept the processor past the watchdog budget without blocking (an endless loop). */
        HANG,
        /** Every kernel thread was blocked and nothing was pending (no timer, no event) while a caller waited. */
        DEADLOCK,
        /** Kernel time kept moving (timers kept firing) past the watchdog budget while a caller's wait never ended. */
        RUNAWAY
    }

    /**
     * One thread's state at the moment of the report.
     *
     * @param name the kernel thread's name
     * @param context the context it ran in
     * @param waitsOn the name of the wait queue it was blocked on, or {@code null} if it was running
     * @param deadlineNanos the kernel time its wait would end, or {@link WaitQueue#FOREVER}
     * @param stack its Java stack, innermost first, without the scheduler's own frames
     */
    public record ThreadState(String name, ExecutionContext context, String waitsOn, long deadlineNanos,
                              List<StackTraceElement> stack) {
        /** Copy the stack. */
        public ThreadState {
            Objects.requireNonNull(name, "name");
            stack = List.copyOf(stack);
        }
    }

    /** Copy the thread list. */
    public StallReport {
        Objects.requireNonNull(kind, "kind");
        threads = List.copyOf(threads);
    }

    /** Return the report as text: the summary, then each thread with its wait and its stack, kext frames first. */
    public String text() {
        List<String> lines = new ArrayList<>();
        lines.add("kextkit: " + kind.name().toLowerCase(java.util.Locale.ROOT) + " in hosted kernel " + kernelName
                + " at kernel time " + Backtrace.seconds(kernelTimeNanos));
        lines.add(summary);
        for (ThreadState thread : threads) {
            StringBuilder head = new StringBuilder("Thread \"").append(thread.name()).append("\" in ")
                    .append(thread.context()).append(" context");
            if (thread.waitsOn() == null) {
                head.append(", running");
            } else {
                head.append(", waiting on \"").append(thread.waitsOn()).append('"');
                head.append(thread.deadlineNanos() == WaitQueue.FOREVER ? " with no timeout"
                        : " until kernel time " + Backtrace.seconds(thread.deadlineNanos()));
            }
            lines.add(head.toString());
            lines.addAll(Backtrace.lines(thread.stack(), "    "));
        }
        return String.join("\n", lines) + "\n";
    }

    @Override
    public String toString() {
        return text();
    }
}
