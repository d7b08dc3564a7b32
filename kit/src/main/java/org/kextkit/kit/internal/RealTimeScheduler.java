package org.kextkit.kit.internal;

import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * The kernel scheduler in real time: kernel threads are platform threads that run freely, and the
 * clock is the host's. The daemon's kernels and all code running with no kernel use it; tests of a
 * hosted kernel use the harness's virtual-time scheduler instead.
 *
 * <p>Kernel threads, thread calls and interrupt handlers run on daemon threads bound (through
 * {@link KernelRuntime#enter}) to the kernel given with {@link #bind}, in the context they were
 * started in. Callouts and hardware events are timed by one timer thread; a due callout runs on a
 * thread-call thread, a due hardware event on the timer thread itself. Interrupts run one at a time
 * on a dedicated interrupt thread at primary interrupt level.
 */
public class RealTimeScheduler implements KernelScheduler {
    private final String name;
    private final long bootNanos = System.nanoTime();
    private final ThreadLocal<ExecutionContext> context = ThreadLocal.withInitial(() -> ExecutionContext.THREAD);
    // True on the threads this scheduler runs kernel code on (kernel threads, callouts, interrupts).
    private final ThreadLocal<Boolean> ownThread = ThreadLocal.withInitial(() -> false);
    private final Set<Thread> kernelThreads = ConcurrentHashMap.newKeySet();
    private final ScheduledThreadPoolExecutor timer;
    private final ThreadPoolExecutor threadCalls;
    private final ExecutorService interrupts;
    private volatile KernelServices services;
    private volatile boolean shutDown;

    /** Create a scheduler whose threads are named after {@code name}; bind it to a kernel with {@link #bind}. */
    public RealTimeScheduler(String name) {
        this.name = Objects.requireNonNull(name, "name");
        this.timer = new ScheduledThreadPoolExecutor(1, daemonThreads(name + "-timer"));
        this.timer.setRemoveOnCancelPolicy(true);
        this.threadCalls = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 10, TimeUnit.SECONDS,
                new SynchronousQueue<>(), daemonThreads(name + "-thread_call"));
        this.interrupts = Executors.newSingleThreadExecutor(daemonThreads(name + "-interrupt"));
    }

    /**
     * Make every thread this scheduler runs code on belong to {@code kernel} (its kit calls reach that
     * kernel); {@code null} means no kernel, as standalone.
     */
    public void bind(KernelServices kernel) {
        this.services = kernel;
    }

    /** Return the kernel this scheduler's threads belong to, or {@code null}. */
    public KernelServices boundServices() {
        return services;
    }

    @Override
    public long nanoTime() {
        return System.nanoTime() - bootNanos;
    }

    @Override
    public void sleep(long nanos) {
        if (nanos <= 0) {
            return;
        }
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KernelThreadStopped("interrupted while sleeping");
        }
    }

    @Override
    public void spin(long nanos) {
        long deadline = System.nanoTime() + nanos;
        while (System.nanoTime() - deadline < 0) {
            Thread.onSpinWait();
        }
    }

    @Override
    public WaitQueue newWaitQueue(String queueName) {
        return new RealTimeWaitQueue(queueName);
    }

    @Override
    public KernelThread startThread(String threadName, ExecutionContext threadContext, Runnable body) {
        Thread thread = new Thread(kernelBody(threadName, threadContext, body), threadName);
        thread.setDaemon(true);
        kernelThreads.add(thread);
        thread.start();
        return new KernelThread() {
            @Override
            public String name() {
                return threadName;
            }

            @Override
            public boolean isAlive() {
                return thread.isAlive();
            }

            @Override
            public boolean join(long deadlineNanos) {
                try {
                    if (deadlineNanos == WaitQueue.FOREVER) {
                        thread.join();
                    } else {
                        long left = deadlineNanos - nanoTime();
                        if (left > 0) {
                            TimeUnit.NANOSECONDS.timedJoin(thread, left);
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return !thread.isAlive();
            }

            @Override
            public String toString() {
                return threadName;
            }
        };
    }

    @Override
    public ExecutionContext currentContext() {
        return context.get();
    }

    /**
     * Return true if the calling thread is one this scheduler runs kernel code on (a kernel thread, a
     * thread call, the interrupt thread); a hosted kernel treats every other thread as outside it.
     */
    public boolean isOwnThread() {
        return ownThread.get();
    }

    @Override
    public void runInContext(ExecutionContext inner, Runnable body) {
        ExecutionContext outer = context.get();
        context.set(inner);
        try {
            body.run();
        } finally {
            context.set(outer);
        }
    }

    @Override
    public Callout scheduleCallout(String calloutName, long deadlineNanos, ExecutionContext calloutContext,
                                   Runnable callout) {
        TimedCallout pending = new TimedCallout(deadlineNanos);
        Runnable onThreadCall = kernelBody("thread_call " + calloutName, calloutContext, callout);
        pending.future = schedule(deadlineNanos, () -> {
            if (pending.fire()) {
                try {
                    threadCalls.execute(onThreadCall);
                } catch (RejectedExecutionException shuttingDown) {
                    // the kernel is going away; the callout is dropped with it
                }
            }
        });
        return pending;
    }

    @Override
    public Callout scheduleHardwareEvent(String eventName, long deadlineNanos, Runnable event) {
        TimedCallout pending = new TimedCallout(deadlineNanos);
        Runnable body = kernelBody("hardware event " + eventName, ExecutionContext.NONE, event);
        pending.future = schedule(deadlineNanos, () -> {
            if (pending.fire()) {
                body.run();
            }
        });
        return pending;
    }

    @Override
    public void postInterrupt(String source, Runnable handler) {
        Runnable body = kernelBody("interrupt " + source, ExecutionContext.PRIMARY_INTERRUPT, handler);
        try {
            interrupts.execute(body);
        } catch (RejectedExecutionException shuttingDown) {
            // no interrupts are delivered to a kernel that has shut down
        }
    }

    /** Stop the timer, thread-call and interrupt threads and interrupt every kernel thread; nothing runs after. */
    public void shutdown() {
        shutDown = true;
        timer.shutdownNow();
        threadCalls.shutdownNow();
        interrupts.shutdownNow();
        for (Thread thread : kernelThreads) {
            thread.interrupt();
        }
    }

    /** Return true once {@link #shutdown} has been called. */
    public boolean isShutDown() {
        return shutDown;
    }

    @Override
    public String toString() {
        return "RealTimeScheduler[" + name + "]";
    }

    private ScheduledFuture<?> schedule(long deadlineNanos, Runnable task) {
        long delay = Math.max(0, deadlineNanos - nanoTime());
        try {
            return timer.schedule(task, delay, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException shuttingDown) {
            return null;
        }
    }

    /** Wrap a body so it runs for the bound kernel in {@code bodyContext} and never leaks an exception. */
    private Runnable kernelBody(String bodyName, ExecutionContext bodyContext, Runnable body) {
        return () -> {
            Thread self = Thread.currentThread();
            try (KernelRuntime.Scope scope = KernelRuntime.enter(services)) {
                context.set(bodyContext);
                ownThread.set(true);
                body.run();
            } catch (KernelThreadStopped | KernelPanic stoppedOrAlreadyReported) {
                // a stopped thread just ends; a panic was recorded by the kernel when it was raised
            } catch (Throwable escaped) {
                uncaught(bodyName, bodyContext, escaped);
            } finally {
                context.remove();
                ownThread.remove();
                kernelThreads.remove(self);
            }
        };
    }

    private void uncaught(String bodyName, ExecutionContext bodyContext, Throwable escaped) {
        KernelServices kernel = services;
        String what = bodyContext == ExecutionContext.PRIMARY_INTERRUPT
                ? "Unhandled exception at primary interrupt level in " + bodyName
                : "Unhandled exception in kernel thread " + bodyName;
        if (kernel == null) {
            System.err.println(what + ": " + escaped);
            escaped.printStackTrace();
            return;
        }
        try (KernelRuntime.Scope scope = KernelRuntime.enter(kernel)) {
            kernel.panic(what + ": " + escaped);
        } catch (KernelPanic expected) {
            // the kernel recorded the panic
        }
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return body -> {
            Thread thread = new Thread(body, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** A callout or hardware event waiting on the timer thread. */
    private static final class TimedCallout implements Callout {
        private static final int PENDING = 0;
        private static final int FIRED = 1;
        private static final int CANCELLED = 2;

        private final long deadline;
        private final AtomicInteger state = new AtomicInteger(PENDING);
        volatile ScheduledFuture<?> future;

        TimedCallout(long deadline) {
            this.deadline = deadline;
        }

        boolean fire() {
            return state.compareAndSet(PENDING, FIRED);
        }

        @Override
        public boolean cancel() {
            if (state.compareAndSet(PENDING, CANCELLED)) {
                ScheduledFuture<?> scheduled = future;
                if (scheduled != null) {
                    scheduled.cancel(false);
                }
                return true;
            }
            return false;
        }

        @Override
        public boolean isPending() {
            return state.get() == PENDING;
        }

        @Override
        public long deadlineNanos() {
            return deadline;
        }
    }

    /** A wait queue over one lock and condition; conditions are tested under the lock. */
    private final class RealTimeWaitQueue implements WaitQueue {
        private final String queueName;
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition changed = lock.newCondition();

        RealTimeWaitQueue(String queueName) {
            this.queueName = queueName;
        }

        @Override
        public boolean await(BooleanSupplier condition, long deadlineNanos) {
            lock.lock();
            try {
                while (!condition.getAsBoolean()) {
                    if (deadlineNanos == FOREVER) {
                        changed.await();
                    } else {
                        long left = deadlineNanos - nanoTime();
                        if (left <= 0) {
                            return false;
                        }
                        changed.awaitNanos(left);
                    }
                }
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KernelThreadStopped("interrupted while waiting on " + queueName);
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void wakeAll() {
            lock.lock();
            try {
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void wakeOne() {
            lock.lock();
            try {
                changed.signal();
            } finally {
                lock.unlock();
            }
        }

        @Override
        public String name() {
            return queueName;
        }

        @Override
        public String toString() {
            return "WaitQueue[" + queueName + "]";
        }
    }
}
