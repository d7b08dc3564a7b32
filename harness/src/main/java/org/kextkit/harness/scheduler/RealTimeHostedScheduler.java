package org.kextkit.harness.scheduler;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.kextkit.kit.internal.ExecutionContext;
import org.kextkit.kit.internal.KernelPanic;
import org.kextkit.kit.internal.KernelRuntime;
import org.kextkit.kit.internal.KernelScheduler;
import org.kextkit.kit.internal.RealTimeScheduler;
import org.kextkit.kit.internal.WaitQueue;

/**
 * Give a real-time kit scheduler (threads run freely on the host's clock) what the harness needs on
 * top: entry from outside, contained calls into kext code, panics caught at the kernel/kext boundary,
 * and the halt after a panic.
 *
 * <p>In real time threads run in parallel, so a kext's thread cannot be told apart from a slow one
 * by who holds the processor: a {@link #call} whose thread has not returned within the watchdog
 * budget is reported as a {@link StallReport.Kind#HANG} (whether it loops or waits for ever) and
 * abandoned, and a deadlock shows up the same way. After a halt the kernel starts no thread, runs no
 * callout, interrupt or hardware event, and refuses calls; threads already running go on until they
 * next wait, because Java cannot stop them.
 */
public final class RealTimeHostedScheduler implements HostedScheduler {
    private final KernelScheduler delegate;
    private final SchedulerSetup setup;
    private final long budgetNanos;
    private final ThreadLocal<Boolean> entered = ThreadLocal.withInitial(() -> false);
    // The caller each call() thread acts for, for recursive kernel locks.
    private final Map<Thread, Thread> callers = new ConcurrentHashMap<>();
    private final List<StallReport> stalls = new ArrayList<>();
    private volatile String haltedBecause;
    private volatile boolean terminated;

    /** Wrap {@code delegate}, whose threads run bound to the setup's kernel services. */
    public RealTimeHostedScheduler(KernelScheduler delegate, SchedulerSetup setup) {
        this.delegate = delegate;
        this.setup = setup;
        this.budgetNanos = setup.watchdogBudget().toNanos();
    }

    @Override
    public TimeMode mode() {
        return TimeMode.REAL;
    }

    @Override
    public KernelEntry enter() {
        if (isKernelThread()) {
            return KernelEntry.NESTED;
        }
        entered.set(true);
        KernelRuntime.Scope scope = KernelRuntime.enter(setup.services());
        return () -> {
            scope.close();
            entered.remove();
        };
    }

    @Override
    public <T> T call(String threadName, ExecutionContext context, Callable<T> body) {
        refuseIfDead(threadName);
        Thread caller = Thread.currentThread();
        AtomicReference<Thread> worker = new AtomicReference<>();
        AtomicReference<Object> value = new AtomicReference<>();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        KernelThread thread = delegate.startThread(threadName, context, () -> {
            worker.set(Thread.currentThread());
            callers.put(Thread.currentThread(), caller);
            try (KernelRuntime.Scope ignored = KernelRuntime.enter(setup.services())) {
                value.set(body.call());
            } catch (KernelPanic panic) {
                thrown.set(panic);
                panic(panic.getMessage(), panic, threadName, context);
            } catch (Throwable t) {
                thrown.set(t);
            } finally {
                callers.remove(Thread.currentThread());
            }
        });
        if (!thread.join(saturatedAdd(delegate.nanoTime(), budgetNanos))) {
            Thread stuck = worker.get();
            List<StackTraceElement> stack = stuck == null ? List.of() : Backtrace.withoutPlumbing(stuck.getStackTrace());
            StallReport report = new StallReport(StallReport.Kind.HANG, setup.kernelName(), delegate.nanoTime(),
                    "Kernel thread \"" + threadName + "\" in " + context + " context did not return within "
                            + setup.watchdogBudget().toMillis() / 1000.0 + " s; it has been abandoned.",
                    List.of(new StallReport.ThreadState(threadName, context, null, WaitQueue.FOREVER, stack)));
            synchronized (stalls) {
                stalls.add(report);
            }
            setup.log().accept(report.text());
            throw new KernelStallException(report);
        }
        Throwable failure = thrown.get();
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        if (failure != null) {
            throw new CompletionException(failure);
        }
        @SuppressWarnings("unchecked")
        T result = (T) value.get();
        return result;
    }

