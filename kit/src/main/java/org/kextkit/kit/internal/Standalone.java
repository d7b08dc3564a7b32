package org.kextkit.kit.internal;

/**
 * The services kit objects use when no hosted kernel is involved: a plain unit test that creates a
 * driver object directly or mocks its provider. Time is real, memory is a private heap, and the
 * registry does no matching.
 */
public final class Standalone {
    /** The services of objects created with no kernel: log lines go to standard error. */
    public static final KernelServices SERVICES = (caller, function, message) -> System.err.println(message);

    // One namespace for all code running without a kernel, like the standalone heap.
    private static final SysctlTree SYSCTL = new SysctlTree(System.err::println);

    private Standalone() {
    }

    /** Return the real-time scheduler used outside any kernel. */
    public static KernelScheduler scheduler() {
        return StandaloneScheduler.INSTANCE;
    }

    /** Return the heap used outside any kernel. */
    public static KernelHeap heap() {
        return StandaloneHeap.INSTANCE;
    }

    /** Return the registry used outside any kernel. */
    public static IOKitHost iokit() {
        return StandaloneIOKitHost.INSTANCE;
    }

    /** Return the sysctl namespace used outside any kernel. */
    public static SysctlTree sysctl() {
        return SYSCTL;
    }
}
