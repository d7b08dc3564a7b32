package org.kextkit.harness.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kextkit.harness.config.KextkitConfig;
import org.kextkit.harness.daemon.client.KernelClient;
import org.kextkit.harness.daemon.protocol.KernelReply;
import org.kextkit.harness.daemon.protocol.WireFormat;

class KernelServerTest {
    @TempDir
    Path tmp;

    private Path socket;
    private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    private final PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);
    private final RecordingKernelHost host = new RecordingKernelHost();
    private final List<KernelServer> servers = new ArrayList<>();

    @BeforeEach
    void startServer() throws IOException {
        socket = tmp.resolve("run/kernel.sock");
        start(TestConfigs.withSocket(socket, "boot-args=-v debug=0x144 lilu=1"));
    }

    @AfterEach
    void stopServers() {
        for (KernelServer server : servers) {
            server.stop(Duration.ofSeconds(5));
        }
    }

    private KernelServer start(KextkitConfig config) throws IOException {
        KernelServer server = KernelServer.claim(config, log);
        servers.add(server);
        server.start(host);
        return server;
    }

    private record Result(int exit, String out, String err) {
    }

    private Result send(String... argv) {
        return sendFrom(Path.of("/work/kexts"), argv);
    }

    private Result sendFrom(Path cwd, String... argv) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = KernelClient.forward(socket, List.of(argv), cwd, Map.of("pid", "777"), out, err);
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aCommandsOutputAndExitStatusComeBackToTheClient() {
        Result echo = sendFrom(Path.of("/Users/ada/src"), "echo", "Fü.kext", "two words");
        Result exit = send("exit", "4", "kext bad");

        assertEquals(new Result(0, "Fü.kext|two words @ /Users/ada/src\n", ""), echo);
        assertEquals(new Result(4, "", "kext bad\n"), exit);
    }

    @Test
    void commandsRunOnTheKernelThread() {
        send("echo");

        assertEquals(List.of("kextkit-kernel"), host.threads);
    }

    @Test
    void anExceptionInACommandBecomesStatus70AndTheDaemonKeepsServing() {
        Result boom = send("boom");
        Result after = send("echo", "still here");

        assertEquals(ExitStatus.SOFTWARE, boom.exit());
        assertEquals("partial output\n", boom.out());
        assertEquals("kextkit: internal error in the hosted kernel while running boom: java.lang.IllegalStateException: "
                + "boom. The kernel keeps running; the stack trace is in " + tmp.resolve("run/kernel.log") + ".\n",
                boom.err());
        assertTrue(logBytes.toString(StandardCharsets.UTF_8).contains("at org.kextkit.harness.daemon."
                + "RecordingKernelHost.run"), "the stack trace goes to the log");
        assertEquals(0, after.exit());
        assertEquals("still here @ /work/kexts\n", after.out());
    }

    @Test
    void anExitStatusOutsideAByteIsReportedAs70() {
        Result r = send("exit", "300", "odd");

        assertEquals(ExitStatus.SOFTWARE, r.exit());
        assertEquals("odd\nkextkit: exit returned exit status 300, outside 0..255; reporting 70.\n", r.err());
    }

    @Test
    void statusReportsPidKernelVersionBootArgsAndSocket() {
        Result r = send("status");

        assertEquals(0, r.exit());
        List<String> lines = r.out().lines().toList();
        assertEquals("Hosted kernel running.", lines.get(0));
        assertEquals("pid:            " + ProcessHandle.current().pid(), lines.get(1));
        assertTrue(lines.get(2).matches("uptime:         \\d+s"), lines.get(2));
        assertEquals(List.of(
                "kernel version: 25.1.0 (x86_64, modern version grammar)",
                "boot-args:      -v debug=0x144 lilu=1",
                "unknown args:   lilu=1",
                "extensions:     (none)",
                "socket:         " + socket,
                "log:            " + tmp.resolve("run/kernel.log"),
                "requests:       1 served",
                "loaded kexts:   0 (test kernel)"), lines.subList(3, lines.size()));
    }

    @Test
    void statusAndShutdownTakeNoArguments() {
        assertEquals(new Result(ExitStatus.USAGE, "", "kextkit: status takes no arguments.\n"), send("status", "-v"));
        assertEquals(new Result(ExitStatus.USAGE, "", "kextkit: shutdown takes no arguments.\n"),
                send("shutdown", "now"));
        assertEquals(0, host.shutdowns.get());
    }

    @Test
    void shutdownStopsTheKernelRemovesTheSocketAndThenAnswers() throws InterruptedException {
        KernelServer server = servers.get(0);

        Result r = send("shutdown");

        assertEquals(0, r.exit());
        assertTrue(r.out().matches("Hosted kernel shut down \\(pid " + ProcessHandle.current().pid()
                + ", up \\d+s\\)\\.\n"), r.out());
        assertEquals(1, host.shutdowns.get());
        assertFalse(Files.exists(socket), "socket removed before the reply");
        assertFalse(Files.exists(tmp.resolve("run/kernel.pid")), "pid file removed");
        assertTrue(server.awaitTermination(Duration.ofSeconds(5)));
        assertEquals(ExitStatus.NO_KERNEL, send("status").exit());
    }

    @Test
    void aFailingShutdownRoutineIsReportedButTheDaemonStillStops() throws InterruptedException {
        host.shutdownFailure = new IllegalStateException("kext refused to stop");

        Result r = send("shutdown");

        assertEquals(ExitStatus.SOFTWARE, r.exit());
        assertTrue(r.err().contains("shut down, but its shutdown routine failed: java.lang.IllegalStateException: kext "
                + "refused to stop"), r.err());
        assertTrue(servers.get(0).awaitTermination(Duration.ofSeconds(5)));
        assertFalse(Files.exists(socket));
    }

    @Test
    void stopFromOutsideRunsTheKernelsShutdownOnce() throws InterruptedException {
        KernelServer server = servers.get(0);

        server.stop(Duration.ofSeconds(5));
        server.stop(Duration.ofSeconds(5));

        assertEquals(1, host.shutdowns.get());
        assertTrue(server.awaitTermination(Duration.ZERO));
        assertFalse(Files.exists(socket));
    }

    @Test
    void concurrentClientsAreServedOneAtATime() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<Result>> results = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                results.add(pool.submit(() -> send("slow")));
            }
            for (Future<Result> f : results) {
                assertEquals(new Result(0, "slept\n", ""), f.get());
            }
        } finally {
            pool.shutdownNow();
        }

        assertEquals(1, host.maxRunning.get());
    }

    @Test
    void aSilentClientDoesNotBlockOthers() throws IOException {
        try (SocketChannel silent = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            long t0 = System.nanoTime();

            Result r = send("echo", "hi");

            assertEquals(0, r.exit());
            assertTrue(System.nanoTime() - t0 < KernelServer.READ_TIMEOUT.toNanos() / 2, "answered without waiting "
                    + "for the silent client");
            assertTrue(silent.isOpen());
        }
    }

    @Test
    void garbageGetsAProtocolErrorAndTheDaemonKeepsServing() throws IOException {
        KernelReply reply;
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            channel.write(ByteBuffer.wrap("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
            reply = WireFormat.readReply(Channels.newInputStream(channel));
        }

        assertEquals(ExitStatus.PROTOCOL, reply.exitCode());
        assertEquals("kextkit: the hosted kernel rejected the request: not a kextkit request: expected magic 0x4b584b51,"
                + " found 0x47455420. Use a client from the same kextkit build as the kernel.\n", reply.stderrText());
        assertEquals(0, send("echo").exit());
    }

    @Test
    void aClientOfAnotherProtocolVersionIsToldSo() throws IOException {
        KernelReply reply;
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            channel.write(ByteBuffer.allocate(10).putInt(WireFormat.REQUEST_MAGIC).putShort((short) 9).putInt(0)
                    .flip());
            reply = WireFormat.readReply(Channels.newInputStream(channel));
        }

        assertEquals(ExitStatus.PROTOCOL, reply.exitCode());
        assertTrue(reply.stderrText().contains("the request uses protocol version 9; this side speaks version 1"),
                reply.stderrText());
    }

    @Test
    void aProbeThatConnectsAndClosesIsNotAnError() throws IOException {
        assertTrue(DaemonLauncher.accepts(socket));

        assertEquals(0, send("echo").exit());
        assertFalse(logBytes.toString(StandardCharsets.UTF_8).contains("rejected"));
    }

    @Test
    void theSocketIsPrivateToTheUser() throws IOException {
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent())));
    }

    @Test
    void aSecondKernelOnTheSameSocketIsRefused() {
        DaemonException e = assertThrows(DaemonException.class,
                () -> KernelServer.claim(TestConfigs.withSocket(socket), log));

        assertEquals(ExitStatus.ALREADY_RUNNING, e.exitStatus());
        assertEquals("kextkit: a hosted kernel is already running on " + socket + " (it holds "
                + tmp.resolve("run/kernel.pid") + "). Stop it with: bin/kextkit shutdown", e.getMessage());
    }

    @Test
    void theKernelRecordsItsPidBesideTheSocket() throws IOException {
        assertEquals(ProcessHandle.current().pid() + "\n", Files.readString(tmp.resolve("run/kernel.pid")));
    }

    @Test
    void aStaleSocketIsRemovedByTheNextKernel() throws IOException {
        Path staleSocket = tmp.resolve("stale/kernel.sock");
        Files.createDirectories(staleSocket.getParent(), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(staleSocket));
        }
        assertTrue(Files.exists(staleSocket), "closing a server channel leaves its socket file behind");

        start(TestConfigs.withSocket(staleSocket));
        socket = staleSocket;

        assertEquals(0, send("echo").exit());
        assertTrue(logBytes.toString(StandardCharsets.UTF_8).contains("removed the stale socket " + staleSocket));
    }

    @Test
    void somethingThatIsNotASocketIsNeverRemoved() throws IOException {
        Path file = tmp.resolve("other/kernel.sock");
        Files.createDirectories(file.getParent(), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        Files.writeString(file, "precious");

        DaemonException e = assertThrows(DaemonException.class,
                () -> KernelServer.claim(TestConfigs.withSocket(file), log));

        assertEquals(ExitStatus.NO_KERNEL, e.exitStatus());
        assertEquals("kextkit: " + file + " exists and is not a socket; expected a free path for the kernel's socket. "
                + "Remove it, or set kextkit.socket elsewhere.", e.getMessage());
        assertEquals("precious", Files.readString(file));
    }
}
