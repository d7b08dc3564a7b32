package org.kextkit.harness.daemon.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kextkit.harness.config.ConfigLoader;
import org.kextkit.harness.config.KextkitConfig;
import org.kextkit.harness.daemon.protocol.WireFormat;

class KernelClientTest {
    @TempDir
    Path tmp;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int forward(Path socket, String... argv) {
        return KernelClient.forward(socket, List.of(argv), tmp, Map.of(), out, err);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private Path privateDir(String name) throws IOException {
        return Files.createDirectory(tmp.resolve(name), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
    }

    @Test
    void withNoKernelRunningTheClientSaysSoAndHowToStartOne() {
        Path socket = tmp.resolve("run/kernel.sock");

        int status = forward(socket, "kextstat");

        assertEquals(71, status);
        assertEquals("", out.toString(StandardCharsets.UTF_8));
        assertEquals("kextkit: no hosted kernel is running (no socket at " + socket + ").\n"
                + "Start one with: bin/kextkit boot\n", err());
    }

    @Test
    void aSocketNobodyListensOnCountsAsNoKernel() throws IOException {
        Path socket = privateDir("run").resolve("kernel.sock");
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(socket));
        }

        int status = forward(socket, "status");

        assertEquals(71, status);
        assertEquals("kextkit: no hosted kernel is running (nobody listens on the stale socket at " + socket + ").\n"
                + "Start one with: bin/kextkit boot\n", err());
    }

    @Test
    void aSocketInADirectoryOthersCanWriteIsRefused() throws IOException {
        Path dir = privateDir("shared");
        Path socket = dir.resolve("kernel.sock");
        Files.createFile(socket);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));

        int status = forward(socket, "status");

        assertEquals(77, status);
        assertEquals("kextkit: refusing to talk to the kernel socket in " + dir + ": the directory can be written by "
                + "other users, so someone else could stand in for the kernel.\nRemove " + dir + " (the next boot "
                + "recreates it with mode 0700), or set KEXTKIT_SOCKET to a path in a directory only you can write.\n",
                err());
    }

    /** Serve one connection on {@code socket}: read the (small) request, then send {@code reply} (possibly nothing) and close. */
    private Thread fakeKernel(Path socket, byte[] reply) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Thread t = new Thread(() -> {
            try (server; SocketChannel c = server.accept()) {
                c.read(ByteBuffer.allocate(4096));
                c.write(ByteBuffer.wrap(reply));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        t.start();
        return t;
    }

    @Test
    void aKernelThatHangsUpMidRequestIsAnIoError() throws Exception {
        Path socket = privateDir("run").resolve("kernel.sock");
        Thread kernel = fakeKernel(socket, new byte[0]);

        int status = forward(socket, "kextstat");
        kernel.join();

        assertEquals(74, status);
        assertEquals("kextkit: the hosted kernel at " + socket + " closed the connection without a complete reply "
                + "(the connection closed before a reply frame). It may have stopped; see "
                + socket.resolveSibling("kernel.log") + ".\n", err());
    }

    @Test
    void aKernelOfAnotherProtocolVersionIsNamed() throws Exception {
        Path socket = privateDir("run").resolve("kernel.sock");
        Thread kernel = fakeKernel(socket, ByteBuffer.allocate(10).putInt(WireFormat.REPLY_MAGIC).putShort((short) 2)
                .putInt(0).array());

        int status = forward(socket, "kextstat");
        kernel.join();

        assertEquals(76, status);
        assertEquals("kextkit: the hosted kernel at " + socket + " speaks protocol version 2 but this client speaks "
                + "version 1. Stop that kernel (its pid is in " + socket.resolveSibling("kernel.pid") + ") and boot it "
                + "again with this build.\n", err());
    }

    @Test
    void theSocketComesFromTheEnvironmentThenThePropertyThenTheDefault() {
        assertEquals(Path.of("/run/k/env.sock"), SocketLocator.locate("/run/k/env.sock", "/run/k/prop.sock", "/tmp",
                "ada"));
        assertEquals(Path.of("/run/k/prop.sock"), SocketLocator.locate("", "/run/k/prop.sock", "/tmp", "ada"));
        assertEquals(Path.of("/var/tmp/kextkit-ada/kernel.sock"), SocketLocator.locate(null, null, "/var/tmp/", "ada"));
        assertEquals(Path.of("").toAbsolutePath().resolve("k.sock"), SocketLocator.locate("k.sock", null, "/tmp",
                "ada"));
    }

    @Test
    void theClientsDefaultSocketIsTheConfigurationsDefault() {
        Properties props = new Properties();
        props.setProperty("java.io.tmpdir", "/var/tmp/");
        props.setProperty("user.name", "ada");
        props.setProperty("user.home", tmp.toString());

        KextkitConfig config = new ConfigLoader().environment(Map.of()).systemProperties(props).load();

        assertEquals(config.socket(), SocketLocator.locate(null, null, "/var/tmp/", "ada"));
    }

    @Test
    void theLogAndPidFilesLiveBesideTheSocket() {
        assertEquals(Path.of("/run/k/kernel.log"), SocketLocator.logFile(Path.of("/run/k/kernel.sock")));
        assertEquals(Path.of("/run/k/kernel.pid"), SocketLocator.pidFile(Path.of("/run/k/kernel.sock")));
        assertEquals(Path.of("/run/k/my.socket.log"), SocketLocator.logFile(Path.of("/run/k/my.socket")));
    }
}
