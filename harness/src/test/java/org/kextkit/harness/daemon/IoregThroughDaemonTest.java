package org.kextkit.harness.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kextkit.harness.cli.wiring.HostedKernelHostFactory;
import org.kextkit.harness.config.KextkitConfig;
import org.kextkit.harness.daemon.client.KernelClient;

/** ioreg and ioclasscount sent to a daemon serving a real hosted kernel, as bin/kextkit's fast client sends them. */
class IoregThroughDaemonTest {
    @TempDir
    Path tmp;

    private record Reply(int status, String out, String err) {
    }

    private static Reply send(Path socket, Path cwd, String... argv) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = KernelClient.forward(socket, List.of(argv), cwd, Map.of(), out, err);
        return new Reply(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theDaemonAnswersIoregAndIoclasscountFromItsKernel() throws Exception {
        Path socket = tmp.resolve("run/kernel.sock");
        Path extensions = Files.createDirectories(tmp.resolve("Extensions"));
        KextkitConfig config = TestConfigs.withSocket(socket, "extensions=" + extensions);
        KernelServer server = KernelServer.claim(config, new PrintStream(OutputStream.nullOutputStream()));
        KernelHost host = new HostedKernelHostFactory().boot(config);
        try {
            server.start(host);

            Reply tree = send(socket, tmp, "ioreg", "-d", "1", "-w", "0");
            assertEquals(0, tree.status(), tree.err());
            assertTrue(tree.out().matches("\\+-o Root  <class IORegistryEntry, id 0x[0-9a-f]+, retain \\d+>\n"), tree.out());
            assertEquals("", tree.err());

            Reply counts = send(socket, tmp, "ioclasscount", "IOService", "NoSuchClass");
            assertEquals(0, counts.status(), counts.err());
            assertTrue(counts.out().matches("IOService = \\d+, NoSuchClass = <no such class>\n"), counts.out());

            Reply bad = send(socket, tmp, "ioreg", "-z");
            assertEquals(1, bad.status());
            assertTrue(bad.err().startsWith("ioreg: illegal option -- z\nusage: ioreg "), bad.err());
        } finally {
            server.stop(Duration.ofSeconds(5));
        }
    }
}
