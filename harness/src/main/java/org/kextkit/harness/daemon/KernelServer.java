package org.kextkit.harness.daemon;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.kextkit.harness.config.KextkitConfig;
import org.kextkit.harness.daemon.client.SocketLocator;
import org.kextkit.harness.daemon.internal.CappedOutputStream;
import org.kextkit.harness.daemon.internal.SocketDirectory;
import org.kextkit.harness.daemon.protocol.KernelReply;
import org.kextkit.harness.daemon.protocol.KernelRequest;
import org.kextkit.harness.daemon.protocol.ProtocolException;
import org.kextkit.harness.daemon.protocol.WireFormat;

/**
 * Serve kextkit commands on a Unix domain socket, running each on the hosted kernel's single thread.
 *
 * <p>Life cycle: {@link #claim} prepares the private socket directory and takes the pid-file lock that
 * makes this the only kernel on that socket; the caller boots its kernel; {@link #start} binds the
 * socket and begins serving. A {@code shutdown} request, or {@link #stop}, closes and removes the
 * socket, stops the kernel through {@link KernelHost#shutdown()}, answers, and ends
 * {@link #awaitTermination()}.
 *
 * <p>Threads: one acceptor; a few connection threads that read requests (with a deadline, so a silent
 * client cannot hold one forever) and write replies; and one kernel thread that runs every command in
 * arrival order. A slow client therefore delays only itself.
 */
public final class KernelServer {
    /** How long a client may take to send its whole request. */
    public static final Duration READ_TIMEOUT = Duration.ofSeconds(10);
    /** How long a client may take to read its whole reply. */
    public static final Duration WRITE_TIMEOUT = Duration.ofSeconds(60);

    private static final int CONNECTION_THREADS = 4;
    private static final int CONNECTION_BACKLOG = 32;
    /** Room kept in each captured stream for the daemon's own notes, such as a truncation notice. */
    private static final int NOTE_ROOM = 1024;

    private final KextkitConfig config;
    private final Path socket;
    private final Path pidFile;
    private final Path logFile;
    private final PrintStream log;
    private final long pid = ProcessHandle.current().pid();
    private final Instant started = Instant.now();
    private final FileChannel pidChannel;
    private final FileLock pidLock;

    private final ExecutorService kernel = Executors.newSingleThreadExecutor(named("kextkit-kernel"));
    private final ThreadPoolExecutor connections = new ThreadPoolExecutor(CONNECTION_THREADS, CONNECTION_THREADS, 0,
            TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(CONNECTION_BACKLOG), named("kextkit-connection"));
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(
            named("kextkit-watchdog"));
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final AtomicBoolean finished = new AtomicBoolean();

    private volatile ServerSocketChannel server;
    private volatile KernelHost host;
    /** Set on the kernel thread when shutdown begins; read by every thread. */
    private volatile boolean stopping;
    /** Touched only on the kernel thread. */
    private long served;

    private KernelServer(KextkitConfig config, PrintStream log, FileChannel pidChannel, FileLock pidLock) {
        this.config = config;
        this.socket = config.socket();
        this.pidFile = SocketLocator.pidFile(socket);
        this.logFile = SocketLocator.logFile(socket);
        this.log = log;
        this.pidChannel = pidChannel;
        this.pidLock = pidLock;
    }

