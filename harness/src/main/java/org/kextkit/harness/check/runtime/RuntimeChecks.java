package org.kextkit.harness.check.runtime;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.kextkit.harness.bundle.KextBundle;
import org.kextkit.harness.check.Checks;
import org.kextkit.harness.check.CodeSite;
import org.kextkit.harness.check.Finding;
import org.kextkit.harness.check.FindingSink;
import org.kextkit.harness.check.RelatedSite;
import org.kextkit.kit.internal.ExecutionContext;
import org.kextkit.kit.internal.HeapAllocation;
import org.kextkit.kit.internal.HeldLocks;
import org.kextkit.kit.internal.KernelChecks;
import org.kextkit.kit.internal.KernelHeap;
import org.kextkit.kit.internal.KernelScheduler;
import org.kextkit.kit.internal.LockState;
import org.kextkit.kit.internal.MemoryFault;
import org.kextkit.kit.internal.MutexState;
import org.kextkit.kit.internal.ThreadCallState;

/**
 * The runtime checks of one hosted kernel: lock discipline (LCK-*), memory (MEM-*) and teardown
 * leaks, turned into {@link Finding}s with the kext's own code sites.
 *
 * <p>Lock order is checked the way lockdep checks it: every lock belongs to a <em>class</em>, its
 * allocation site, and each time a thread takes a lock while holding others the kernel records the
 * edges "held class before new class" for the whole life of the kernel. When an edge's reverse is
 * already known, two code paths take the same two classes in opposite orders: a deadlock waiting
 * for the wrong interleaving, reported from a run that never deadlocked, with both acquisition
 * stacks. Each finding is reported once per check and site.
 *
 * <p>Cost: with the checks on, every lock acquisition reads the kernel clock and finds its kext
 * stack: the first acquisition on each call path (lock class, and the methods and lines of the
 * innermost kext frames, which instrumented kext code keeps) walks the Java stack, later ones reuse
 * what it found ({@link KextStack.StackCache}); allocations already record their site in the heap.
 */
public final class RuntimeChecks implements KernelChecks {
    /** The default {@link #longHoldThresholdNanos()}: 10 ms of kernel time. */
    public static final long DEFAULT_LONG_HOLD_NANOS = 10_000_000L;
    private static final int STACK_FRAMES = 4;
    private static final Set<KernelHeap.Allocator> LOCK_STORAGE = EnumSet.of(
            KernelHeap.Allocator.IOLOCK, KernelHeap.Allocator.IOSIMPLELOCK, KernelHeap.Allocator.IORECURSIVELOCK,
            KernelHeap.Allocator.IORWLOCK, KernelHeap.Allocator.LCK_MTX, KernelHeap.Allocator.LCK_SPIN,
            KernelHeap.Allocator.LCK_RW, KernelHeap.Allocator.LCK_MTX_EMBEDDED, KernelHeap.Allocator.LCK_SPIN_EMBEDDED,
            KernelHeap.Allocator.LCK_RW_EMBEDDED);
    private static final Set<KernelHeap.Allocator> LOCK_GROUPS = EnumSet.of(KernelHeap.Allocator.LCK_GRP,
            KernelHeap.Allocator.LCK_GRP_ATTR, KernelHeap.Allocator.LCK_ATTR);
    private static final Set<KernelHeap.Allocator> NON_BLOCKING = EnumSet.of(KernelHeap.Allocator.OSMALLOC);

    private final FindingSink sink;
    private volatile KernelScheduler scheduler;
    private volatile java.util.function.LongFunction<HeapAllocation> dmaMemory = address -> null;
    private volatile boolean enabled = true;
    private volatile long longHoldThresholdNanos = DEFAULT_LONG_HOLD_NANOS;
    private final ThreadLocal<List<Acquisition>> held = ThreadLocal.withInitial(ArrayList::new);
    private final Map<Object, LockClass> classes = new ConcurrentHashMap<>();
    private final Map<Edge, EdgeRecord> edges = new ConcurrentHashMap<>();
    private final Map<String, GroupCounters> groups = new ConcurrentHashMap<>();
    private final Set<String> reported = ConcurrentHashMap.newKeySet();
    private final KextStack.StackCache acquisitionStacks = new KextStack.StackCache(STACK_FRAMES);
    private final TeardownChecks teardown = new TeardownChecks(this::emit);
    private final ThreadCallChecks threadCalls = new ThreadCallChecks(this::emit);

