package org.kextkit.harness.cli.wiring;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.kextkit.harness.cli.RegistryPort;
import org.kextkit.harness.lifecycle.HostedKernel;
import org.kextkit.harness.lifecycle.KernelSysctls;
import org.kextkit.harness.lifecycle.SysctlResult;
import org.kextkit.kit.iokit.IORegistryEntry;

/** Serve ioreg, ioclasscount and sysctl from a {@link HostedKernel}'s registry, metaclass counts and sysctls. */
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

    @Override
    public List<SysctlAnswer> sysctl(List<String> requests, boolean all) {
        KernelSysctls sysctls = kernel.get().sysctl();
        List<SysctlResult> results = new ArrayList<>();
        if (all) {
            for (String prefix : requests.isEmpty() ? List.of("") : requests) {
                results.addAll(sysctls.list(prefix));
            }
        } else {
            for (String request : requests) {
                int equals = request.indexOf('=');
                results.add(equals < 0 ? sysctls.read(request)
                        : sysctls.write(request.substring(0, equals), request.substring(equals + 1)));
            }
        }
        return results.stream().map(r -> new SysctlAnswer(r.name(), r.value(), r.previous(), r.error())).toList();
    }
}
