package org.kextkit.harness.cli.wiring;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.kextkit.harness.bundle.BundleProblem;
import org.kextkit.harness.bundle.ScanResult;
import org.kextkit.harness.cli.CliContext;
import org.kextkit.harness.cli.KextkitCommand;
import org.kextkit.harness.config.KextkitConfig;
import org.kextkit.harness.daemon.CommandRunner;
import org.kextkit.harness.daemon.KernelHost;
import org.kextkit.harness.daemon.KernelHostFactory;
import org.kextkit.harness.family.MachineDescription;
import org.kextkit.harness.lifecycle.HostedKernel;
import org.kextkit.harness.lifecycle.LoadedKext;
import org.kextkit.harness.scheduler.TimeMode;

/**
 * Boot the daemon's hosted kernel: the configured kernel version, architecture, boot-args and machine
 * ({@code kextkit.machine}, else the built-in default machine), real time unless {@code kextkit.time}
 * says otherwise, the configured extension folders made known, and the kext commands run against it.
 * A machine description that cannot be used fails the boot with a
 * {@link org.kextkit.harness.config.ConfigException}, which the daemon reports as a configuration error.
 */
public final class HostedKernelHostFactory implements KernelHostFactory {
    @Override
    public KernelHost boot(KextkitConfig config) {
        // The daemon is the kernel that runs in real time unless the configuration says otherwise.
        HostedKernel kernel = InProcessContextProvider.boot(config, TimeMode.REAL);
        MachineDescription machine = kernel.settings().machine();
        List<String> problems = new ArrayList<>();
        for (Path folder : config.extensions()) {
            ScanResult scan = kernel.addRepository(folder);
            for (BundleProblem problem : scan.problems()) {
                problems.add(problem.message());
                kernel.log().kernel(problem.message());
            }
        }
        CliContext context = KextkitServices.context(config, new HostedKernelPort(kernel),
                new HostedKernelRegistryPort(kernel), false);
        CommandRunner runner = (argv, cwd, out, err) -> KextkitCommand.run(argv, cwd, out, err, context);
        return new KernelHost() {
            @Override
            public CommandRunner commands() {
                return runner;
            }

            @Override
            public List<String> statusLines() {
                long kexts = kernel.loadedKexts().stream().filter(k -> !k.isKernelComponent()).count();
                List<String> lines = new ArrayList<>();
                lines.add(statusLine("loaded kexts", kexts + " (plus " + (kernel.loadedKexts().size() - kexts)
                        + " kernel components)"));
                lines.add(statusLine("known kexts", Integer.toString(kernel.repository().size())));
                lines.add(describe(machine));
                if (!problems.isEmpty()) {
                    lines.add(statusLine("unreadable kexts", problems.size() + " in extension folders (see the kernel log)"));
                }
                return lines;
            }

            @Override
            public void shutdown() {
                kernel.shutdown();
            }

            @Override
            public String toString() {
                return "hosted kernel with " + kernel.loadedKexts().stream().map(LoadedKext::bundleId).count() + " kexts";
            }
        };
    }

    /** Describe the machine for {@code status}: {@code machine: NAME (model M, N devices) from SOURCE}. */
    static String describe(MachineDescription machine) {
        int devices = machine.devices().size();
        return statusLine("machine", machine.name() + " (model " + machine.model() + ", " + devices
                + (devices == 1 ? " device" : " devices") + ") from " + machine.source());
    }

    /** Format one {@code status} line with its value in the column the daemon's own lines use. */
    private static String statusLine(String label, String value) {
        return String.format("%-16s%s", label + ":", value);
    }
}
