package org.kextkit.kit.internal;

/**
 * Receive the calls that kit functions make into the hosted kernel that runs the calling kext.
 *
 * <p>The harness implements this; kexts never see it. Every method has a default that suits code
 * running with no kernel at all (a plain unit test of driver logic), so a mocked or standalone
 * driver object still works: real time, a private heap, no registry matching.
 */
public interface KernelServices {
    /**
     * Append one message to the kernel log.
     *
     * @param caller the kext class that made the call, or {@code null} if not known
     * @param function the kit function that logged ({@code printf}, {@code IOLog}, ...)
     * @param message the formatted message, without a trailing newline
     */
    void log(Class<?> caller, String function, String message);

    /**
     * Count one more live instance of {@code type} (an {@code OSObject} subclass), as
     * {@code OSMetaClass::instanceConstructed} does.
     */
    default void instanceConstructed(Class<?> type) {
    }

    /** Count one instance of {@code type} less, as {@code OSMetaClass::instanceDestructed} does. */
    default void instanceDestructed(Class<?> type) {
    }

    /** Return the kernel's clock, threads and contexts. */
    default KernelScheduler scheduler() {
        return Standalone.scheduler();
    }

    /** Return the kernel's simulated memory: allocations, physical addresses, DMA access. */
    default KernelHeap heap() {
        return Standalone.heap();
    }

    /** Return the I/O Kit registry and matching engine of this kernel. */
    default IOKitHost iokit() {
        return Standalone.iokit();
    }

    /**
     * Return the simulated hardware of type {@code type} in this kernel's machine (a family's bus,
     * for the family's own kext code), or {@code null} if the machine has none.
     */
    default <T> T hardware(Class<T> type) {
        return null;
    }

    /**
     * Panic the kernel: record {@code panicString} with the calling thread's stack and unwind by
     * throwing {@link KernelPanic}. Never returns normally.
     */
    default KernelPanic panic(String panicString) {
        throw new KernelPanic(panicString);
    }

    /** Return this kernel's sysctl namespace. */
    default SysctlHost sysctl() {
        return Standalone.sysctl();
    }

    /** Return the runtime checks of this kernel ({@link KernelChecks#NONE} when none run). */
    default KernelChecks checks() {
        return KernelChecks.NONE;
    }
}
