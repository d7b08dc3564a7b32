package org.kextkit.harness.cli.wiring;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.kextkit.harness.cli.CliInvocation;
import org.kextkit.harness.config.ConfigException;
import org.kextkit.harness.config.ConfigKey;
import org.kextkit.harness.config.ConfigLoader;
import org.kextkit.harness.config.KextkitConfig;
import org.kextkit.harness.daemon.DaemonLauncher;
import org.kextkit.harness.daemon.ExitStatus;
import org.kextkit.harness.machine.ConfiguredMachine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Boot a hosted kernel as a background daemon that kextload, kextstat and kextunload talk to. */
@Command(name = "boot", mixinStandardHelpOptions = true,
        description = "Boot a hosted kernel as a daemon listening on a local socket (see docs/daemon.md).",
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:the kernel is running", "70:the kernel failed to boot (its log is shown)",
            "75:a kernel is already running on that socket", "78:the configuration is invalid (including the machine description)"})
final class BootCommand implements Callable<Integer> {
    private final CliInvocation invocation;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a setting, e.g. --set kextkit.boot-args=-x")
    List<String> settings = new ArrayList<>();

    @Option(names = "--boot-args", paramLabel = "ARGS", description = "Boot-args, e.g. \"debug=0x144 -v\" (same as --set kextkit.boot-args=...)")
    String bootArgs;

    @Option(names = "--machine", paramLabel = "FILE", description = "The machine description (a plist of the simulated "
            + "machine's devices) to boot on; without it, the built-in default machine (same as --set kextkit.machine=FILE)")
    String machine;

    BootCommand(CliInvocation invocation) {
        this.invocation = invocation;
    }

    @Override
    public Integer call() {
        List<String> sets = new ArrayList<>(settings);
        if (bootArgs != null) {
            sets.add("kextkit.boot-args=" + bootArgs);
        }
        if (machine != null) {
            sets.add(ConfigKey.MACHINE.key() + "=" + machine);
        }
        KextkitConfig config;
        try {
            config = new ConfigLoader().workingDirectory(invocation.cwd()).commandLine(sets).load();
            // Read the machine file here so that a bad one is reported plainly, before a daemon starts;
            // the daemon reads it again, and its families check the devices' own keys.
            ConfiguredMachine.load(config);
        } catch (ConfigException e) {
            invocation.err().println("kextkit boot: " + e.getMessage());
            return ExitStatus.CONFIG;
        }
        return new DaemonLauncher(config).boot(invocation.out(), invocation.err());
    }
}
