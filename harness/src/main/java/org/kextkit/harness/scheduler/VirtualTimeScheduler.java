package org.kextkit.harness.scheduler;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import org.kextkit.harness.scheduler.internal.CarrierPool;
import org.kextkit.kit.internal.ExecutionContext;
import org.kextkit.kit.internal.KernelPanic;
import org.kextkit.kit.internal.KernelRuntime;
import org.kextkit.kit.internal.ThreadOwnership;
import org.kextkit.kit.internal.WaitQueue;

/**
 * Run a hosted kernel's threads in virtual time: a discrete-event simulation over real Java threads
 * in which exactly one kernel thread holds the processor at a time.
 *
 * <p><b>The processor.</b> A kernel thread gives the processor up only by blocking (a wait queue, a
 * sleep, a join) or by ending. The next thread is the head of a FIFO of runnable threads, except that
 * the kernel's interrupt thread goes first whenever an interrupt is pending. When several threads
 * become runnable at the same instant (a {@code wakeAll}, timers with the same deadline), they join
 * the FIFO in an order drawn from a random source seeded with the kernel's seed, so one seed gives one
 * interleaving and another seed may give another. Calls from outside the kernel at arbitrary moments
 * are the only other source of variation.
 *
 * <p><b>The clock.</b> Kernel time starts at 0 and moves only when nothing is runnable and someone is
 * waiting for it: a caller inside the kernel that is blocked (a kext's {@code start} sleeping one
 * second takes no wall time) or a test that calls {@link #advance}, {@link #advanceTo} or
 * {@link #runUntil}. It then jumps to the earliest deadline (a timed wait, a callout, a hardware
 * event). {@link #spin} ({@code IODelay}) moves it without giving the processor up; hardware events
 * that fall due meanwhile run at once.
 *
 * <p><b>Where code runs.</b> Kernel threads run on daemon platform threads from a pool shared by the
 * JVM's kernels ({@link CarrierPool}), bound to the kernel's services while they carry its thread.
 * Callouts run on thread-call threads in the context given when they were scheduled; interrupts run
 * on the kernel's interrupt thread at {@link ExecutionContext#PRIMARY_INTERRUPT}; hardware events run
 * inline, outside any kernel thread, in {@link ExecutionContext#NONE}.
 *
 * <p><b>Hangs and deadlocks.</b> A shared watchdog checks every kernel in real time. A kernel thread
 * (other than an outside caller running harness code) that keeps the processor past the budget is
 * abandoned: it loses the processor, its callers get a {@link KernelStallException}, and the kernel
 * goes on. An abandoned thread is never scheduled again: its Java thread keeps running whatever it
 * was running (an endless loop keeps a host core busy until it ends on its own) and is parked for good
 * the next time it calls into the scheduler (its carrier never returns to the pool); it is a daemon
 * thread, so it never keeps the JVM alive, and everything it references (its kext's classes) stays in
 * memory. A deadlock (every thread blocked,
 * nothing pending, a caller waiting) is reported at once to the waiting callers; the deadlocked
 * threads stay blocked. A caller whose wait goes on past the budget while timers keep firing gets a
 * {@link StallReport.Kind#RUNAWAY} report.
 */
public final class VirtualTimeScheduler implements HostedScheduler {
    private static final Comparator<Timed> TIMER_ORDER = Comparator.comparingLong((Timed t) -> t.deadline)
            .thenComparingLong(t -> t.sequence);
    private static final String INTERRUPT_THREAD = "interrupt";

    private final SchedulerSetup setup;
    private final String kernelName;
    private final Random random;
    private final long budgetNanos;

    private final ReentrantLock lock = new ReentrantLock();
    // Signalled whenever outside waiters (entry exits, advances) may have what they wait for.
    private final Condition changed = lock.newCondition();
    private final ThreadLocal<VThread> current = new ThreadLocal<>();
    private final ThreadLocal<Deque<ExecutionContext>> outsideContexts = ThreadLocal.withInitial(ArrayDeque::new);
    private final ThreadLocal<String> hardwareEvent = new ThreadLocal<>();

    // Everything below is guarded by lock.
    private volatile long now;
    private long nextSequence;
    private VThread running;
    private long cpuSinceReal;
    private Thread dispatcher;
    private VThread dispatcherThread;
    // When the hardware event the dispatcher runs started (real time), or 0 when none runs.
    private long hardwareSinceReal;
    private final ArrayDeque<VThread> runnable = new ArrayDeque<>();
    private final TreeSet<Timed> timers = new TreeSet<>(TIMER_ORDER);
    private final List<VThread> threads = new ArrayList<>();
    private final List<AdvanceRequest> advances = new ArrayList<>();
    private long quiescentEpoch;
    private String haltedBecause;
    private boolean terminated;
    private final List<StallReport> stalls = new ArrayList<>();
    private VThread interruptThread;
    private VWaitQueue interruptQueue;
    private final ArrayDeque<PendingInterrupt> interrupts = new ArrayDeque<>();
    private final ArrayDeque<VThread> idleWorkers = new ArrayDeque<>();
    private int workerCount;
    private int threadCount;

