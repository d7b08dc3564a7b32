package org.kextkit.harness.cli.wiring;

import org.kextkit.harness.cli.CliContext;
import java.util.List;
import org.kextkit.harness.cli.KernelPort;
import org.kextkit.harness.cli.RegistryPort;
import org.kextkit.harness.cli.whymatch.MatchExplainer;
import org.kextkit.harness.cli.whymatch.WhymatchCommand;
import org.kextkit.harness.config.KextkitConfig;
import org.kextkit.harness.cli.wiring.worker.KextcheckWorkerCommand;
import org.kextkit.harness.cli.wiring.worker.WorkerSession;
import picocli.CommandLine.Command;

/** Build the commands' context from the configuration: settings, the real services, and a kernel. */
public final class KextkitServices {
    private KextkitServices() {
    }

    /**
     * Return a context for {@code config} whose kernel requests go to {@code kernel}; {@code boot},
     * {@code status} and {@code shutdown} are added when {@code withDaemonCommands} is true.
     */
    public static CliContext context(KextkitConfig config, KernelPort kernel, boolean withDaemonCommands) {
        return context(config, kernel, null, withDaemonCommands);
    }

    /**
     * Return a context for {@code config} whose kernel requests go to {@code kernel} and whose ioreg
     * and ioclasscount read {@code registry} ({@code null}: not connected); {@code boot},
     * {@code status} and {@code shutdown} are added when {@code withDaemonCommands} is true.
     */
    public static CliContext context(KextkitConfig config, KernelPort kernel, RegistryPort registry,
            boolean withDaemonCommands) {
        CliContext.Builder builder = CliContext.builder()
                .extensionFolders(config.extensions())
                .kernelVersion(config.kernelVersion().source())
                .arch(config.arch().archName())
                .safeBoot(config.bootArgs().safeBoot())
                .kernel(kernel)
                .inspector(new DiskKextInspector(config.kernelVersion().source(), config.versionGrammar()))
                .kextLibs(new LinkKextLibsPort())
                .registry(registry)
                .kextChecker(new HostedKextChecker(config));
        MatchExplainer explainer = explainerFor(kernel, config);
        builder.extraCommand("whymatch", invocation -> new WhymatchCommand(invocation, explainer));
        builder.extraCommand(WorkerSession.COMMAND, invocation -> new KextcheckWorkerCommand(HostedKextChecker::new));
        if (withDaemonCommands) {
            builder.extraCommand("boot", BootCommand::new)
                    .extraCommand("status", invocation -> new StatusCommand(invocation))
                    .extraCommand("shutdown", invocation -> new ShutdownCommand(invocation));
        }
        return builder.build();
    }

    /** Return the whymatch explainer of {@code kernel}, or {@code null} if it is not a hosted kernel. */
    private static MatchExplainer explainerFor(KernelPort kernel, KextkitConfig config) {
        if (kernel instanceof HostedKernelPort) {
            return new HostedKernelMatchExplainer(((HostedKernelPort) kernel)::kernel, List.of(), false);
        }
        if (kernel instanceof InProcessContextProvider.OwnKernelPort) {
            return new HostedKernelMatchExplainer(((InProcessContextProvider.OwnKernelPort) kernel)::kernel,
                    config.extensions(), true);
        }
        return null;
    }

    /** Report on the running kernel daemon. */
    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Show the running hosted kernel: pid, uptime, kernel version, boot-args, loaded kexts.",
            exitCodeListHeading = "%nExit status:%n", exitCodeList = {"0:a kernel is running", "71:no kernel is running"})
    static final class StatusCommand extends ForwardCommandBase {
        StatusCommand(org.kextkit.harness.cli.CliInvocation invocation) {
            super(invocation, "status");
        }
    }

    /** Stop the running kernel daemon. */
    @Command(name = "shutdown", mixinStandardHelpOptions = true,
            description = "Stop every kext in reverse load order, shut the hosted kernel down and remove its socket.",
            exitCodeListHeading = "%nExit status:%n", exitCodeList = {"0:the kernel stopped", "71:no kernel is running"})
    static final class ShutdownCommand extends ForwardCommandBase {
        ShutdownCommand(org.kextkit.harness.cli.CliInvocation invocation) {
            super(invocation, "shutdown");
        }
    }

    /** Forward to the daemon under the subclass's command name. */
    abstract static class ForwardCommandBase implements java.util.concurrent.Callable<Integer> {
        private final ForwardCommand forward;

        ForwardCommandBase(org.kextkit.harness.cli.CliInvocation invocation, String name) {
            this.forward = new ForwardCommand(invocation, name);
        }

        @Override
        public Integer call() {
            return forward.call();
        }
    }
}
