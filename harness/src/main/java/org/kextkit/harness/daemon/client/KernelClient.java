package org.kextkit.harness.daemon.client;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.kextkit.harness.daemon.ExitStatus;
import org.kextkit.harness.daemon.protocol.KernelReply;
import org.kextkit.harness.daemon.protocol.KernelRequest;
import org.kextkit.harness.daemon.protocol.ProtocolException;
import org.kextkit.harness.daemon.protocol.WireFormat;

/**
 * Send one command to the running hosted kernel and reproduce its output and exit status: the fast
 * client behind {@code bin/kextkit kextstat} and the other daemon-bound commands.
 *
 * <p>This class starts a JVM for every command, so it loads only {@code java.base} and the protocol
 * classes: no picocli, no Commons Configuration, no kernel. It finds the socket with
 * {@link SocketLocator}. The full command line can call {@link #forward} to the same effect.
 */
public final class KernelClient {
    private static final String START_HINT = "Start one with: bin/kextkit boot";

    private KernelClient() {
    }

    /** Send {@code args} as argv to the kernel found by {@link SocketLocator#locate()} and exit with its status. */
    public static void main(String[] args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        int status = forward(SocketLocator.locate(), Arrays.asList(args), Path.of("").toAbsolutePath(), facts(),
                out, err);
        out.flush();
        err.flush();
        System.exit(status);
    }

