package org.kextkit.harness.cli.wiring;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.kextkit.harness.cli.CliInvocation;
import org.kextkit.harness.config.ConfigException;
import org.kextkit.harness.config.ConfigLoader;
import org.kextkit.harness.config.KextkitConfig;
import org.kextkit.harness.daemon.ExitStatus;
import org.kextkit.harness.daemon.client.KernelClient;
import picocli.CommandLine.Unmatched;

/**
 * Send a command to the running kernel daemon and print its reply: {@code status} and
 * {@code shutdown}, and any daemon-bound command run through the full command line.
 */
final class ForwardCommand implements Callable<Integer> {
    private final CliInvocation invocation;
    private final String name;

    @Unmatched
    List<String> arguments = new ArrayList<>();

    ForwardCommand(CliInvocation invocation, String name) {
        this.invocation = invocation;
        this.name = name;
    }

    @Override
    public Integer call() {
        KextkitConfig config;
        try {
            config = new ConfigLoader().workingDirectory(invocation.cwd()).load();
        } catch (ConfigException e) {
            invocation.err().println("kextkit " + name + ": " + e.getMessage());
            return ExitStatus.CONFIG;
        }
        return forward(config, invocation, name, arguments);
    }

    static int forward(KextkitConfig config, CliInvocation invocation, String name, List<String> arguments) {
        List<String> argv = new ArrayList<>();
        argv.add(name);
        argv.addAll(arguments);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = KernelClient.forward(config.socket(), argv, invocation.cwd(), KernelClient.facts(), out, err);
        invocation.out().print(out.toString(StandardCharsets.UTF_8));
        invocation.out().flush();
        invocation.err().print(err.toString(StandardCharsets.UTF_8));
        invocation.err().flush();
        return status;
    }
}
