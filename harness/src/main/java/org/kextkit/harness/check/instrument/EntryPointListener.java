package org.kextkit.harness.check.instrument;

import org.kextkit.harness.check.CodeSite;

/**
 * Hears kext entry points (the methods the kernel calls: {@code start}, {@code stop},
 * {@code probe}, {@code free}, {@code setPowerState}, {@code message}, a {@code KextModule}'s
 * routines, implementations of the kit's action, filter and callout interfaces, ...) being entered
 * and left, on the thread that runs them. The instrumentation calls it from inside kext code, so it
 * must be quick and must not throw anything but {@link org.kextkit.kit.internal.KernelPanic}.
 */
public interface EntryPointListener {
    /** A listener that ignores every event. */
    EntryPointListener NONE = new EntryPointListener() {
        @Override
        public void entered(EntryPoint entryPoint) {
        }

        @Override
        public void returned(EntryPoint entryPoint, boolean threw) {
        }
    };

    /**
     * One entry point of a kext.
     *
     * @param bundleId the kext's bundle identifier
     * @param kind what the kernel calls it as, such as {@code IOService.start} or {@code KextModule.stop}
     * @param site the method (its first line)
     */
    record EntryPoint(String bundleId, String kind, CodeSite site) {
    }

    /** The entry point was entered on the current thread. */
    void entered(EntryPoint entryPoint);

    /** The entry point returned to the kernel on the current thread, normally or ({@code threw}) by an exception. */
    void returned(EntryPoint entryPoint, boolean threw);
}