    /** Create a scheduler at kernel time 0; threads start when code is run on them. */
    public VirtualTimeScheduler(SchedulerSetup setup) {
        this.setup = setup;
        this.kernelName = setup.kernelName();
        this.random = new Random(setup.seed());
        this.budgetNanos = setup.watchdogBudget().toNanos();
        Watchdog.watch(this);
    }

    @Override
    public TimeMode mode() {
        return TimeMode.VIRTUAL;
    }

    /** Return the seed that orders simultaneous events. */
    public long seed() {
        return setup.seed();
    }

    // ---------------------------------------------------------------- clock

    @Override
    public long nanoTime() {
        return now;
    }

    /**
     * Run everything that falls due within {@code duration} of kernel time, in order, and leave the
     * clock exactly that much later. Called by a test from outside the kernel.
     */
    public void advance(Duration duration) {
        advanceTo(saturatedAdd(now, duration.toNanos()));
    }

    /**
     * Run every thread, callout, interrupt and hardware event due up to kernel time {@code nanos}, in
     * deadline order, and leave the clock at {@code nanos} (or where it is, if later).
     *
     * @throws IllegalStateException if called from a kernel thread (which sleeps instead) or when the
     *         kernel has halted
     */
    public void advanceTo(long nanos) {
        if (current.get() != null) {
            throw new IllegalStateException("advanceTo is for a test driving the kernel from outside; a kernel thread"
                    + " sleeps instead (thread " + current.get().name + ")");
        }
        lock.lock();
        try {
            checkHalted();
            AdvanceRequest request = new AdvanceRequest(nanos);
            advances.add(request);
            try {
                if (isIdle()) {
                    handOff();
                }
                while (!request.done && haltedBecause == null && !terminated) {
                    changed.awaitUninterruptibly();
                }
            } finally {
                advances.remove(request);
            }
            checkHalted();
        } finally {
            lock.unlock();
        }
    }

    /** Run every thread and event that is due at the current kernel time, without moving the clock. */
    public void runUntilQuiescent() {
        advanceTo(now);
    }

    /**
     * Run the kernel, moving the clock from deadline to deadline, until {@code condition} holds or
     * {@code virtualTimeout} of kernel time has passed; the condition is tested whenever the kernel is
     * quiescent.
     *
     * @return true if the condition held, false on timeout (the clock is then at the timeout)
     */
    public boolean runUntil(BooleanSupplier condition, Duration virtualTimeout) {
        long deadline = saturatedAdd(now, virtualTimeout.toNanos());
        runUntilQuiescent();
        while (!condition.getAsBoolean()) {
            long next = nextDeadline();
            if (next == WaitQueue.FOREVER || next > deadline) {
                advanceTo(deadline);
                return condition.getAsBoolean();
            }
            advanceTo(next);
        }
        return true;
    }

