package org.kextkit.harness.cli.wiring;

import java.util.Map;
import java.util.function.Supplier;
import org.kextkit.harness.cli.RegistryPort;
import org.kextkit.harness.lifecycle.HostedKernel;
import org.kextkit.kit.iokit.IORegistryEntry;

/** Serve ioreg and ioclasscount from a {@link HostedKernel}'s registry and metaclass counts. */
public final class HostedKernelRegistryPort implements RegistryPort {
    private final Supplier<HostedKernel> kernel;

    /** Serve from {@code kernel}. */
    public HostedKernelRegistryPort(HostedKernel kernel) {
        this(() -> kernel);
    }

    /** Serve from the kernel {@code kernel} returns, asked at each request (it may boot on first use). */
    public HostedKernelRegistryPort(Supplier<HostedKernel> kernel) {
        this.kernel = kernel;
    }

    @Override
    public IORegistryEntry root() {
        return kernel.get().registryRoot();
    }

    @Override
    public Map<String, Integer> classCounts() {
        return kernel.get().metaClasses().classCounts();
    }
}
