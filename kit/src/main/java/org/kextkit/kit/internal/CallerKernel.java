package org.kextkit.kit.internal;

/** Find the services of the kernel a kit call belongs to, falling back to the standalone ones. */
public final class CallerKernel {
    private CallerKernel() {
    }

    /** Return the kernel of {@code caller} (see {@link KernelRuntime#servicesFor}), or the standalone services. */
    public static KernelServices servicesOf(Class<?> caller) {
        KernelServices services = KernelRuntime.servicesFor(caller);
        return services == null ? Standalone.SERVICES : services;
    }
}