    /** Return the earliest pending deadline (timed wait, callout, hardware event), or {@link WaitQueue#FOREVER}. */
    public long nextDeadline() {
        lock.lock();
        try {
            return timers.isEmpty() ? WaitQueue.FOREVER : timers.first().deadline;
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- blocking

    @Override
    public WaitQueue newWaitQueue(String name) {
        return new VWaitQueue(name);
    }

    @Override
    public void sleep(long nanos) {
        VWaitQueue queue = new VWaitQueue("sleep " + nanos + " ns");
        long deadline = saturatedAdd(now, Math.max(0, nanos));
        queue.await(() -> false, deadline);
    }

    @Override
    public void spin(long nanos) {
        VThread me = current.get();
        if (me == null) {
            try (KernelEntry ignored = enter()) {
                spin(nanos);
            }
            return;
        }
        lock.lock();
        try {
            checkNotHardware("spin");
            checkAbandoned(me);
            long target = saturatedAdd(now, Math.max(0, nanos));
            while (haltedBecause == null && !terminated) {
                Timed first = firstDue(target, true);
                if (first == null) {
                    break;
                }
                now = Math.max(now, first.deadline);
                for (Timed event : takeGroup(first.deadline, true)) {
                    runHardware(event);
                    checkAbandoned(me);
                }
            }
            now = Math.max(now, target);
        } finally {
            lock.unlock();
        }
    }

    private boolean await(VWaitQueue queue, BooleanSupplier condition, long deadline, boolean idleWait) {
        VThread me = current.get();
        if (me == null) {
            try (KernelEntry ignored = enter()) {
                return await(queue, condition, deadline, idleWait);
            }
        }
        lock.lock();
        try {
            checkNotHardware("wait on \"" + queue.name + "\"");
            checkAbandoned(me);
            if (currentContext() == ExecutionContext.PRIMARY_INTERRUPT) {
                throw new KernelPanic("thread_block: wait on \"" + queue.name + "\" in primary interrupt context (thread "
                        + me.name + "); nothing may block at interrupt level");
            }
            queue.waiters.add(me);
            try {
                while (true) {
                    throwFailure(me);
                    if (condition.getAsBoolean()) {
                        return true;
                    }
                    if (deadline != WaitQueue.FOREVER && now >= deadline) {
                        return false;
                    }
                    if (isDead() && me.entered) {
                        throwDead();
                    }
                    me.state = State.BLOCKED;
                    me.waitingOn = queue;
                    me.waitDeadline = deadline;
                    me.idleWait = idleWait;
                    me.waitSinceReal = System.nanoTime();
                    me.waitSinceVirtual = now;
                    if (deadline != WaitQueue.FOREVER) {
                        me.timeout = addTimer(new Timed(Kind.TIMEOUT, "timeout of " + me.name, deadline, null, null, me));
                    }
                    handOff();
                    waitForTurn(me);
                    me.waitingOn = null;
                    me.idleWait = false;
                    if (me.timeout != null) {
                        timers.remove(me.timeout);
                        me.timeout = null;
                    }
                }
            } finally {
                queue.waiters.remove(me);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Unwind a caller from outside that waits in a kernel which has panicked or shut down. */
    private void throwDead() {
        if (haltedBecause != null) {
            throw new KernelPanic(haltedBecause);
        }
        throw new IllegalStateException("hosted kernel " + kernelName + " has shut down");
    }

    private void throwFailure(VThread me) {
        Throwable failure = me.failure;
        if (failure != null) {
            me.failure = null;
            if (failure instanceof Error error) {
                throw error;
            }
            throw (RuntimeException) failure;
        }
    }

    /** Wait, lock held, until {@code me} holds the processor. */
    private void waitForTurn(VThread me) {
        while (running != me) {
            if (me.abandoned) {
                parkForever();
            }
            if (terminated && !me.entered) {
                throw ThreadTerminated.INSTANCE;
            }
            me.turn.awaitUninterruptibly();
        }
        me.state = State.RUNNING;
    }

    private void parkForever() {
        // An abandoned thread must never touch the kernel again; it sleeps until the JVM ends.
        while (lock.isHeldByCurrentThread()) {
            lock.unlock();
        }
        while (true) {
            LockSupport.park(this);
        }
    }

    private void checkAbandoned(VThread me) {
        if (me.abandoned) {
            parkForever();
        }
        if (terminated && !me.entered && running != me) {
            throw ThreadTerminated.INSTANCE;
        }
    }

    private void checkNotHardware(String what) {
        String event = hardwareEvent.get();
        if (event != null) {
            throw new IllegalStateException("hardware event \"" + event + "\" must not block: it tried to " + what);
        }
    }

    // ---------------------------------------------------------------- the dispatcher

    private boolean isIdle() {
        return running == null && dispatcher == null;
    }

    /**
     * Give the processor to the next runnable thread, firing what falls due and moving the clock
     * when nobody is runnable and someone waits for time to pass. Called with the lock held by the
     * thread that holds the processor and gives it up, or by an outside caller when the processor is
     * idle. On return the processor is held by some thread or idle.
     */
    private void handOff() {
        Thread self = Thread.currentThread();
        running = null;
        dispatcher = self;
        dispatcherThread = current.get();
        try {
            while (true) {
                if (!fireDue(self)) {
                    dispatchTakenAway();
                }
                VThread next = pickNext();
                if (next != null) {
                    give(next);
                    return;
                }
                quiescentEpoch++;
                changed.signalAll();
                long limit = advanceLimit();
                Timed first = timers.isEmpty() ? null : timers.first();
                if (first != null && first.deadline <= limit && first.deadline != WaitQueue.FOREVER && !isDead()) {
                    now = Math.max(now, first.deadline);
                    continue;
                }
                if (limit == WaitQueue.FOREVER && !isDead()) {
                    reportDeadlock();
                    continue;
                }
                finishAdvances();
                return;
            }
        } finally {
            if (dispatcher == self) {
                dispatcher = null;
                dispatcherThread = null;
            }
            changed.signalAll();
        }
    }

    private boolean isDead() {
        return haltedBecause != null || terminated;
    }

    private void give(VThread next) {
        running = next;
        next.state = State.RUNNING;
        cpuSinceReal = System.nanoTime();
        next.turn.signal();
    }

    private VThread pickNext() {
        if (isDead()) {
            // A halted kernel only lets callers from outside unwind.
            for (Iterator<VThread> it = runnable.iterator(); it.hasNext();) {
                VThread t = it.next();
                if (t.entered) {
                    it.remove();
                    return t;
                }
            }
            return null;
        }
        if (interruptThread != null && interruptThread.state == State.RUNNABLE && runnable.remove(interruptThread)) {
            return interruptThread;
        }
        return runnable.pollFirst();
    }

    /** Return how far the clock may move now: forever if a caller inside the kernel waits, else the furthest advance. */
    private long advanceLimit() {
        long limit = Long.MIN_VALUE;
        for (VThread t : threads) {
            if (t.entered && t.state == State.BLOCKED) {
                return WaitQueue.FOREVER;
            }
        }
        for (AdvanceRequest request : advances) {
            limit = Math.max(limit, request.target);
        }
        return limit;
    }

    private void finishAdvances() {
        for (AdvanceRequest request : advances) {
            if (!isDead()) {
                now = Math.max(now, request.target);
            }
            request.done = true;
        }
    }

    /**
     * Fire, in deadline order, everything due at or before the current time; return false if the
     * watchdog took dispatching away from {@code self} while a hardware event ran too long.
     */
    private boolean fireDue(Thread self) {
        while (!isDead()) {
            Timed first = firstDue(now, false);
            if (first == null) {
                return true;
            }
            List<Timed> group = takeGroup(first.deadline, false);
            for (int i = 0; i < group.size(); i++) {
                fire(group.get(i));
                if (dispatcher != self) {
                    // The rest are still due; whoever dispatches now fires them.
                    for (Timed rest : group.subList(i + 1, group.size())) {
                        addTimer(rest);
                    }
                    return false;
                }
            }
        }
        return true;
    }

    /** End a dispatcher whose hardware event outlived the watchdog budget and was replaced. */
    private void dispatchTakenAway() {
        VThread me = current.get();
        if (me != null && !me.entered) {
            parkForever();
        }
        // An outside caller's thread is not ours to park: unwind it with the report instead.
        throw new KernelStallException(stalls.get(stalls.size() - 1));
    }

    private Timed firstDue(long limit, boolean hardwareOnly) {
        for (Timed t : timers) {
            if (t.deadline > limit) {
                return null;
            }
            if (!hardwareOnly || t.kind == Kind.HARDWARE) {
                return t;
            }
        }
        return null;
    }

    /** Remove and return the events due at exactly {@code deadline}, in the seeded order. */
    private List<Timed> takeGroup(long deadline, boolean hardwareOnly) {
        List<Timed> group = new ArrayList<>();
        for (Iterator<Timed> it = timers.iterator(); it.hasNext();) {
            Timed t = it.next();
            if (t.deadline > deadline) {
                break;
            }
            if (t.deadline == deadline && (!hardwareOnly || t.kind == Kind.HARDWARE)) {
                it.remove();
                t.pending = false;
                group.add(t);
            }
        }
        if (group.size() > 1) {
            Collections.shuffle(group, random);
        }
        return group;
    }

    private void fire(Timed event) {
        switch (event.kind) {
            case TIMEOUT -> {
                VThread waiter = event.thread;
                waiter.timeout = null;
                if (waiter.state == State.BLOCKED) {
                    makeRunnable(waiter);
                }
            }
            case CALLOUT -> startCallout(event);
            case HARDWARE -> runHardware(event);
            default -> throw new IllegalStateException(event.kind.name());
        }
    }

    private void runHardware(Timed event) {
        boolean dispatching = dispatcher == Thread.currentThread();
        if (dispatching) {
            hardwareSinceReal = System.nanoTime();
        }
        lock.unlock();
        hardwareEvent.set(event.name);
        try {
            event.body.run();
        } catch (Throwable t) {
            if (t instanceof ThreadTerminated) {
                throw t;
            }
            panicFromThread("hardware event \"" + event.name + "\" failed: " + describe(t), t, "hardware event " + event.name,
                    ExecutionContext.NONE);
        } finally {
            hardwareEvent.remove();
            lock.lock();
            if (dispatching) {
                hardwareSinceReal = 0;
            }
        }
    }

    private void makeRunnable(VThread t) {
        t.state = State.RUNNABLE;
        runnable.addLast(t);
    }

    private void makeRunnable(List<VThread> batch) {
        if (batch.size() > 1) {
            Collections.shuffle(batch, random);
        }
        for (VThread t : batch) {
            makeRunnable(t);
        }
    }

    private Timed addTimer(Timed timer) {
        timer.pending = true;
        timers.add(timer);
        return timer;
    }

    // ---------------------------------------------------------------- threads

    @Override
    public KernelThread startThread(String name, ExecutionContext context, Runnable body) {
        return spawn(name, context, body, null);
    }

    private VThread spawn(String name, ExecutionContext context, Runnable body, VThread caller) {
        lock.lock();
        try {
            if (isDead()) {
                throw new IllegalStateException("can't start kernel thread " + name + ": hosted kernel " + kernelName
                        + (haltedBecause != null ? " has panicked: " + haltedBecause : " has shut down"));
            }
            VThread t = spawnLocked(name, context, caller);
            t.body = body;
            launch(t);
            return t;
        } finally {
            lock.unlock();
        }
    }

    /** Run a kernel thread on its carrier; return true if the carrier may carry another kernel thread. */
    private boolean runThread(VThread me, Runnable body) {
        current.set(me);
        try (KernelRuntime.Scope ignored = KernelRuntime.enter(setup.services())) {
            runThreadBound(me, body);
        } catch (ThreadTerminated e) {
            // The kernel shut down while this thread waited; it simply ends.
        } finally {
            current.remove();
        }
        // Locks and gates record their owner by Java thread: one left owned must not pass to another kernel thread.
        return !me.abandoned && ThreadOwnership.isClean();
    }

    private void runThreadBound(VThread me, Runnable body) {
        lock.lock();
        try {
            waitForTurn(me);
        } finally {
            lock.unlock();
        }
        try {
            body.run();
        } catch (ThreadTerminated e) {
            return;
        } catch (Throwable t) {
            if (!me.abandoned) {
                panicFromThread(panicString(t, "kernel thread " + me.name), t, me.name, me.context());
            }
        }
        lock.lock();
        try {
            checkAbandoned(me);
            finish(me);
            handOff();
        } finally {
            lock.unlock();
        }
    }

    private void finish(VThread me) {
        me.state = State.DONE;
        threads.remove(me);
        me.completion.wakeAllLocked();
    }

    @Override
    public <T> T call(String threadName, ExecutionContext context, Callable<T> body) {
        VThread me = current.get();
        if (me == null) {
            try (KernelEntry ignored = enter()) {
                return call(threadName, context, body);
            }
        }
        CallResult<T> result = new CallResult<>();
        VThread worker = spawn(threadName, context, () -> {
            try {
                result.value = body.call();
            } catch (KernelPanic panic) {
                // A panic is the kernel's, whoever called: record it and halt before the caller sees it.
                result.thrown = panic;
                panicFromThread(panic.getMessage(), panic, threadName, currentContext());
            } catch (Throwable t) {
                result.thrown = t;
            }
        }, me);
        me.callingInto = worker;
        try {
            worker.completion.await(() -> worker.state == State.DONE, WaitQueue.FOREVER);
        } finally {
            me.callingInto = null;
        }
        if (result.thrown instanceof RuntimeException e) {
            throw e;
        }
        if (result.thrown instanceof Error e) {
            throw e;
        }
        if (result.thrown != null) {
            throw new CompletionException(result.thrown);
        }
        return result.value;
    }

    @Override
    public boolean isKernelThread() {
        return current.get() != null;
    }

    @Override
    public String currentThreadName() {
        VThread me = current.get();
        return me != null ? me.name : Thread.currentThread().getName();
    }

    @Override
    public boolean actsFor(Thread owner) {
        if (Thread.currentThread() == owner) {
            return true;
        }
        for (VThread t = current.get(); t != null; t = t.caller) {
            if (t.java == owner) {
                return true;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- entry from outside

    @Override
    public KernelEntry enter() {
        if (current.get() != null) {
            return KernelEntry.NESTED;
        }
        VThread me = new VThread(Thread.currentThread().getName(), true);
        me.java = Thread.currentThread();
        me.contexts.push(ExecutionContext.THREAD);
        lock.lock();
        try {
            threads.add(me);
            makeRunnable(me);
            if (isIdle()) {
                handOff();
            }
            waitForTurn(me);
            current.set(me);
        } finally {
            lock.unlock();
        }
        KernelRuntime.Scope scope = KernelRuntime.enter(setup.services());
        return () -> exit(me, scope);
    }

    private void exit(VThread me, KernelRuntime.Scope scope) {
        lock.lock();
        try {
            current.remove();
            threads.remove(me);
            me.state = State.DONE;
            long epoch = quiescentEpoch;
            if (running == me) {
                handOff();
            }
            while (quiescentEpoch == epoch && !isDead()) {
                changed.awaitUninterruptibly();
            }
        } finally {
            lock.unlock();
            scope.close();
        }
    }

    // ---------------------------------------------------------------- contexts

    @Override
    public ExecutionContext currentContext() {
        if (hardwareEvent.get() != null) {
            return ExecutionContext.NONE;
        }
        VThread me = current.get();
        Deque<ExecutionContext> stack = me != null ? me.contexts : outsideContexts.get();
        return stack.isEmpty() ? ExecutionContext.NONE : stack.peek();
    }

    @Override
    public void runInContext(ExecutionContext context, Runnable body) {
        VThread me = current.get();
        Deque<ExecutionContext> stack = me != null ? me.contexts : outsideContexts.get();
        stack.push(context);
        try {
            body.run();
        } finally {
            stack.pop();
        }
    }

    // ---------------------------------------------------------------- callouts, hardware, interrupts

    @Override
    public Callout scheduleCallout(String name, long deadlineNanos, ExecutionContext context, Runnable callout) {
        return schedule(new Timed(Kind.CALLOUT, name, deadlineNanos, context, callout, null));
    }

    @Override
    public Callout scheduleHardwareEvent(String name, long deadlineNanos, Runnable event) {
        return schedule(new Timed(Kind.HARDWARE, name, deadlineNanos, ExecutionContext.NONE, event, null));
    }

    private Callout schedule(Timed timer) {
        lock.lock();
        try {
            if (isDead()) {
                return timer; // never pending: a dead kernel runs nothing
            }
            return addTimer(timer);
        } finally {
            lock.unlock();
        }
    }

    private void startCallout(Timed callout) {
        VThread worker = idleWorkers.pollFirst();
        if (worker != null) {
            worker.assignment = callout;
            makeRunnable(worker);
            return;
        }
        VThread fresh = spawnLocked("thread_call-" + (++workerCount), ExecutionContext.THREAD_CALL, null);
        fresh.assignment = callout;
        fresh.body = () -> workerLoop(fresh);
        launch(fresh);
    }

    private void workerLoop(VThread me) {
        VWaitQueue idle = new VWaitQueue("thread call pool (idle)");
        while (true) {
            Timed callout = me.assignment;
            me.assignment = null;
            try {
                runInContext(callout.context, callout.body);
            } catch (ThreadTerminated e) {
                throw e;
            } catch (Throwable t) {
                panicFromThread(panicString(t, "callout \"" + callout.name + "\""), t, me.name, callout.context);
            }
            lock.lock();
            try {
                idleWorkers.addLast(me);
            } finally {
                lock.unlock();
            }
            idle.awaitIdle(() -> me.assignment != null);
        }
    }

    /** Create a kernel thread (runnable, not yet on a carrier) while holding the lock; {@link #launch} runs it. */
    private VThread spawnLocked(String name, ExecutionContext context, VThread caller) {
        VThread t = new VThread(name, false);
        t.contexts.push(context);
        t.caller = caller;
        threads.add(t);
        makeRunnable(t);
        return t;
    }

    /** Put a spawned kernel thread on a carrier, while holding the lock; its body must be set. */
    private void launch(VThread t) {
        String javaName = "kextkit " + kernelName + " #" + (++threadCount) + " " + t.name;
        Runnable body = t.body;
        // A new thread would have inherited the spawner's context class loader; a carrier is given it.
        t.java = CarrierPool.start(javaName, Thread.currentThread().getContextClassLoader(), () -> runThread(t, body));
    }

    @Override
    public void postInterrupt(String source, Runnable handler) {
        lock.lock();
        try {
            if (isDead()) {
                return;
            }
            interrupts.addLast(new PendingInterrupt(source, handler));
            if (interruptThread == null) {
                interruptQueue = new VWaitQueue("interrupt controller (idle)");
                // The thread waits for interrupts in thread context; each handler runs at primary level.
                VThread t = spawnLocked(INTERRUPT_THREAD, ExecutionContext.THREAD, null);
                t.body = () -> interruptLoop(t);
                interruptThread = t;
                launch(t);
            } else {
                interruptQueue.wakeAllLocked();
            }
        } finally {
            lock.unlock();
        }
    }

    private void interruptLoop(VThread me) {
        while (true) {
            PendingInterrupt next;
            lock.lock();
            try {
                next = interrupts.pollFirst();
            } finally {
                lock.unlock();
            }
            if (next == null) {
                interruptQueue.awaitIdle(() -> !interrupts.isEmpty());
                continue;
            }
            try {
                runInContext(ExecutionContext.PRIMARY_INTERRUPT, next.handler);
            } catch (ThreadTerminated e) {
                throw e;
            } catch (Throwable t) {
                panicFromThread(panicString(t, "the primary interrupt handler of " + next.source), t, me.name,
                        ExecutionContext.PRIMARY_INTERRUPT);
            }
        }
    }

    // ---------------------------------------------------------------- panic, halt, shutdown

    private static String panicString(Throwable t, String where) {
        if (t instanceof KernelPanic) {
            return t.getMessage();
        }
        return "Unhandled " + describe(t) + " in " + where;
    }

    private static String describe(Throwable t) {
        return t.getClass().getName() + (t.getMessage() != null ? ": " + t.getMessage() : "");
    }

    private void panicFromThread(String panicString, Throwable cause, String threadName, ExecutionContext context) {
        try {
            setup.panicHandler().kernelPanic(panicString, cause, threadName, context);
        } finally {
            halt(panicString);
        }
    }

    @Override
    public void halt(String panicString) {
        lock.lock();
        try {
            if (haltedBecause != null) {
                return;
            }
            haltedBecause = panicString;
            dropPendingWork();
            for (VThread t : new ArrayList<>(threads)) {
                if (t.entered && t.state == State.BLOCKED) {
                    fail(t, new KernelPanic(panicString));
                }
            }
            quiescentEpoch++;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String haltedBecause() {
        return haltedBecause;
    }

    private void dropPendingWork() {
        for (Timed t : timers) {
            t.pending = false;
        }
        timers.clear();
        interrupts.clear();
        runnable.removeIf(t -> !t.entered);
    }

    @Override
    public void shutdown() {
        lock.lock();
        try {
            if (terminated) {
                return;
            }
            terminated = true;
            dropPendingWork();
            for (VThread t : new ArrayList<>(threads)) {
                if (t == current.get()) {
                    continue;
                }
                if (t.entered) {
                    if (t.state == State.BLOCKED) {
                        fail(t, new IllegalStateException("hosted kernel " + kernelName + " has shut down"));
                    }
                } else {
                    t.turn.signal();
                }
            }
            quiescentEpoch++;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        Watchdog.forget(this);
    }

    private void fail(VThread t, Throwable failure) {
        t.failure = failure;
        if (t.state == State.BLOCKED) {
            if (t.timeout != null) {
                timers.remove(t.timeout);
                t.timeout = null;
            }
            makeRunnable(t);
        }
    }

    private void checkHalted() {
        if (haltedBecause != null) {
            throw new IllegalStateException("hosted kernel " + kernelName + " has panicked: " + haltedBecause);
        }
        if (terminated) {
            throw new IllegalStateException("hosted kernel " + kernelName + " has shut down");
        }
    }

    // ---------------------------------------------------------------- watchdog

    @Override
    public List<StallReport> stallReports() {
        lock.lock();
        try {
            return List.copyOf(stalls);
        } finally {
            lock.unlock();
        }
    }

    /** Look for a hang, a stuck hardware event or runaway time; called by the shared watchdog thread. */
    boolean watchdogCheck() {
        List<String> logLines = new ArrayList<>();
        lock.lock();
        try {
            if (terminated) {
                return false;
            }
            long real = System.nanoTime();
            VThread holder = running;
            if (holder != null && !holder.entered && holder.state == State.RUNNING && real - cpuSinceReal > budgetNanos) {
                logLines.add(abandonHolder(holder, real - cpuSinceReal));
            } else if (dispatcher != null && hardwareSinceReal != 0 && real - hardwareSinceReal > budgetNanos) {
                logLines.add(abandonDispatcher(real - hardwareSinceReal));
            }
            for (VThread t : new ArrayList<>(threads)) {
                if (t.entered && t.state == State.BLOCKED && real - t.waitSinceReal > budgetNanos && now > t.waitSinceVirtual) {
                    StallReport report = new StallReport(StallReport.Kind.RUNAWAY, kernelName, now,
                            "Kernel time ran on from " + Backtrace.seconds(t.waitSinceVirtual) + " to " + Backtrace.seconds(now)
                                    + " for " + realSeconds(real - t.waitSinceReal) + " of real time while thread \"" + t.name
                                    + "\" waited on \"" + t.waitingOn.name + "\"; its wait has been ended.",
                            List.of(stateOf(t)));
                    stalls.add(report);
                    logLines.add(report.text());
                    fail(t, new KernelStallException(report));
                }
            }
        } finally {
            lock.unlock();
        }
        for (String line : logLines) {
            setup.log().accept(line);
        }
        return true;
    }

    private String abandonHolder(VThread holder, long heldNanos) {
        StallReport report = new StallReport(StallReport.Kind.HANG, kernelName, now,
                "Kernel thread \"" + holder.name + "\" in " + holder.context() + " context kept the processor for "
                        + realSeconds(heldNanos) + " of real time without blocking; it has been abandoned.",
                List.of(stateOf(holder)));
        abandon(holder, report);
        running = null;
        startHelperDispatcher();
        return report.text();
    }

    private String abandonDispatcher(long busyNanos) {
        Thread stuck = dispatcher;
        StallReport report = new StallReport(StallReport.Kind.HANG, kernelName, now,
                "A hardware event kept the processor for " + realSeconds(busyNanos)
                        + " of real time without returning; the thread running it has been abandoned.",
                List.of(new StallReport.ThreadState(stuck.getName(), ExecutionContext.NONE, null, WaitQueue.FOREVER,
                        Backtrace.withoutPlumbing(stuck.getStackTrace()))));
        if (dispatcherThread != null) {
            abandon(dispatcherThread, report);
        } else {
            stalls.add(report);
        }
        dispatcher = null;
        dispatcherThread = null;
        hardwareSinceReal = 0;
        startHelperDispatcher();
        return report.text();
    }

    private void abandon(VThread t, StallReport report) {
        t.abandoned = true;
        t.state = State.ABANDONED;
        threads.remove(t);
        runnable.remove(t);
        stalls.add(report);
        t.java.interrupt();
        for (VThread other : new ArrayList<>(threads)) {
            if (other.callingInto == t) {
                fail(other, new KernelStallException(report));
            }
        }
    }

    private void startHelperDispatcher() {
        Thread helper = new Thread(() -> {
            lock.lock();
            try {
                if (isIdle()) {
                    handOff();
                }
            } finally {
                lock.unlock();
            }
        }, "kextkit " + kernelName + " dispatcher");
        helper.setDaemon(true);
        helper.start();
    }

    private StallReport.ThreadState stateOf(VThread t) {
        return new StallReport.ThreadState(t.name, t.context(), t.waitingOn == null ? null : t.waitingOn.name,
                t.waitDeadline, Backtrace.withoutPlumbing(t.java.getStackTrace()));
    }

    private void reportDeadlock() {
        List<StallReport.ThreadState> involved = new ArrayList<>();
        List<VThread> callers = new ArrayList<>();
        for (VThread t : threads) {
            if (t.state == State.BLOCKED && !t.idleWait) {
                involved.add(stateOf(t));
                if (t.entered) {
                    callers.add(t);
                }
            }
        }
        StringBuilder names = new StringBuilder();
        for (StallReport.ThreadState s : involved) {
            names.append(names.length() == 0 ? "" : ", ").append('"').append(s.name()).append("\" on \"").append(s.waitsOn())
                    .append('"');
        }
        StallReport report = new StallReport(StallReport.Kind.DEADLOCK, kernelName, now,
                "Deadlock: every kernel thread is blocked and no timer or event is pending (" + names + ").", involved);
        stalls.add(report);
        String text = report.text();
        for (VThread caller : callers) {
            fail(caller, new KernelStallException(report));
        }
        // Log outside the lock would be nicer, but the dispatcher must not let go here; the log is non-blocking.
        setup.log().accept(text);
    }

    private static String realSeconds(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.1f s", nanos / 1e9);
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? WaitQueue.FOREVER : Math.min(sum, WaitQueue.FOREVER);
    }

    // ---------------------------------------------------------------- records

    private enum State { RUNNABLE, RUNNING, BLOCKED, DONE, ABANDONED }

    private enum Kind { TIMEOUT, CALLOUT, HARDWARE }

    /** A kernel thread: one of ours, or an outside caller inside an entry. */
    private final class VThread implements KernelThread {
        final String name;
        final boolean entered;
        final Deque<ExecutionContext> contexts = new ArrayDeque<>();
        final Condition turn = lock.newCondition();
        final VWaitQueue completion;
        volatile Thread java;
        Runnable body;
        State state = State.RUNNABLE;
        VWaitQueue waitingOn;
        long waitDeadline = WaitQueue.FOREVER;
        boolean idleWait;
        long waitSinceReal;
        long waitSinceVirtual;
        Timed timeout;
        Throwable failure;
        boolean abandoned;
        VThread caller;
        VThread callingInto;
        Timed assignment;

        VThread(String name, boolean entered) {
            this.name = name;
            this.entered = entered;
            this.completion = new VWaitQueue("thread \"" + name + "\" to finish");
        }

        ExecutionContext context() {
            return contexts.isEmpty() ? ExecutionContext.NONE : contexts.peek();
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public boolean isAlive() {
            return state != State.DONE;
        }

        @Override
        public boolean join(long deadlineNanos) {
            return completion.await(() -> state == State.DONE, deadlineNanos);
        }

        @Override
        public String toString() {
            return name + " (" + state + ")";
        }
    }

    private final class VWaitQueue implements WaitQueue {
        final String name;
        final List<VThread> waiters = new ArrayList<>();

        VWaitQueue(String name) {
            this.name = name;
        }

        @Override
        public boolean await(BooleanSupplier condition, long deadlineNanos) {
            return VirtualTimeScheduler.this.await(this, condition, deadlineNanos, false);
        }

        void awaitIdle(BooleanSupplier condition) {
            VirtualTimeScheduler.this.await(this, condition, WaitQueue.FOREVER, true);
        }

        @Override
        public void wakeAll() {
            lock.lock();
            try {
                wakeAllLocked();
            } finally {
                lock.unlock();
            }
        }

        void wakeAllLocked() {
            List<VThread> woken = new ArrayList<>();
            for (VThread t : waiters) {
                if (t.state == State.BLOCKED) {
                    woken.add(t);
                }
            }
            makeRunnable(woken);
        }

        @Override
        public void wakeOne() {
            lock.lock();
            try {
                for (VThread t : waiters) {
                    if (t.state == State.BLOCKED) {
                        makeRunnable(t);
                        return;
                    }
                }
            } finally {
                lock.unlock();
            }
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String toString() {
            return "wait queue " + name;
        }
    }

    /** A timed wait's timeout, a callout or a hardware event. */
    private final class Timed implements Callout {
        final Kind kind;
        final String name;
        final long deadline;
        final long sequence;
        final ExecutionContext context;
        final Runnable body;
        final VThread thread;
        boolean pending;

        Timed(Kind kind, String name, long deadline, ExecutionContext context, Runnable body, VThread thread) {
            this.kind = kind;
            this.name = name;
            this.deadline = deadline;
            this.context = context;
            this.body = body;
            this.thread = thread;
            lock.lock();
            try {
                this.sequence = nextSequence++;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public boolean cancel() {
            lock.lock();
            try {
                if (!pending) {
                    return false;
                }
                pending = false;
                timers.remove(this);
                return true;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public boolean isPending() {
            lock.lock();
            try {
                return pending;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public long deadlineNanos() {
            return deadline;
        }

        @Override
        public String toString() {
            return kind.name().toLowerCase(java.util.Locale.ROOT) + " " + name + " at " + deadline;
        }
    }

    private record PendingInterrupt(String source, Runnable handler) {
    }

    private static final class AdvanceRequest {
        final long target;
        boolean done;

        AdvanceRequest(long target) {
            this.target = target;
        }
    }

    private static final class CallResult<T> {
        T value;
        Throwable thrown;
    }

    /** Unwinds a kernel thread that was waiting when its kernel shut down. */
    private static final class ThreadTerminated extends Error {
        private static final long serialVersionUID = 1L;
        static final ThreadTerminated INSTANCE = new ThreadTerminated();

        private ThreadTerminated() {
            super("hosted kernel shut down", null, false, false);
        }
    }
}
