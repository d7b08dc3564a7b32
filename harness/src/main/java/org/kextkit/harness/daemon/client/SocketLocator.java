package org.kextkit.harness.daemon.client;

import java.nio.file.Path;

/**
 * Find the kernel daemon's socket the cheap way: {@code KEXTKIT_SOCKET}, else the system property
 * {@code kextkit.socket}, else {@code ${java.io.tmpdir}/kextkit-${user.name}/kernel.sock}.
 *
 * <p>The fast client reads nothing else: not the user file, not {@code --set}. The default must stay
 * in step with {@code kextkit.socket} in {@code kextkit-defaults.properties}.
 */
public final class SocketLocator {
    /** The environment variable that names the socket. */
    public static final String ENV = "KEXTKIT_SOCKET";
    /** The system property that names the socket. */
    public static final String PROPERTY = "kextkit.socket";

    private SocketLocator() {
    }

    /** Locate the socket from this process's environment and system properties. */
    public static Path locate() {
        return locate(System.getenv(ENV), System.getProperty(PROPERTY), System.getProperty("java.io.tmpdir"),
                System.getProperty("user.name"));
    }

    /**
     * Locate the socket from the given values; {@code null} or empty means unset. A relative path is
     * taken relative to the working directory.
     */
    public static Path locate(String env, String property, String tmpdir, String userName) {
        String chosen = env != null && !env.isEmpty() ? env : property;
        if (chosen != null && !chosen.isEmpty()) {
            return Path.of(chosen).toAbsolutePath().normalize();
        }
        return defaultSocket(tmpdir, userName);
    }

    /** Return {@code tmpdir/kextkit-userName/kernel.sock}. */
    public static Path defaultSocket(String tmpdir, String userName) {
        // String.concat, not '+': string concatenation bootstraps invokedynamic, which slows client start-up.
        return Path.of(tmpdir, "kextkit-".concat(userName), "kernel.sock").toAbsolutePath().normalize();
    }

    /** Return the daemon's log file for {@code socket}: {@code kernel.sock} → {@code kernel.log}, beside it. */
    public static Path logFile(Path socket) {
        return sibling(socket, ".log");
    }

    /** Return the daemon's pid file for {@code socket}: {@code kernel.sock} → {@code kernel.pid}, beside it. */
    public static Path pidFile(Path socket) {
        return sibling(socket, ".pid");
    }

    private static Path sibling(Path socket, String suffix) {
        String name = socket.getFileName().toString();
        String base = name.endsWith(".sock") ? name.substring(0, name.length() - 5) : name;
        return socket.resolveSibling(base.concat(suffix));
    }
}
