package org.kextkit.kit.internal;

/**
 * The hooks the kit calls so that a hosted kernel's runtime checkers see lock, memory and
 * entry-point events as they happen. Every method has a no-op default and {@link #NONE} is what a
 * kit used without a kernel (or a kernel with its checks off) gets, so the cost of an unchecked
 * call is one {@link #active()} test.
 *
 * <p>Callers test {@link #active()} before building any argument that costs something; an
 * implementation answers it with one volatile read. The kit calls the hooks on the thread that did
 * the operation, so an implementation may read {@link HeldLocks#current()} and the calling stack.
 */
public interface KernelChecks {
    /** The checks of a kit with no kernel behind it: none. */
    KernelChecks NONE = new KernelChecks() {
    };

    /** Lock misuse the kit detects itself (it panics right after reporting it). */
    enum LockMisuse {
        /** A non-recursive lock taken again by the thread that holds it. */
        RECURSIVE_ACQUISITION,
        /** A lock released by a thread that does not hold it (or not held at all). */
        UNLOCK_NOT_OWNER,
        /** A lock freed or destroyed while held or waited on. */
        DESTROYED_WHILE_HELD,
        /** A lock freed or destroyed with another group than the one it was made in. */
        WRONG_GROUP,
        /** A lock group freed while locks made in it are alive. */
        GROUP_FREED_WITH_LIVE_LOCKS
    }

    /** Object and event-source misuse the kit detects itself (OBJ-1/2, WL-1..4, MD-PREPARED). */
    enum TeardownMisuse {
        /** An {@code OSObject} released once more than it was retained (the kit then panics). */
        OVER_RELEASE,
        /** An {@code OSObject} retained after its last release freed it (the kit then panics). */
        RETAIN_AFTER_FREE,
        /** An event source released by its owner while still added to a work loop. */
        RELEASED_WHILE_ADDED,
        /** A timer removed from its work loop, or freed, while armed. */
        TIMER_ARMED,
        /** {@code runAction}/{@code runCommand} called at primary interrupt level. */
        GATE_FROM_INTERRUPT,
        /** {@code commandSleep} without holding the gate (the kit then panics). */
        SLEEP_WITHOUT_GATE,
        /** A memory descriptor freed while prepared (the kit completes it). */
        FREED_WHILE_PREPARED
    }

    /** Return true if the checks want events; when false no other method needs to be called. */
    default boolean active() {
        return false;
    }

    /**
     * The calling thread has just taken {@code lock}.
     *
     * @param lock the lock
     * @param contended true if the thread had to wait for another holder first
     */
    default void lockAcquired(LockState lock, boolean contended) {
    }

    /**
     * The calling thread is about to release {@code lock} (its last hold); the lock's record still
     * shows the holder's context and interrupt state.
     */
    default void lockReleasing(LockState lock) {
    }

    /**
     * The kit found {@code misuse} of {@code lock} (or of a group, with {@code lock} null) and is
     * about to panic with {@code message} (or, for the non-fatal kinds, carry on).
     */
    default void lockMisuse(LockMisuse misuse, LockState lock, String message) {
    }

    /**
     * The calling thread is about to block in {@code function} (a mutex, a sleep, a blocking
     * allocation, {@code commandSleep}); the checks find blocking under a spin lock or at interrupt level.
     */
    default void blocking(String function) {
    }

    /** Memory of {@code size} bytes is being allocated with {@code allocator} by {@code caller}. */
    default void allocating(KernelHeap.Allocator allocator, long size, Class<?> caller) {
    }

    /** {@code OSMalloc_Tagfree} released tag {@code tagName} while {@code liveBlocks} of its blocks were live. */
    default void tagFreedWithLiveBlocks(String tagName, long liveBlocks) {
    }

    /**
     * An {@code OSObject} was constructed (called only while {@link #active()}); the checks remember
     * where objects of kext classes, work loops, event sources and descriptors made by kext code were
     * created.
     */
    default void objectCreated(Object object) {
    }

    /** An {@code OSObject} was freed (its retain count reached zero). */
    default void objectFreed(Object object) {
    }

    /**
     * The kit found {@code misuse} of {@code object} (an {@code OSObject}), on the thread that did
     * it; for the fatal kinds it panics with {@code message} right after.
     */
    default void teardownMisuse(TeardownMisuse misuse, Object object, String message) {
    }

    /**
     * The device behind the driver {@code service}, which has just stopped, is still programmed to
     * perform DMA on {@code length} bytes at {@code physicalAddress} ({@code what}, on {@code device}).
     */
    default void dmaStillProgrammed(Object service, String device, String what, long physicalAddress, long length) {
    }

    /** Kext code allocated the thread call {@code call} ({@code thread_call_allocate}). */
    default void threadCallAllocated(ThreadCallState call) {
    }

    /** {@code call} was queued by a {@code thread_call_enter*} on the calling thread. */
    default void threadCallEntered(ThreadCallState call) {
    }

    /** {@code call}'s callout is about to run on the calling thread-call thread. */
    default void threadCallFiring(ThreadCallState call) {
    }

    /**
     * {@code thread_call_free} was called on {@code call}; {@code pending} if it is still queued (it is
     * not freed), {@code runningElsewhere} if its callout runs on another thread (it is freed later).
     */
    default void threadCallFreed(ThreadCallState call, boolean pending, boolean runningElsewhere) {
    }

    /** The kernel's call of {@code service}'s {@code stop} has returned: audit what it left running. */
    default void serviceStopped(Object service) {
    }

    /**
     * Return a token to hand to {@link #entryPointReturned} after a call from the kernel into kext
     * code (the number of locks the thread holds before the call).
     */
    static int entering() {
        return HeldLocks.count();
    }

    /**
     * A kernel-to-kext call named {@code entryPoint} ({@code EchoDriver::start}, a work-loop action,
     * ...) has returned on this thread; {@code token} is what {@link #entering()} returned before it.
     */
    default void entryPointReturned(String entryPoint, int token) {
    }
}
