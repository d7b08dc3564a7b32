package org.kextkit.harness.daemon;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.kextkit.harness.config.ConfigKey;
import org.kextkit.harness.config.KextkitConfig;
import org.kextkit.harness.daemon.client.SocketLocator;
import org.kextkit.harness.daemon.internal.SocketDirectory;

/**
 * Boot the hosted kernel as a detached background JVM running {@link KernelDaemon}: what
 * {@code kextkit boot} does.
 *
 * <p>The daemon runs on the same Java and class path as the caller, with the caller's resolved
 * configuration passed as {@code --set} arguments; its standard output and error go to the log file
 * beside the socket ({@code kernel.log}; the previous boot's log is kept as {@code kernel.log.old}).
 * {@link #boot()} returns once the socket accepts connections. It refuses if a kernel already answers
 * on the socket, and removes a socket file nobody listens on.
 */
public final class DaemonLauncher {
    /**
     * JVM options every daemon gets before {@code kextkit.daemon.java-options} (which come later, so
     * they win). C1 only: the daemon serves short commands, and its first {@code kextload} is mostly
     * JIT warm-up; with C1 alone a fresh daemon loaded 1,000 kexts in 0.86 s instead of 1.29 s, and a
     * warm one no slower (benchmarks/README.md).
     */
    public static final List<String> DEFAULT_JAVA_OPTIONS = List.of("-XX:TieredStopAtLevel=1");

    private static final int LOG_TAIL_LINES = 20;
    private static final long POLL_MILLIS = 10;

    private final KextkitConfig config;
    private String classPath = System.getProperty("java.class.path");
    private Path javaExecutable = Path.of(System.getProperty("java.home"), "bin", "java");
    private String kernelFactory;
    private Map<String, String> environment = System.getenv();
    private Properties systemProperties = System.getProperties();