    /**
     * Send argv to the kernel listening on {@code socket}, copy its output to {@code out} and {@code err},
     * and return its exit status; when the kernel cannot be reached, print why on {@code err} and return
     * one of the {@code ExitStatus} codes (71 when no kernel runs).
     */
    public static int forward(Path socket, List<String> argv, Path cwd, Map<String, String> facts, OutputStream out,
            OutputStream err) {
        if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
            print(err, "kextkit: no hosted kernel is running (no socket at " + socket + ").\n" + START_HINT + "\n");
            return ExitStatus.NO_KERNEL;
        }
        String unsafe = checkPrivate(socket.getParent());
        if (unsafe != null) {
            print(err, unsafe);
            return ExitStatus.NO_PERMISSION;
        }
        KernelRequest request = new KernelRequest(argv, cwd.toString(), facts);
        byte[] frame;
        try {
            frame = WireFormat.encodeRequest(request);
        } catch (ProtocolException e) {
            print(err, "kextkit: cannot send this command to the hosted kernel: " + e.getMessage() + ".\n");
            return ExitStatus.USAGE;
        }
        SocketChannel channel;
        try {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        } catch (IOException e) {
            print(err, "kextkit: cannot open a Unix domain socket: " + e.getMessage() + ".\n");
            return ExitStatus.NO_KERNEL;
        }
        try {
            return exchange(channel, socket, frame, out, err);
        } finally {
            try {
                channel.close();
            } catch (IOException e) {
                // The exchange is over and its outcome already decided; a failed close changes nothing.
            }
        }
    }

    private static int exchange(SocketChannel channel, Path socket, byte[] frame, OutputStream out,
            OutputStream err) {
        try {
            channel.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            return connectFailed(socket, e, err);
        }
        KernelReply reply;
        try {
            OutputStream toKernel = Channels.newOutputStream(channel);
            toKernel.write(frame);
            toKernel.flush();
            InputStream fromKernel = new BufferedInputStream(Channels.newInputStream(channel), 1 << 16);
            reply = WireFormat.readReply(fromKernel);
        } catch (ProtocolException e) {
            return protocolFailed(socket, e, err);
        } catch (IOException e) {
            print(err, "kextkit: lost the connection to the hosted kernel at " + socket + " before its reply was "
                    + "complete (" + e.getMessage() + "). The kernel may have stopped; see "
                    + SocketLocator.logFile(socket) + ".\n");
            return ExitStatus.IO_ERROR;
        }
        write(out, reply.stdout());
        write(err, reply.stderr());
        return reply.exitCode();
    }

    /** Return a refusal message if {@code dir} is not owned by this user or others could write to it, else null. */
    private static String checkPrivate(Path dir) {
        PosixFileAttributes attrs;
        try {
            attrs = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (UnsupportedOperationException | IOException e) {
            return null;
        }
        String user = System.getProperty("user.name");
        String owner = attrs.owner().getName();
        Set<PosixFilePermission> perms = attrs.permissions();
        boolean writableByOthers = perms.contains(PosixFilePermission.GROUP_WRITE)
                || perms.contains(PosixFilePermission.OTHERS_WRITE);
        if (owner.equals(user) && !writableByOthers) {
            return null;
        }
        return "kextkit: refusing to talk to the kernel socket in " + dir + ": the directory "
                + (owner.equals(user) ? "can be written by other users" : "belongs to " + owner + ", not to " + user)
                + ", so someone else could stand in for the kernel.\nRemove " + dir + " (the next boot recreates it "
                + "with mode 0700), or set KEXTKIT_SOCKET to a path in a directory only you can write.\n";
    }

    private static int connectFailed(Path socket, IOException e, OutputStream err) {
        String reason = String.valueOf(e.getMessage());
        if (reason.contains("Permission denied")) {
            print(err, "kextkit: permission denied connecting to the hosted kernel at " + socket + "; only the user "
                    + "who booted it may talk to it.\n");
            return ExitStatus.NO_PERMISSION;
        }
        if (reason.contains("Connection refused") || reason.contains("No such file")) {
            print(err, "kextkit: no hosted kernel is running (nobody listens on the stale socket at " + socket
                    + ").\n" + START_HINT + "\n");
            return ExitStatus.NO_KERNEL;
        }
        print(err, "kextkit: cannot connect to the hosted kernel at " + socket + ": " + reason + ".\n" + START_HINT
                + "\n");
        return ExitStatus.NO_KERNEL;
    }

    private static int protocolFailed(Path socket, ProtocolException e, OutputStream err) {
        switch (e.kind()) {
            case EMPTY, TRUNCATED -> {
                print(err, "kextkit: the hosted kernel at " + socket + " closed the connection without a complete "
                        + "reply (" + e.getMessage() + "). It may have stopped; see " + SocketLocator.logFile(socket)
                        + ".\n");
                return ExitStatus.IO_ERROR;
            }
            case VERSION_MISMATCH -> {
                print(err, "kextkit: the hosted kernel at " + socket + " speaks protocol version " + e.peerVersion()
                        + " but this client speaks version " + WireFormat.VERSION + ". Stop that kernel (its pid is in "
                        + SocketLocator.pidFile(socket) + ") and boot it again with this build.\n");
                return ExitStatus.PROTOCOL;
            }
            default -> {
                print(err, "kextkit: the hosted kernel at " + socket + " sent a reply that breaks the protocol: "
                        + e.getMessage() + ".\n");
                return ExitStatus.PROTOCOL;
            }
        }
    }

    /** Return the facts this client tells the daemon about itself. */
    public static Map<String, String> facts() {
        Map<String, String> facts = new LinkedHashMap<>();
        String pid = cheapPid();
        if (pid != null) {
            facts.put(KernelRequest.FACT_PID, pid);
        }
        facts.put(KernelRequest.FACT_USER, System.getProperty("user.name", ""));
        facts.put(KernelRequest.FACT_CONSOLE, System.console() != null ? "true" : "false");
        putEnv(facts, KernelRequest.FACT_COLUMNS);
        putEnv(facts, KernelRequest.FACT_TERM);
        return facts;
    }

    /**
     * Return this process's pid from {@code /proc/self}, or null where there is no {@code /proc}: the
     * first use of {@link ProcessHandle} starts a thread pool and costs the client tens of milliseconds.
     */
    private static String cheapPid() {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self")).toString();
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    private static void putEnv(Map<String, String> facts, String name) {
        String v = System.getenv(name);
        if (v != null) {
            facts.put(name, v);
        }
    }

    private static void print(OutputStream stream, String text) {
        write(stream, text.getBytes(StandardCharsets.UTF_8));
    }

    private static void write(OutputStream stream, byte[] bytes) {
        try {
            stream.write(bytes);
            stream.flush();
        } catch (IOException e) {
            // The reader went away (kextkit kextstat | head); the exit status still tells the outcome.
        }
    }
}