    /**
     * Prepare to serve on {@code config.socket()}: make sure its directory is private (mode 0700), take
     * the lock on the pid file beside the socket and record this process's pid there, and remove a stale
     * socket left by a kernel that died.
     *
     * @throws DaemonException with status 75 if another kernel holds the lock, 77 if the directory is not
     *     private, 71 if the socket path is taken by something that is not a socket
     */
    public static KernelServer claim(KextkitConfig config, PrintStream log) throws IOException {
        Path socket = config.socket();
        SocketDirectory.prepare(socket.getParent());
        Path pidFile = SocketLocator.pidFile(socket);
        FileChannel channel = FileChannel.open(pidFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            Files.setPosixFilePermissions(pidFile, SocketDirectory.MODE_0600);
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            channel.close();
            throw new DaemonException(ExitStatus.ALREADY_RUNNING, "kextkit: a hosted kernel is already running on "
                    + socket + " (it holds " + pidFile + "). Stop it with: bin/kextkit shutdown");
        }
        try {
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)));
            channel.force(false);
            removeStaleSocket(socket, log);
        } catch (IOException e) {
            lock.release();
            channel.close();
            throw e;
        }
        return new KernelServer(config, log, channel, lock);
    }

    /** Delete {@code socket} if it is a socket: whoever made it no longer holds the pid lock, so nobody serves it. */
    private static void removeStaleSocket(Path socket, PrintStream log) throws IOException {
        if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        BasicFileAttributes attrs = Files.readAttributes(socket, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!attrs.isOther()) {
            throw new DaemonException(ExitStatus.NO_KERNEL, "kextkit: " + socket + " exists and is not a socket; "
                    + "expected a free path for the kernel's socket. Remove it, or set kextkit.socket elsewhere.");
        }
        Files.delete(socket);
        log(log, "removed the stale socket " + socket);
    }

    /**
     * Bind the socket (mode 0600) and start serving {@code host}'s commands.
     *
     * @throws IOException if the socket cannot be bound; the claim is released
     */
    public void start(KernelHost host) throws IOException {
        if (this.host != null) {
            throw new IllegalStateException("already started");
        }
        this.host = host;
        try {
            ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            channel.bind(UnixDomainSocketAddress.of(socket), CONNECTION_BACKLOG);
            Files.setPosixFilePermissions(socket, SocketDirectory.MODE_0600);
            server = channel;
        } catch (IOException e) {
            releaseClaim();
            finish();
            throw new DaemonException(ExitStatus.NO_KERNEL, "kextkit: cannot listen on " + socket + ": " + e.getMessage(),
                    e);
        }
        Thread acceptor = new Thread(this::acceptLoop, "kextkit-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
        log("hosted kernel serving on " + socket + " (pid " + pid + ", kernel version "
                + config.kernelVersion().source() + ", boot-args: " + describeBootArgs() + ")");
    }

    /** Block until the server has shut down (after a {@code shutdown} request or {@link #stop}). */
    public void awaitTermination() throws InterruptedException {
        terminated.await();
    }

    /** Block until the server has shut down or {@code timeout} passes; return true if it has shut down. */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return terminated.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Shut down as a {@code shutdown} request would (used on SIGTERM, by tests, and to give up a claim
     * whose kernel failed to boot), waiting at most
     * {@code timeout} for a command in progress to finish; past that the socket and pid file are removed
     * anyway and the kernel is left to the process's exit.
     */
    public void stop(Duration timeout) {
        if (finished.get()) {
            return;
        }
        try {
            Future<Outcome> f = kernel.submit(() -> stopping ? null : shutdownKernel("stopped by " + Thread.currentThread()
                    .getName()));
            f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // Already stopped.
        } catch (TimeoutException e) {
            log("a command was still running after " + timeout.toSeconds() + " s; stopping without the kernel's "
                    + "shutdown routine");
            closeServer();
            releaseClaim();
        } catch (ExecutionException e) {
            log("shutdown failed: " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        finish();
    }

    // ---- connections ----

    private void acceptLoop() {
        while (!stopping) {
            SocketChannel channel;
            try {
                channel = server.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (stopping) {
                    return;
                }
                log("accept failed: " + e.getMessage());
                sleepQuietly(50);
                continue;
            }
            try {
                connections.execute(() -> handle(channel));
            } catch (RejectedExecutionException e) {
                replyAndClose(channel, error(ExitStatus.NO_KERNEL, "kextkit: the hosted kernel is busy with "
                        + CONNECTION_BACKLOG + " waiting clients; try again.\n"));
            }
        }
    }

    private void handle(SocketChannel channel) {
        Outcome outcome = null;
        ScheduledFuture<?> readDeadline = watchdog.schedule(() -> closeQuietly(channel), READ_TIMEOUT.toMillis(),
                TimeUnit.MILLISECONDS);
        try {
            String refusal = checkPeer(channel);
            if (refusal != null) {
                readDeadline.cancel(false);
                log(refusal.trim());
                send(channel, error(ExitStatus.NO_PERMISSION, refusal));
                return;
            }
            KernelRequest request;
            try {
                request = WireFormat.readRequest(new BufferedInputStream(Channels.newInputStream(channel)));
            } catch (ProtocolException e) {
                readDeadline.cancel(false);
                if (e.kind() != ProtocolException.Kind.EMPTY) {
                    log("rejected a request: " + e.getMessage());
                    send(channel, error(ExitStatus.PROTOCOL, "kextkit: the hosted kernel rejected the request: "
                            + e.getMessage() + ". Use a client from the same kextkit build as the kernel.\n"));
                }
                return;
            } catch (AsynchronousCloseException e) {
                log("dropped a client that did not send its request within " + READ_TIMEOUT.toSeconds() + " s");
                return;
            }
            if (!readDeadline.cancel(false)) {
                return;
            }
            try {
                outcome = kernel.submit(() -> execute(request)).get();
            } catch (RejectedExecutionException e) {
                outcome = new Outcome(error(ExitStatus.NO_KERNEL, "kextkit: the hosted kernel has shut down; "
                        + "the command did not run.\n"), false);
            } catch (ExecutionException e) {
                log("internal error: " + stackTrace(e.getCause()));
                outcome = new Outcome(error(ExitStatus.SOFTWARE, "kextkit: internal error in the kernel daemon: "
                        + e.getCause() + "; see " + logFile + ".\n"), false);
            }
            ScheduledFuture<?> writeDeadline = watchdog.schedule(() -> closeQuietly(channel),
                    WRITE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            try {
                send(channel, outcome.reply);
            } finally {
                writeDeadline.cancel(false);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            log("could not answer a client: " + e);
        } catch (RuntimeException e) {
            log("internal error while serving a client: " + stackTrace(e));
        } finally {
            readDeadline.cancel(false);
            closeQuietly(channel);
            if (outcome != null && outcome.terminates) {
                finish();
            }
        }
    }

    /** Return a refusal if the peer is another user; the directory's mode should already prevent that. */
    private static String checkPeer(SocketChannel channel) {
        UnixDomainPrincipal peer;
        try {
            peer = channel.getOption(ExtendedSocketOptions.SO_PEERCRED);
        } catch (UnsupportedOperationException | IOException e) {
            return null;
        }
        String user = System.getProperty("user.name");
        String peerUser = peer.user().getName();
        if (peerUser.equals(user)) {
            return null;
        }
        return "kextkit: refused a client running as " + peerUser + "; only " + user + ", who booted this kernel, "
                + "may talk to it.\n";
    }

    // ---- the kernel thread ----

    private Outcome execute(KernelRequest request) {
        List<String> argv = request.argv();
        String command = argv.isEmpty() ? "" : argv.get(0);
        if (stopping) {
            return new Outcome(error(ExitStatus.NO_KERNEL, "kextkit: the hosted kernel is shutting down; " + command
                    + " did not run.\n"), false);
        }
        served++;
        long t0 = System.nanoTime();
        Outcome outcome = switch (command) {
            case "" -> new Outcome(error(ExitStatus.USAGE, "kextkit: no command given; try: bin/kextkit help\n"),
                    false);
            case "status" -> argv.size() == 1 ? new Outcome(KernelReply.of(ExitStatus.OK, statusText(), ""), false)
                    : new Outcome(error(ExitStatus.USAGE, "kextkit: status takes no arguments.\n"), false);
            case "shutdown" -> argv.size() == 1 ? shutdownKernel("shutdown requested by client pid "
                    + request.facts().getOrDefault(KernelRequest.FACT_PID, "?"))
                    : new Outcome(error(ExitStatus.USAGE, "kextkit: shutdown takes no arguments.\n"), false);
            default -> new Outcome(runCommand(request), false);
        };
        log("request #" + served + " from pid " + request.facts().getOrDefault(KernelRequest.FACT_PID, "?") + ": "
                + String.join(" ", argv) + " -> " + outcome.reply.exitCode() + " ("
                + (System.nanoTime() - t0) / 1_000_000 + " ms)");
        return outcome;
    }

    private KernelReply runCommand(KernelRequest request) {
        CappedOutputStream outBytes = new CappedOutputStream(WireFormat.MAX_STREAM_BYTES - NOTE_ROOM);
        CappedOutputStream errBytes = new CappedOutputStream(WireFormat.MAX_STREAM_BYTES - NOTE_ROOM);
        PrintWriter out = new PrintWriter(new OutputStreamWriter(outBytes, StandardCharsets.UTF_8));
        PrintWriter err = new PrintWriter(new OutputStreamWriter(errBytes, StandardCharsets.UTF_8));
        int status;
        try {
            status = host.commands().run(request, out, err);
            if (status < 0 || status > 255) {
                err.println("kextkit: " + request.argv().get(0) + " returned exit status " + status
                        + ", outside 0..255; reporting " + ExitStatus.SOFTWARE + ".");
                status = ExitStatus.SOFTWARE;
            }
        } catch (Throwable t) {
            // Whatever a command throws, the kernel keeps serving; the client learns what happened.
            log("command " + String.join(" ", request.argv()) + " failed: " + stackTrace(t));
            err.flush();
            err.println("kextkit: internal error in the hosted kernel while running " + request.argv().get(0) + ": "
                    + t + ". The kernel keeps running; the stack trace is in " + logFile + ".");
            status = ExitStatus.SOFTWARE;
        }
        out.flush();
        err.flush();
        if (outBytes.dropped() > 0 || errBytes.dropped() > 0) {
            err.println("kextkit: output truncated by the kernel daemon: " + outBytes.dropped() + " bytes of standard "
                    + "output and " + errBytes.dropped() + " bytes of standard error over the "
                    + WireFormat.MAX_STREAM_BYTES + "-byte limit were dropped.");
            err.flush();
        }
        return new KernelReply(status, outBytes.toByteArray(), errBytes.toByteArray());
    }

    private Outcome shutdownKernel(String why) {
        stopping = true;
        log("shutting down: " + why);
        closeServer();
        Throwable failure = null;
        try {
            if (host != null) {
                host.shutdown();
            }
        } catch (Throwable t) {
            failure = t;
            log("the kernel's shutdown routine failed: " + stackTrace(t));
        }
        releaseClaim();
        String uptime = formatUptime(Duration.between(started, Instant.now()));
        if (failure != null) {
            return new Outcome(KernelReply.of(ExitStatus.SOFTWARE, "", "kextkit: the hosted kernel (pid " + pid
                    + ") shut down, but its shutdown routine failed: " + failure + "; see " + logFile + ".\n"), true);
        }
        log("shut down after " + uptime);
        return new Outcome(KernelReply.of(ExitStatus.OK, "Hosted kernel shut down (pid " + pid + ", up " + uptime
                + ").\n", ""), true);
    }

    private String statusText() {
        StringBuilder sb = new StringBuilder();
        sb.append("Hosted kernel running.\n");
        line(sb, "pid", Long.toString(pid));
        line(sb, "uptime", formatUptime(Duration.between(started, Instant.now())));
        line(sb, "kernel version", config.kernelVersion().source() + " (" + config.arch().archName() + ", "
                + config.versionGrammar().name().toLowerCase(Locale.ROOT) + " version grammar)");
        line(sb, "boot-args", describeBootArgs());
        if (!config.bootArgs().unknown().isEmpty()) {
            line(sb, "unknown args", String.join(" ", config.bootArgs().unknown()));
        }
        StringBuilder ext = new StringBuilder();
        for (Path p : config.extensions()) {
            ext.append(ext.length() == 0 ? "" : ", ").append(p);
        }
        line(sb, "extensions", ext.length() == 0 ? "(none)" : ext.toString());
        line(sb, "socket", socket.toString());
        line(sb, "log", logFile.toString());
        line(sb, "requests", served + " served");
        for (String extra : host.statusLines()) {
            sb.append(extra).append('\n');
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, String label, String value) {
        sb.append(label).append(':').append(" ".repeat(Math.max(1, 16 - label.length() - 1))).append(value)
                .append('\n');
    }

    private String describeBootArgs() {
        return config.bootArgs().isEmpty() ? "(none)" : config.bootArgs().toString();
    }

    /** Format an uptime as {@code 45s}, {@code 3m 12s}, {@code 2h 5m 0s} or {@code 3d 4h 0m}. */
    static String formatUptime(Duration d) {
        long s = d.toSeconds();
        long days = s / 86_400;
        long hours = s / 3600 % 24;
        long minutes = s / 60 % 60;
        long seconds = s % 60;
        if (days > 0) {
            return days + "d " + hours + "h " + minutes + "m";
        }
        if (hours > 0) {
            return hours + "h " + minutes + "m " + seconds + "s";
        }
        if (minutes > 0) {
            return minutes + "m " + seconds + "s";
        }
        return seconds + "s";
    }

    // ---- housekeeping ----

    private void closeServer() {
        ServerSocketChannel s = server;
        if (s != null) {
            closeQuietly(s);
        }
        try {
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            log("could not remove " + socket + ": " + e.getMessage());
        }
    }

    private void releaseClaim() {
        try {
            if (pidLock.isValid()) {
                Files.deleteIfExists(pidFile);
                pidLock.release();
            }
            pidChannel.close();
        } catch (IOException e) {
            log("could not release " + pidFile + ": " + e.getMessage());
        }
    }

    /** Release every thread and end {@link #awaitTermination()}; runs once. */
    private void finish() {
        if (!finished.compareAndSet(false, true)) {
            return;
        }
        stopping = true;
        closeServer();
        kernel.shutdown();
        connections.shutdown();
        watchdog.shutdownNow();
        terminated.countDown();
    }

    private static KernelReply error(int status, String message) {
        return KernelReply.of(status, "", message);
    }

    private static void send(SocketChannel channel, KernelReply reply) throws IOException {
        ByteBuffer frame = ByteBuffer.wrap(WireFormat.encodeReply(reply));
        while (frame.hasRemaining()) {
            channel.write(frame);
        }
    }

    private void replyAndClose(SocketChannel channel, KernelReply reply) {
        try {
            send(channel, reply);
        } catch (IOException e) {
            log("could not answer a client: " + e.getMessage());
        } finally {
            closeQuietly(channel);
        }
    }

    private static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            // Nothing useful to do: the peer is gone either way.
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void log(String message) {
        log(log, message);
    }

    private static void log(PrintStream log, String message) {
        synchronized (log) {
            log.println(Instant.now() + " " + message);
            log.flush();
        }
    }

    private static String stackTrace(Throwable t) {
        StringWriter sw = new StringWriter();
        t.printStackTrace(new PrintWriter(sw));
        return sw.toString().trim();
    }

    private static ThreadFactory named(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, n.incrementAndGet() == 1 ? name : name + "-" + n.get());
            t.setDaemon(true);
            return t;
        };
    }

    /** A reply, and whether sending it ends the server. */
    private record Outcome(KernelReply reply, boolean terminates) {
    }
}
