package org.kextkit.harness.cli.wiring;

import java.util.List;
import org.kextkit.harness.cli.CliContext;
import org.kextkit.harness.cli.CliContextProvider;
import org.kextkit.harness.cli.KernelPort;
import org.kextkit.harness.cli.KernelResponse;
import org.kextkit.harness.cli.KernelSetupException;
import org.kextkit.harness.cli.KernelUnavailableException;
import org.kextkit.harness.cli.KextstatRow;
import org.kextkit.harness.cli.LoadRequest;
import org.kextkit.harness.cli.UnloadMode;
import org.kextkit.harness.config.ConfigException;
import org.kextkit.harness.config.ConfigLoader;
import org.kextkit.harness.config.KextkitConfig;
import org.kextkit.harness.family.MachineDescriptionException;
import org.kextkit.harness.lifecycle.HostedKernel;
import org.kextkit.harness.lifecycle.KernelSettings;
import org.kextkit.harness.machine.ConfiguredMachine;
import org.kextkit.harness.scheduler.TimeMode;

/**
 * Give the command line run in this process ({@code bin/kextkit kextutil ...}) its context: the
 * configuration, the real services, and a kernel of its own booted on first use (on the configured
 * machine), which is what kextutil loads into. A machine description that cannot be used surfaces
 * as {@link KernelSetupException} when a command first needs the kernel: commands that need none
 * (kextfind, kextlibs) never read the machine file.
 */
public final class InProcessContextProvider implements CliContextProvider {
    @Override
    public CliContext context() {
        return context(new ConfigLoader().load());
    }

    /**
     * Return the context of a command line run in this process with {@code config}: its kernel boots
     * on first use, on the configured machine. Tests use this to run {@code kextutil}, {@code ioreg}
     * or {@code whymatch --own-kernel} as {@code bin/kextkit} would, without the real user's files.
     */
    public static CliContext context(KextkitConfig config) {
        OwnKernelPort kernel = new OwnKernelPort(config);
        return KextkitServices.context(config, kernel, new HostedKernelRegistryPort(() -> kernel.port().kernel()), true);
    }

    /** Boot this process's own kernel the first time a command needs one. */
    static final class OwnKernelPort implements KernelPort {
        private final KextkitConfig config;
        private HostedKernelPort port;

        OwnKernelPort(KextkitConfig config) {
            this.config = config;
        }

        synchronized HostedKernelPort port() {
            if (port == null) {
                try {
                    port = new HostedKernelPort(boot(config, TimeMode.VIRTUAL));
                } catch (ConfigException e) {
                    throw new KernelSetupException(e.getMessage(), e);
                }
            }
            return port;
        }

        /** Return this process's kernel, booting it now if no command has needed it yet. */
        HostedKernel kernel() {
            return port().kernel();
        }

        @Override
        public List<KextstatRow> loadedKexts() {
            return port().loadedKexts();
        }

        @Override
        public KernelResponse load(LoadRequest request) throws KernelUnavailableException {
            return port().load(request);
        }

        @Override
        public KernelResponse unload(String bundleIdentifier, UnloadMode mode) {
            return port().unload(bundleIdentifier, mode);
        }

        @Override
        public KernelResponse terminateInstances(String className) {
            return port().terminateInstances(className);
        }

        @Override
        public synchronized org.kextkit.harness.check.FindingsReport findings() {
            // A kernel that never booted ran no kext code, so it found nothing.
            return port == null ? org.kextkit.harness.check.FindingsReport.EMPTY : port.findings();
        }
    }

    /**
     * Return the kernel settings the configuration describes, in virtual time unless it says otherwise,
     * on the configured machine.
     *
     * @throws ConfigException if the machine description cannot be read
     */
    static KernelSettings settings(KextkitConfig config) {
        return settings(config, TimeMode.VIRTUAL);
    }

    /**
     * Return the kernel settings the configuration describes, in {@code toolDefault} time unless it says
     * otherwise, on the configured machine ({@code kextkit.machine}, else the built-in default machine).
     *
     * @throws ConfigException if the machine description cannot be read
     */
    static KernelSettings settings(KextkitConfig config, TimeMode toolDefault) {
        return new KernelSettings(config.kernelVersion().source(), config.arch().archName(), config.versionGrammar(),
                config.bootArgs().safeBoot(), 10_000, config.timeMode().orElse(toolDefault), config.seed(), config.watchdog(),
                ConfiguredMachine.load(config)).withChecks(config.checks()).withStackBudget(config.stackBudget());
    }

    /**
     * Boot a kernel as the configuration describes, in {@code toolDefault} time unless it says otherwise.
     *
     * @throws ConfigException if the machine description cannot be read or a family rejects one of its
     *     devices (an unknown model, a slot taken twice); the message names the file and the key
     */
    static HostedKernel boot(KextkitConfig config, TimeMode toolDefault) {
        KernelSettings settings = settings(config, toolDefault);
        try {
            return HostedKernel.boot(settings);
        } catch (IllegalArgumentException e) {
            if (e.getCause() instanceof MachineDescriptionException) {
                throw ConfiguredMachine.invalid(config, e.getCause().getMessage());
            }
            throw e;
        }
    }
}
