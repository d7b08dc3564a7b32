package org.kextkit.harness.daemon;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

import org.kextkit.harness.config.ConfigException;
import org.kextkit.harness.config.ConfigLoader;
import org.kextkit.harness.config.KextkitConfig;

/**
 * Run the hosted kernel as a background process: the main class that {@code boot} launches.
 *
 * <p>Usage: {@code KernelDaemon [--set key=value]... [--kernel-factory CLASS]}. The {@code --set}
 * arguments carry the complete configuration snapshot that {@code boot} resolved, so the daemon reads
 * no user file. The kernel comes from {@code --kernel-factory}, else the one
 * {@link KernelHostFactory} registered with {@link ServiceLoader}, else {@link StatusOnlyKernelHost}.
 * Standard output and error are the daemon's log. The process exits 0 after a {@code shutdown}
 * request or SIGTERM, or with an {@link ExitStatus} code if it cannot boot.
 */
public final class KernelDaemon {
    /** How long SIGTERM waits for a running command before the daemon exits anyway. */
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private KernelDaemon() {
    }

    /** Boot and serve until shut down; exit with the daemon's status. */
    public static void main(String[] args) {
        int status;
        try {
            status = run(args, System.out);
        } catch (InterruptedException e) {
            status = ExitStatus.SOFTWARE;
        }
        System.out.flush();
        System.exit(status);
    }

    /** Boot and serve, logging to {@code log}; return the exit status. */
    static int run(String[] args, PrintStream log) throws InterruptedException {
        List<String> sets = new ArrayList<>();
        String factoryName = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if ((arg.equals("--set") || arg.equals("--kernel-factory")) && i + 1 < args.length) {
                if (arg.equals("--set")) {
                    sets.add(args[++i]);
                } else {
                    factoryName = args[++i];
                }
            } else {
                log.println("kextkit: KernelDaemon: unexpected argument " + arg + "; expected --set key=value or "
                        + "--kernel-factory CLASS. The daemon is started by bin/kextkit boot.");
                return ExitStatus.USAGE;
            }
        }
        KextkitConfig config;
        try {
            config = new ConfigLoader().noUserFile().commandLine(sets).load();
        } catch (ConfigException e) {
            log.println("kextkit: " + e.getMessage());
            return ExitStatus.CONFIG;
        }
        KernelServer server;
        try {
            server = KernelServer.claim(config, log);
        } catch (DaemonException e) {
            log.println(e.getMessage());
            return e.exitStatus();
        } catch (IOException e) {
            log.println("kextkit: cannot prepare " + config.socket() + ": " + e);
            return ExitStatus.NO_KERNEL;
        }
        KernelHost host;
        try {
            KernelHostFactory factory = factory(factoryName);
            log.println("booting the hosted kernel with " + factory.getClass().getName());
            host = factory.boot(config);
        } catch (ConfigException e) {
            // The message says what to fix (a machine description's file, key and expectation): no stack trace.
            log.println("kextkit: " + e.getMessage());
            server.stop(STOP_TIMEOUT);
            return ExitStatus.CONFIG;
        } catch (Throwable t) {
            log.println("kextkit: the hosted kernel failed to boot: " + t);
            t.printStackTrace(log);
            server.stop(STOP_TIMEOUT);
            return ExitStatus.SOFTWARE;
        }
        try {
            server.start(host);
        } catch (DaemonException e) {
            log.println(e.getMessage());
            return e.exitStatus();
        } catch (IOException e) {
            log.println("kextkit: cannot serve on " + config.socket() + ": " + e);
            return ExitStatus.NO_KERNEL;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> server.stop(STOP_TIMEOUT), "kextkit-sigterm"));
        server.awaitTermination();
        return ExitStatus.OK;
    }

    private static KernelHostFactory factory(String name) throws ReflectiveOperationException {
        if (name != null) {
            Class<?> type = Class.forName(name);
            if (!KernelHostFactory.class.isAssignableFrom(type)) {
                throw new IllegalArgumentException(name + " does not implement " + KernelHostFactory.class.getName());
            }
            return (KernelHostFactory) type.getDeclaredConstructor().newInstance();
        }
        List<KernelHostFactory> found = new ArrayList<>();
        for (KernelHostFactory f : ServiceLoader.load(KernelHostFactory.class)) {
            found.add(f);
        }
        if (found.size() > 1) {
            List<String> names = new ArrayList<>();
            for (KernelHostFactory f : found) {
                names.add(f.getClass().getName());
            }
            throw new IllegalStateException("several kernel factories are registered (" + String.join(", ", names)
                    + "); expected one. Remove all but one from META-INF/services/"
                    + KernelHostFactory.class.getName());
        }
        return found.isEmpty() ? new StatusOnlyKernelHost.Factory() : found.get(0);
    }
}