    /** Create a launcher for a kernel configured by {@code config}. */
    public DaemonLauncher(KextkitConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /** Run the daemon with {@code classPath} instead of this JVM's {@code java.class.path}. */
    public DaemonLauncher classPath(String classPath) {
        this.classPath = Objects.requireNonNull(classPath, "classPath");
        return this;
    }

    /** Run the daemon with {@code java} instead of this JVM's {@code java.home/bin/java}. */
    public DaemonLauncher javaExecutable(Path java) {
        this.javaExecutable = Objects.requireNonNull(java, "java");
        return this;
    }

    /** Name the {@link KernelHostFactory} the daemon must use instead of looking one up. */
    public DaemonLauncher kernelFactory(String className) {
        this.kernelFactory = className;
        return this;
    }

    /**
     * Use {@code env} and {@code props} to work out where the fast client will look for the socket (it
     * reads only {@code KEXTKIT_SOCKET} and {@code -Dkextkit.socket}), so {@link #boot(PrintWriter, PrintWriter)}
     * can warn when that is not where this kernel listens.
     */
    public DaemonLauncher clientEnvironment(Map<String, String> env, Properties props) {
        this.environment = Map.copyOf(env);
        Properties copy = new Properties();
        copy.putAll(props);
        this.systemProperties = copy;
        return this;
    }

    /** Describe a kernel that has booted. */
    public record Booted(long pid, Path socket, Path log, String kernelVersion, boolean removedStaleSocket,
            Duration bootTime) {
    }

    /**
     * Boot, print {@code Hosted kernel booted (pid N, kernel version V, socket PATH).} on {@code out} or
     * the reason it failed on {@code err}, and return the exit status ({@link ExitStatus}).
     */
    public int boot(PrintWriter out, PrintWriter err) {
        try {
            Booted booted = boot();
            if (booted.removedStaleSocket()) {
                out.println("Removed the stale socket of a kernel that stopped without cleaning up (" + booted.socket()
                        + ").");
            }
            out.println("Hosted kernel booted (pid " + booted.pid() + ", kernel version " + booted.kernelVersion()
                    + ", socket " + booted.socket() + ").");
            Path clientSees = clientSocket();
            if (clientSees != null && !clientSees.equals(booted.socket())) {
                err.println("Notice: kextstat and the other fast commands look for the kernel at " + clientSees
                        + " (they read only KEXTKIT_SOCKET and -Dkextkit.socket, and kextkit.socket here comes from "
                        + config.origin(ConfigKey.SOCKET).describe(ConfigKey.SOCKET) + "). Run: export KEXTKIT_SOCKET="
                        + booted.socket());
            }
            return ExitStatus.OK;
        } catch (DaemonException e) {
            err.println(e.getMessage());
            return e.exitStatus();
        } finally {
            out.flush();
            err.flush();
        }
    }

    /**
     * Return where the fast client run with this launcher's environment would look for the socket, or
     * null if the environment does not say.
     */
    Path clientSocket() {
        String env = environment.get(SocketLocator.ENV);
        String property = systemProperties.getProperty(SocketLocator.PROPERTY);
        String tmpdir = systemProperties.getProperty("java.io.tmpdir");
        String user = systemProperties.getProperty("user.name");
        if ((env == null || env.isEmpty()) && property == null && (tmpdir == null || user == null)) {
            return null;
        }
        return SocketLocator.locate(env, property, tmpdir, user);
    }

    /**
     * Boot the daemon and wait until its socket accepts connections.
     *
     * @throws DaemonException with status 75 if a kernel already runs, 77 if the socket directory is not
     *     private, 71 if the daemon could not start or did not come up in time, or the daemon's own exit
     *     status (75, 77, 78) if it stopped during boot for one of those reasons
     */
    public Booted boot() throws DaemonException {
        long t0 = System.nanoTime();
        Path socket = config.socket();
        Path log = SocketLocator.logFile(socket);
        Path pidFile = SocketLocator.pidFile(socket);
        boolean removedStale;
        Process process;
        try {
            SocketDirectory.prepare(socket.getParent());
            removedStale = clearSocketPath(socket, pidFile);
            rotateLog(log);
            ProcessBuilder pb = new ProcessBuilder(command())
                    .directory(socket.getParent().toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
            process = pb.start();
        } catch (DaemonException e) {
            throw e;
        } catch (IOException e) {
            throw new DaemonException(ExitStatus.NO_KERNEL, "kextkit: cannot start the hosted kernel: " + e.getMessage()
                    + ".", e);
        }
        long deadline = t0 + config.daemonBootTimeout().toNanos();
        while (true) {
            if (accepts(socket)) {
                return new Booted(readPid(pidFile, process.pid()), socket, log, config.kernelVersion().source(),
                        removedStale, Duration.ofNanos(System.nanoTime() - t0));
            }
            if (!process.isAlive()) {
                int status = process.exitValue();
                int reported = status == ExitStatus.ALREADY_RUNNING || status == ExitStatus.NO_PERMISSION
                        || status == ExitStatus.CONFIG ? status : ExitStatus.NO_KERNEL;
                throw new DaemonException(reported, "kextkit: the hosted kernel exited during boot with status "
                        + status + ". The end of " + log + ":\n" + tail(log));
            }
            if (System.nanoTime() > deadline) {
                stop(process);
                throw new DaemonException(ExitStatus.NO_KERNEL, "kextkit: the hosted kernel did not accept connections "
                        + "on " + socket + " within " + config.daemonBootTimeout().toSeconds() + " s, so it was stopped "
                        + "(pid " + process.pid() + "). Raise kextkit.daemon.boot-timeout if the kernel needs longer. "
                        + "The end of " + log + ":\n" + tail(log));
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DaemonException(ExitStatus.NO_KERNEL, "kextkit: interrupted while waiting for the hosted "
                        + "kernel (pid " + process.pid() + ") to boot; it may still come up. Check with: "
                        + "bin/kextkit status");
            }
        }
    }

    /**
     * Return the daemon's command line: {@code [setsid] [nohup] java [options] -cp CP KernelDaemon --set k=v ...}.
     * {@code setsid}, where there is one (Linux), puts the daemon in a session of its own, so Ctrl-C in
     * the terminal that booted it does not reach it; {@code nohup} makes it ignore the hang-up a closing
     * terminal sends (the JVM leaves an ignored SIGHUP ignored). Both replace themselves with java, so
     * the pid stays the same.
     */
    public List<String> command() {
        List<String> cmd = new ArrayList<>();
        addIfPresent(cmd, "setsid");
        addIfPresent(cmd, "nohup");
        cmd.add(javaExecutable.toString());
        cmd.addAll(DEFAULT_JAVA_OPTIONS);
        cmd.addAll(config.daemonJavaOptions());
        cmd.add("-cp");
        cmd.add(absoluteClassPath(classPath));
        cmd.add(KernelDaemon.class.getName());
        for (String set : config.toSetArguments()) {
            cmd.add("--set");
            cmd.add(set);
        }
        if (kernelFactory != null) {
            cmd.add("--kernel-factory");
            cmd.add(kernelFactory);
        }
        return cmd;
    }

    /**
     * Make every class path entry absolute: the daemon runs in the socket's directory, where entries
     * relative to the caller's working directory would name nothing.
     */
    public static String absoluteClassPath(String classPath) {
        StringBuilder sb = new StringBuilder();
        for (String entry : classPath.split(File.pathSeparator, -1)) {
            if (sb.length() > 0) {
                sb.append(File.pathSeparatorChar);
            }
            String absolute = Path.of(entry).toAbsolutePath().normalize().toString();
            // A "dir/*" wildcard survives toAbsolutePath; keep it as the java launcher expects it.
            sb.append(entry.endsWith("/*") && !absolute.endsWith("/*") ? absolute + "/*" : absolute);
        }
        return sb.toString();
    }

    private static void addIfPresent(List<String> cmd, String tool) {
        for (String dir : List.of("/usr/bin/", "/bin/")) {
            Path p = Path.of(dir + tool);
            if (Files.isExecutable(p)) {
                cmd.add(p.toString());
                return;
            }
        }
    }

    /** Refuse if a kernel answers on {@code socket}; remove the file if nobody does. Return true if removed. */
    private static boolean clearSocketPath(Path socket, Path pidFile) throws IOException {
        if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        if (!Files.readAttributes(socket, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther()) {
            throw new DaemonException(ExitStatus.NO_KERNEL, "kextkit: " + socket + " exists and is not a socket; "
                    + "expected a free path for the kernel's socket. Remove it, or set kextkit.socket elsewhere.");
        }
        if (accepts(socket)) {
            String pid = readPidText(pidFile);
            throw new DaemonException(ExitStatus.ALREADY_RUNNING, "kextkit: a hosted kernel is already running ("
                    + (pid != null ? "pid " + pid + ", " : "") + "socket " + socket + ").\nStop it with: bin/kextkit "
                    + "shutdown");
        }
        Files.deleteIfExists(socket);
        return true;
    }

    /** Return true if something accepts connections on {@code socket}; connecting and closing is a no-op to the daemon. */
    public static boolean accepts(Path socket) {
        if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void rotateLog(Path log) throws IOException {
        if (Files.exists(log)) {
            Files.move(log, log.resolveSibling(log.getFileName() + ".old"), StandardCopyOption.REPLACE_EXISTING);
        }
        Files.createFile(log, PosixFilePermissions.asFileAttribute(SocketDirectory.MODE_0600));
    }

    private static long readPid(Path pidFile, long fallback) {
        String text = readPidText(pidFile);
        try {
            return text != null ? Long.parseLong(text) : fallback;
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static String readPidText(Path pidFile) {
        try {
            String text = Files.readString(pidFile, StandardCharsets.US_ASCII).trim();
            return text.isEmpty() ? null : text;
        } catch (IOException e) {
            return null;
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            List<String> last = lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size());
            StringBuilder sb = new StringBuilder();
            for (String line : last) {
                sb.append(sb.length() == 0 ? "" : "\n").append("  ").append(line);
            }
            return sb.length() == 0 ? "  (empty)" : sb.toString();
        } catch (IOException e) {
            return "  (cannot read it: " + e.getMessage() + ")";
        }
    }

    private static void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