    @Override
    public boolean isKernelThread() {
        return entered.get() || callers.containsKey(Thread.currentThread());
    }

    @Override
    public String currentThreadName() {
        return Thread.currentThread().getName();
    }

    @Override
    public boolean actsFor(Thread owner) {
        for (Thread t = Thread.currentThread(); t != null; t = callers.get(t)) {
            if (t == owner) {
                return true;
            }
        }
        return false;
    }

    @Override
    public List<StallReport> stallReports() {
        synchronized (stalls) {
            return List.copyOf(stalls);
        }
    }

    @Override
    public void halt(String panicString) {
        if (haltedBecause == null) {
            haltedBecause = panicString;
        }
    }

    @Override
    public String haltedBecause() {
        return haltedBecause;
    }

    @Override
    public void shutdown() {
        terminated = true;
        if (delegate instanceof RealTimeScheduler threads) {
            // The kit scheduler owns the timer, interrupt and work-loop threads: stop them too.
            threads.shutdown();
        }
    }

    private void refuseIfDead(String what) {
        if (haltedBecause != null) {
            throw new KernelPanic(haltedBecause);
        }
        if (terminated) {
            throw new IllegalStateException("can't run " + what + ": hosted kernel " + setup.kernelName() + " has shut down");
        }
    }

    private boolean isDead() {
        return haltedBecause != null || terminated;
    }

    private void panic(String panicString, Throwable cause, String threadName, ExecutionContext context) {
        try {
            setup.panicHandler().kernelPanic(panicString, cause, threadName, context);
        } finally {
            halt(panicString);
        }
    }

    /** Run kext code at the kernel/kext boundary of a thread the kext did not call from: what escapes panics. */
    private Runnable boundary(String where, ExecutionContext context, Runnable body) {
        return () -> {
            if (isDead()) {
                return;
            }
            try {
                body.run();
            } catch (Throwable t) {
                String panicString = t instanceof KernelPanic ? t.getMessage()
                        : "Unhandled " + t.getClass().getName() + (t.getMessage() != null ? ": " + t.getMessage() : "") + " in " + where;
                panic(panicString, t, Thread.currentThread().getName(), context);
            }
        };
    }

    // ---- the kit's view, delegated

    @Override
    public long nanoTime() {
        return delegate.nanoTime();
    }

    @Override
    public void sleep(long nanos) {
        delegate.sleep(nanos);
    }

    @Override
    public void spin(long nanos) {
        delegate.spin(nanos);
    }

    @Override
    public WaitQueue newWaitQueue(String name) {
        return delegate.newWaitQueue(name);
    }

    @Override
    public KernelThread startThread(String name, ExecutionContext context, Runnable body) {
        refuseIfDead("kernel thread " + name);
        return delegate.startThread(name, context, boundary("kernel thread " + name, context, body));
    }

    @Override
    public ExecutionContext currentContext() {
        if (delegate instanceof RealTimeScheduler threads && !threads.isOwnThread() && !isKernelThread()) {
            // A thread the kernel did not start and that has not entered it is outside the kernel.
            return ExecutionContext.NONE;
        }
        ExecutionContext context = delegate.currentContext();
        // A caller from outside runs as a kernel thread in thread context while it is inside.
        return context == ExecutionContext.NONE && entered.get() ? ExecutionContext.THREAD : context;
    }

    @Override
    public void runInContext(ExecutionContext context, Runnable body) {
        delegate.runInContext(context, body);
    }

    @Override
    public Callout scheduleCallout(String name, long deadlineNanos, ExecutionContext context, Runnable callout) {
        return delegate.scheduleCallout(name, deadlineNanos, context, boundary("callout \"" + name + "\"", context, callout));
    }

    @Override
    public Callout scheduleHardwareEvent(String name, long deadlineNanos, Runnable event) {
        return delegate.scheduleHardwareEvent(name, deadlineNanos,
                boundary("hardware event \"" + name + "\"", ExecutionContext.NONE, event));
    }

    @Override
    public void postInterrupt(String source, Runnable handler) {
        if (isDead()) {
            return;
        }
        delegate.postInterrupt(source, boundary("the primary interrupt handler of " + source, ExecutionContext.PRIMARY_INTERRUPT,
                handler));
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? WaitQueue.FOREVER : sum;
    }
}