    /** Create the checks of a kernel that reports to {@code sink}. */
    public RuntimeChecks(FindingSink sink) {
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    /** Use {@code kernelScheduler} for the kernel's clock and the current context. */
    public void attach(KernelScheduler kernelScheduler) {
        this.scheduler = kernelScheduler;
    }

    /** Turn the runtime checks on or off (on by default). */
    public void setEnabled(boolean on) {
        this.enabled = on;
    }

    /** Return the hold time above which a spin lock hold is reported (LCK-LONG), in kernel nanoseconds. */
    public long longHoldThresholdNanos() {
        return longHoldThresholdNanos;
    }

    /** Set the LCK-LONG threshold in kernel nanoseconds (virtual under virtual time). */
    public void setLongHoldThresholdNanos(long nanos) {
        if (nanos <= 0) {
            throw new IllegalArgumentException("threshold must be positive: " + nanos);
        }
        this.longHoldThresholdNanos = nanos;
    }

    @Override
    public boolean active() {
        return enabled;
    }

    // ---- locks ----------------------------------------------------------------------------------

    private record Acquisition(LockState lock, LockClass lockClass, List<KextStack.Frame> stack, long at,
            ExecutionContext context) {
        CodeSite site() {
            return stack.isEmpty() ? null : stack.get(0).site();
        }
    }

    /** A lock class: every lock allocated at one site. */
    private static final class LockClass {
        final Object key;
        final String description;
        volatile CodeSite interruptSite;
        volatile CodeSite enabledSite;

        LockClass(Object key, String description) {
            this.key = key;
            this.description = description;
        }
    }

    private record Edge(LockClass before, LockClass after) {
    }

    private record EdgeRecord(List<KextStack.Frame> beforeStack, List<KextStack.Frame> afterStack) {
    }

    private static final class GroupCounters {
        long taken;
        long contended;
        long totalHold;
        long maxHold;
        long released;
    }

    private LockClass classOf(LockState lock) {
        Object data = lock.checkerData();
        if (data instanceof LockClass known) {
            return known;
        }
        StackTraceElement site = lock.allocationSite();
        Object key = site == null ? lock : lock.kind() + "@" + site;
        LockClass lockClass = classes.computeIfAbsent(key, k -> new LockClass(k, site == null
                ? lock.toString()
                : String.format(Locale.ROOT, "%s lock class allocated at %s", lock.kind().noun(), site)));
        lock.setCheckerData(lockClass);
        return lockClass;
    }

    private long now() {
        KernelScheduler current = scheduler;
        return current == null ? System.nanoTime() : current.nanoTime();
    }

    private ExecutionContext context() {
        KernelScheduler current = scheduler;
        return current == null ? ExecutionContext.NONE : current.currentContext();
    }

    @Override
    public void lockAcquired(LockState lock, boolean contended) {
        LockClass lockClass = classOf(lock);
        GroupCounters counters = groups.computeIfAbsent(lock.groupName() == null ? "?" : lock.groupName(),
                g -> new GroupCounters());
        synchronized (counters) {
            counters.taken++;
            if (contended) {
                counters.contended++;
            }
        }
        List<KextStack.Frame> stack = acquisitionStacks.stack(lockClass);
        List<Acquisition> mine = held.get();
        for (Acquisition earlier : mine) {
            if (earlier.lockClass != lockClass && earlier.lock != lock) {
                orderEdge(earlier, lockClass, lock, stack);
            }
        }
        mine.add(new Acquisition(lock, lockClass, stack, now(), context()));
    }

    private void orderEdge(Acquisition earlier, LockClass later, LockState laterLock, List<KextStack.Frame> stack) {
        Edge edge = new Edge(earlier.lockClass, later);
        if (edges.containsKey(edge)) {
            return;
        }
        edges.putIfAbsent(edge, new EdgeRecord(earlier.stack, stack));
        EdgeRecord reverse = edges.get(new Edge(later, earlier.lockClass));
        if (reverse == null) {
            return;
        }
        String pair = earlier.lockClass.key + " <-> " + later.key;
        String pairReversed = later.key + " <-> " + earlier.lockClass.key;
        if (reported.contains("LCK-ORDER " + pairReversed) || !reported.add("LCK-ORDER " + pair)) {
            return;
        }
        String message = String.format(Locale.ROOT,
                "Lock-order inversion (possible deadlock): %s (%s) is taken while holding %s (%s), but elsewhere "
                        + "%s is taken while holding %s; two threads taking them these two ways can deadlock.",
                describe(laterLock), later.description, describe(earlier.lock), earlier.lockClass.description,
                describe(earlier.lock), describe(laterLock));
        List<RelatedSite> related = new ArrayList<>();
        addStack(related, "holding this lock, taken", earlier.stack);
        addStack(related, "the other order: first lock taken", reverse.beforeStack);
        addStack(related, "the other order: second lock taken", reverse.afterStack);
        report(Checks.LCK_ORDER, stack.isEmpty() ? null : stack.get(0), message, related);
    }

    private static void addStack(List<RelatedSite> related, String role, List<KextStack.Frame> stack) {
        for (int i = 0; i < stack.size(); i++) {
            related.add(new RelatedSite(i == 0 ? role : "  called", stack.get(i).site()));
        }
    }

    private static String describe(LockState lock) {
        return String.format(Locale.ROOT, "%s 0x%x (group %s)", lock.kind().noun(), lock.address(), lock.groupName());
    }

    @Override
    public void lockReleasing(LockState lock) {
        List<Acquisition> mine = held.get();
        Acquisition acquisition = null;
        for (int i = mine.size() - 1; i >= 0; i--) {
            if (mine.get(i).lock == lock) {
                acquisition = mine.remove(i);
                break;
            }
        }
        if (acquisition == null) {
            return;
        }
        long hold = Math.max(0, now() - acquisition.at);
        GroupCounters counters = groups.get(lock.groupName() == null ? "?" : lock.groupName());
        if (counters != null) {
            synchronized (counters) {
                counters.released++;
                counters.totalHold += hold;
                counters.maxHold = Math.max(counters.maxHold, hold);
            }
        }
        boolean spin = lock instanceof MutexState mutex && mutex.isSpin();
        if (spin && hold > longHoldThresholdNanos) {
            report(Checks.LCK_LONG, frame(acquisition), String.format(Locale.ROOT,
                    "%s was held for %d us of kernel time (threshold %d us); keep spin-lock sections short.",
                    describe(lock), hold / 1000, longHoldThresholdNanos / 1000), List.of());
        }
        interruptUse(lock, acquisition);
    }

    private void interruptUse(LockState lock, Acquisition acquisition) {
        if (acquisition.stack.isEmpty()) {
            return;
        }
        LockClass lockClass = acquisition.lockClass;
        // Each lock class remembers one site per kind of use; the line number is worked out only then.
        if (acquisition.context == ExecutionContext.PRIMARY_INTERRUPT) {
            if (lockClass.interruptSite == null) {
                lockClass.interruptSite = acquisition.site();
            }
        } else if (!(lock instanceof MutexState mutex && mutex.interruptsDisabled())) {
            if (lockClass.enabledSite == null) {
                lockClass.enabledSite = acquisition.site();
            }
        }
        CodeSite inInterrupt = lockClass.interruptSite;
        CodeSite enabled = lockClass.enabledSite;
        if (inInterrupt != null && enabled != null && reported.add("LCK-IRQ " + lockClass.key)) {
            // the primary site is the acquisition with interrupts enabled, whichever of the two came second
            KextStack.Frame current = frame(acquisition);
            emit(Checks.LCK_IRQ, current == null ? null : KextStack.bundleOf(current.type()), enabled,
                    String.format(Locale.ROOT,
                    "%s (%s) is taken at primary interrupt level and also here with interrupts enabled; an interrupt "
                            + "arriving while it is held here spins forever. Take it with "
                            + "IOSimpleLockLockDisableInterrupt outside the interrupt handler.",
                    describe(lock), lockClass.description),
                    List.of(new RelatedSite("taken at primary interrupt level", inInterrupt)));
        }
    }

    @Override
    public void lockMisuse(LockMisuse misuse, LockState lock, String message) {
        String checkId = switch (misuse) {
            case RECURSIVE_ACQUISITION -> Checks.LCK_5;
            case UNLOCK_NOT_OWNER -> Checks.LCK_6;
            case DESTROYED_WHILE_HELD -> Checks.LCK_4;
            case WRONG_GROUP -> Checks.LCK_2;
            case GROUP_FREED_WITH_LIVE_LOCKS -> Checks.LCK_3;
        };
        List<RelatedSite> related = new ArrayList<>();
        if (lock != null) {
            for (Acquisition acquisition : held.get()) {
                if (acquisition.lock == lock && acquisition.site() != null) {
                    related.add(new RelatedSite("first taken", acquisition.site()));
                }
            }
            if (lock.allocationSite() != null) {
                related.add(new RelatedSite("allocated", CodeSite.of(lock.allocationSite())));
            }
        }
        report(checkId, KextStack.first(), message, related);
    }

    @Override
    public void blocking(String function) {
        ExecutionContext context = context();
        if (context == ExecutionContext.PRIMARY_INTERRUPT) {
            KextStack.Frame frame = KextStack.first();
            if (frame != null) {
                report(Checks.LCK_7, frame, function + " may block, and is called at primary interrupt level, "
                        + "where nothing may block; defer the work to the work loop.", List.of());
            }
            return;
        }
        if (HeldLocks.spinLocksHeld() == 0) {
            return;
        }
        KextStack.Frame frame = KextStack.first();
        if (frame == null) {
            return;
        }
        List<RelatedSite> related = new ArrayList<>();
        String spinName = "a spin lock";
        for (Acquisition acquisition : held.get()) {
            if (acquisition.lock instanceof MutexState mutex && mutex.isSpin()) {
                spinName = describe(mutex);
                if (acquisition.site() != null) {
                    related.add(new RelatedSite("spin lock taken", acquisition.site()));
                }
            }
        }
        report(Checks.LCK_7, frame, function + " may block, and is called while holding " + spinName
                + "; release the spin lock first or use a mutex.", related);
    }

    @Override
    public void entryPointReturned(String entryPoint, int token) {
        List<LockState> locks = HeldLocks.current();
        for (int i = Math.max(0, token); i < locks.size(); i++) {
            LockState lock = locks.get(i);
            Acquisition acquisition = null;
            for (Acquisition candidate : held.get()) {
                if (candidate.lock == lock) {
                    acquisition = candidate;
                }
            }
            List<RelatedSite> related = new ArrayList<>();
            if (lock.allocationSite() != null) {
                related.add(new RelatedSite("allocated", CodeSite.of(lock.allocationSite())));
            }
            KextStack.Frame frame = acquisition == null || acquisition.stack.isEmpty() ? null : acquisition.stack.get(0);
            report(Checks.LCK_HELD, frame, String.format(Locale.ROOT,
                    "%s is still held when %s returns to the kernel; release every lock before returning.",
                    describe(lock), entryPoint), related);
        }
    }

    // ---- memory ---------------------------------------------------------------------------------

    @Override
    public void allocating(KernelHeap.Allocator allocator, long size, Class<?> caller) {
        if (!KextStack.isKext(caller)) {
            return;
        }
        if (size == 0) {
            report(Checks.MEM_ZERO, KextStack.first(), allocator.allocFunction()
                    + " asked for 0 bytes; a zero-size allocation returns a pointer that must not be used "
                    + "and is a common source of overruns.", List.of());
        }
        if (!NON_BLOCKING.contains(allocator)) {
            ExecutionContext context = context();
            if (context == ExecutionContext.PRIMARY_INTERRUPT || HeldLocks.spinLocksHeld() > 0) {
                blocking(allocator.allocFunction());
            }
        }
    }

    @Override
    public void tagFreedWithLiveBlocks(String tagName, long liveBlocks) {
        report(Checks.MEM_5, KextStack.first(), String.format(Locale.ROOT,
                "OSMalloc_Tagfree released tag '%s' while %d of its blocks are still allocated; OSFree them first.",
                tagName, liveBlocks), List.of());
    }

    /** Turn a memory fault the heap detected into a finding (the kernel then panics as XNU would). */
    public void memoryFault(MemoryFault fault) {
        if (!enabled) {
            return;
        }
        String checkId = switch (fault.kind()) {
            case OUT_OF_BOUNDS -> Checks.MEM_OOB;
            case USE_AFTER_FREE, UNMAPPED_ACCESS -> Checks.MEM_UAF;
            case DOUBLE_FREE -> Checks.MEM_3;
            case INVALID_FREE -> Checks.MEM_INVALID_FREE;
            case SIZE_MISMATCH -> Checks.MEM_2;
            case ALLOCATOR_MISMATCH, TAG_MISMATCH -> Checks.MEM_1;
            case BAD_PHYSICAL_ACCESS -> fault.freeSite() != null ? Checks.MEM_UAF : Checks.MEM_OOB;
            case NOT_WIRED -> null;
        };
        if (checkId == null) {
            return;
        }
        List<RelatedSite> related = new ArrayList<>();
        if (fault.allocationSite() != null) {
            related.add(new RelatedSite("allocated by " + (fault.allocator() == null ? "the kernel"
                    : fault.allocator().allocFunction()) + " at", CodeSite.of(fault.allocationSite())));
        }
        if (fault.freeSite() != null) {
            related.add(new RelatedSite(fault.kind() == MemoryFault.Kind.DOUBLE_FREE ? "first freed" : "freed",
                    CodeSite.of(fault.freeSite())));
        }
        KextStack.Frame frame = KextStack.first();
        CodeSite site = frame != null ? frame.site() : fault.accessSite() == null ? null : CodeSite.of(fault.accessSite());
        KextBundle bundle = frame == null ? null : KextStack.bundleOf(frame.type());
        emit(checkId, bundle, site, fault.message(), related);
    }

    /**
     * Report what a kext left allocated when it was unloaded: memory (MEM-4) and locks (LCK-1),
     * grouped by allocation site with the count and bytes of each.
     *
     * @param loader the kext's class loader; allocations made by its classes are the kext's
     * @param bundle the kext
     * @param live the heap's live allocations
     */
    public void kextUnloaded(ClassLoader loader, KextBundle bundle, List<HeapAllocation> live) {
        if (!enabled || loader == null) {
            return;
        }
        Map<String, List<HeapAllocation>> bySite = new LinkedHashMap<>();
        for (HeapAllocation allocation : live) {
            if (allocation.caller() != null && allocation.caller().getClassLoader() == loader) {
                bySite.computeIfAbsent(allocation.allocator() + " " + allocation.site(), k -> new ArrayList<>())
                        .add(allocation);
            }
        }
        // A lock group lives on while its locks do: with leaked locks, the group is their consequence.
        boolean locksLeaked = bySite.values().stream().anyMatch(g -> LOCK_STORAGE.contains(g.get(0).allocator()));
        for (List<HeapAllocation> group : bySite.values()) {
            HeapAllocation first = group.get(0);
            if (locksLeaked && LOCK_GROUPS.contains(first.allocator())) {
                continue;
            }
            long bytes = group.stream().mapToLong(HeapAllocation::size).sum();
            CodeSite site = first.site() == null ? null : CodeSite.of(first.site());
            boolean lock = LOCK_STORAGE.contains(first.allocator()) || LOCK_GROUPS.contains(first.allocator());
            String message = lock
                    ? String.format(Locale.ROOT, "%d lock object(s) made by %s here were never freed (%s) before the kext "
                            + "was unloaded.", group.size(), first.allocator().allocFunction(),
                            first.allocator().freeFunction())
                    : String.format(Locale.ROOT, "%d block(s), %d bytes, allocated by %s here are still allocated "
                            + "when the kext is unloaded (first at 0x%x); free them with %s in stop.", group.size(),
                            bytes, first.allocator().allocFunction(), first.address(), first.allocator().freeFunction());
            emit(lock ? Checks.LCK_1 : Checks.MEM_4, bundle, site, message, List.of());
        }
    }

    /**
     * Report that a kext could not be unloaded because instances of its classes are alive (OBJ-3).
     *
     * @param bundle the kext
     * @param live the live instance count per class name
     */
    public void instancesAlive(KextBundle bundle, Map<String, Integer> live) {
        if (!enabled || live.isEmpty()) {
            return;
        }
        StringBuilder text = new StringBuilder("Can't unload kext " + bundle.identifier() + "; classes have instances:");
        live.forEach((type, count) -> text.append(' ').append(type).append(" (").append(count)
                .append(count == 1 ? " instance)" : " instances)"));
        int[] kernelMade = new int[1];
        List<RelatedSite> created = teardown.liveInstances(bundle, kernelMade);
        if (kernelMade[0] > 0) {
            text.append(String.format(Locale.ROOT, "; %d of them created by the kernel (drivers instantiated by "
                    + "matching, kept alive by an extra retain)", kernelMade[0]));
        }
        text.append(". Release every object the kext created before it stops.");
        emit(Checks.OBJ_3, bundle, created.isEmpty() ? null : created.get(0).site(), text.toString(), created);
    }

    /**
     * Audit what a kext left running at a successful unload: work loops still running, event sources
     * still added or armed, interrupt handlers still registered (WL-LIVE, WL-2), memory descriptors
     * still prepared (MD-PREPARED) and thread calls still queued, running or never freed (TC-2); then
     * forget its objects and dequeue its thread calls.
     *
     * @param loader the kext's class loader
     * @param bundle the kext
     */
    public void kextObjectsUnloaded(ClassLoader loader, KextBundle bundle) {
        if (!enabled || bundle == null) {
            return;
        }
        teardown.kextUnloaded(loader, bundle);
        threadCalls.kextUnloaded(bundle);
    }

    /**
     * Report a sysctl a kext left registered when it unloaded (REG-SYSCTL).
     *
     * @param bundle the kext
     * @param name the oid's full dotted name
     * @param registeredAt where the kext registered it, or {@code null}
     */
    public void sysctlLeftRegistered(KextBundle bundle, String name, StackTraceElement registeredAt) {
        if (!enabled) {
            return;
        }
        emit(Checks.REG_SYSCTL, bundle, registeredAt == null ? null : CodeSite.of(registeredAt), String.format(Locale.ROOT,
                "sysctl %s registered here is still registered when kext %s unloaded; the next read from user space "
                        + "would call into unloaded code. Call sysctl_unregister_oid in stop(), children before their "
                        + "node.", name, bundle.identifier()), List.of());
    }

    // ---- objects and teardown (OBJ-*, WL-*, MD-PREPARED; see TeardownChecks) ----------------------

    @Override
    public void objectCreated(Object object) {
        teardown.objectCreated(object);
    }

    @Override
    public void objectFreed(Object object) {
        teardown.objectFreed(object);
    }

    @Override
    public void teardownMisuse(TeardownMisuse misuse, Object object, String message) {
        teardown.misuse(misuse, object, message);
    }

    @Override
    public void serviceStopped(Object service) {
        if (enabled) {
            teardown.serviceStopped(service);
            threadCalls.serviceStopped(service);
        }
    }

    // ---- DMA left programmed (DMA-LIVE) -----------------------------------------------------------

    /**
     * Find the heap block a device's DMA address points into with {@code locator} (the kernel's
     * {@code SimulatedHeap.allocationAtPhysical}), so DMA-LIVE can name where it was allocated.
     */
    public void locateDmaMemoryWith(java.util.function.LongFunction<HeapAllocation> locator) {
        this.dmaMemory = Objects.requireNonNull(locator, "locator");
    }

    @Override
    public void dmaStillProgrammed(Object service, String device, String what, long physicalAddress, long length) {
        KextBundle bundle = KextStack.bundleOf(service.getClass());
        String driver = service instanceof org.kextkit.kit.iokit.IORegistryEntry entry ? entry.getMetaClassName()
                : service.getClass().getName();
        HeapAllocation memory = dmaMemory.apply(physicalAddress);
        CodeSite allocated = memory == null || memory.site() == null ? null : CodeSite.of(memory.site());
        String into = memory == null ? "memory the kernel does not know"
                : String.format(Locale.ROOT, "a %d-byte %s block%s", memory.size(), memory.allocator().allocFunction(),
                        allocated == null ? "" : " allocated here");
        emit(Checks.DMA_LIVE, bundle, allocated, String.format(Locale.ROOT,
                "%s is still programmed for DMA when %s::stop returned: %s at physical 0x%x-0x%x, in %s. The device "
                        + "can write there after the memory is freed and reused; disable the engine, wait for it to go "
                        + "idle and turn bus mastering off in stop() before freeing its memory.", device, driver, what,
                physicalAddress, physicalAddress + length - 1, into), List.of());
    }

    // ---- thread calls (TC-1, TC-2; see ThreadCallChecks) -------------------------------------------

    @Override
    public void threadCallAllocated(ThreadCallState call) {
        threadCalls.allocated(call);
    }

    @Override
    public void threadCallEntered(ThreadCallState call) {
        threadCalls.entered(call);
    }

    @Override
    public void threadCallFiring(ThreadCallState call) {
        threadCalls.firing(call);
    }

    @Override
    public void threadCallFreed(ThreadCallState call, boolean pending, boolean runningElsewhere) {
        threadCalls.freed(call, pending, runningElsewhere);
    }

    // ---- statistics -----------------------------------------------------------------------------

    /** Return the lock statistics of every lock group seen so far, by group name. */
    public Map<String, LockStatistics> lockStatistics() {
        Map<String, LockStatistics> result = new TreeMap<>();
        groups.forEach((name, counters) -> {
            synchronized (counters) {
                result.put(name, new LockStatistics(name, counters.taken, counters.contended, counters.totalHold,
                        counters.maxHold, counters.released));
            }
        });
        return result;
    }

    /**
     * Return the lock statistics as sysctl-style names and values:
     * {@code kern.lockstat.<group>.taken}, {@code .contended}, {@code .avg_hold_ns}, {@code .max_hold_ns},
     * limited to names starting with {@code prefix} (all of them for an empty prefix).
     */
    public Map<String, Long> sysctl(String prefix) {
        Map<String, Long> values = new TreeMap<>();
        lockStatistics().forEach((name, stats) -> {
            String base = "kern.lockstat." + name + ".";
            values.put(base + "taken", stats.taken());
            values.put(base + "contended", stats.contended());
            values.put(base + "avg_hold_ns", stats.averageHoldNanos());
            values.put(base + "max_hold_ns", stats.maxHoldNanos());
        });
        values.keySet().removeIf(key -> prefix != null && !key.startsWith(prefix));
        return values;
    }

    // ---- reporting ------------------------------------------------------------------------------

    private static KextStack.Frame frame(Acquisition acquisition) {
        return acquisition.stack.isEmpty() ? null : acquisition.stack.get(0);
    }

    private void report(String checkId, KextStack.Frame frame, String message, List<RelatedSite> related) {
        if (frame == null) {
            emit(checkId, null, null, message, related);
        } else {
            emit(checkId, KextStack.bundleOf(frame.type()), frame.site(), message, related);
        }
    }

    private void emit(String checkId, KextBundle bundle, CodeSite site, String message, List<RelatedSite> related) {
        String key = checkId + " " + (site != null ? site : message);
        if (!reported.add(key)) {
            return;
        }
        sink.report(new Finding(checkId, Checks.get(checkId).severity(), bundle == null ? null : bundle.identifier(),
                bundle == null ? null : bundle.versionString(), message, site, related,
                context().name()));
    }
}
