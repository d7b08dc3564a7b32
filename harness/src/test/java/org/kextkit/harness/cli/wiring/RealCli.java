package org.kextkit.harness.cli.wiring;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.kextkit.harness.cli.CliContext;
import org.kextkit.harness.cli.KextkitCommand;
import org.kextkit.harness.cli.support.CliResult;
import org.kextkit.harness.config.ConfigLoader;
import org.kextkit.harness.config.KextkitConfig;
import org.kextkit.harness.lifecycle.HostedKernel;

/**
 * Run the kext commands as {@code bin/kextkit} does in its own process: the configuration read by
 * {@link ConfigLoader} (built-in defaults plus {@code --set} values, but no user file, no real home
 * directory and no environment), the real services of {@link KextkitServices}, and a hosted kernel
 * booted from that configuration.
 */
final class RealCli {
    private final CliContext context;

    private RealCli(CliContext context) {
        this.context = context;
    }

    /**
     * Configure kextkit with {@code sets}, each {@code key=value} as given to {@code --set} (for
     * example {@code arch=arm64}); {@code home} stands in for the home and temporary directories.
     */
    static RealCli configured(Path home, String... sets) {
        Properties props = new Properties();
        props.setProperty("user.home", home.toString());
        props.setProperty("user.name", "kextkit-test");
        props.setProperty("java.io.tmpdir", home.toString());
        KextkitConfig config = new ConfigLoader().noUserFile().environment(Map.of()).systemProperties(props)
                .commandLine(List.of(sets)).load();
        HostedKernel kernel = HostedKernel.boot(InProcessContextProvider.settings(config));
        return new RealCli(KextkitServices.context(config, new HostedKernelPort(kernel), false));
    }

    /** Run {@code argv} (starting with the command name) in {@code cwd} and return what it printed. */
    CliResult run(Path cwd, List<String> argv) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = KextkitCommand.run(argv, cwd, new PrintWriter(out), new PrintWriter(err), context);
        return new CliResult(status, out.toString(), err.toString());
    }

    /** Run {@code argv} (starting with the command name) in {@code cwd} and return what it printed. */
    CliResult run(Path cwd, String... argv) {
        return run(cwd, List.of(argv));
    }
}
