package org.kextkit.harness.cli.wiring;

import java.util.List;
import org.kextkit.harness.cli.CliContext;
import org.kextkit.harness.cli.CliContextProvider;
import org.kextkit.harness.cli.KernelPort;
import org.kextkit.harness.cli.KernelResponse;
import org.kextkit.harness.cli.KernelUnavailableException;
import org.kextkit.harness.cli.KextstatRow;
import org.kextkit.harness.cli.LoadRequest;
import org.kextkit.harness.cli.UnloadMode;
import org.kextkit.harness.config.ConfigLoader;
import org.kextkit.harness.config.KextkitConfig;
import org.kextkit.harness.lifecycle.HostedKernel;
import org.kextkit.harness.lifecycle.KernelSettings;
import org.kextkit.harness.scheduler.TimeMode;

/**
 * Give the command line run in this process ({@code bin/kextkit kextutil ...}) its context: the
 * configuration, the real services, and a kernel of its own booted on first use, which is what
 * kextutil loads into. The configuration is read lazily too, so {@code --help} works even with a
 * broken configuration file.
 */
public final class InProcessContextProvider implements CliContextProvider {
    @Override
    public CliContext context() {
        KextkitConfig config = new ConfigLoader().load();
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
                port = new HostedKernelPort(HostedKernel.boot(settings(config)));
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
    }

    /** Return the kernel settings the configuration describes, in virtual time unless it says otherwise. */
    static KernelSettings settings(KextkitConfig config) {
        return settings(config, TimeMode.VIRTUAL);
    }

    /** Return the kernel settings the configuration describes, in {@code toolDefault} time unless it says otherwise. */
    static KernelSettings settings(KextkitConfig config, TimeMode toolDefault) {
        return new KernelSettings(config.kernelVersion().source(), config.arch().archName(), config.versionGrammar(),
                config.bootArgs().safeBoot(), 10_000, config.timeMode().orElse(toolDefault), config.seed(), config.watchdog(),
                KernelSettings.DEFAULT_MACHINE);
    }
}
