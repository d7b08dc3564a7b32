package org.kextkit.harness.daemon.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kextkit.harness.config.ConfigLoader;
import org.kextkit.harness.daemon.KernelServer;
import org.kextkit.harness.daemon.StatusOnlyKernelHost;

/**
 * Pin what the fast client loads: start-up time is the client's whole budget, so it must not pull in
 * picocli, Commons Configuration, kernel classes, or {@link ProcessHandle}'s thread pool.
 */
class ClientFootprintTest {
    @TempDir
    Path tmp;

    @Test
    void theClientLoadsOnlyJavaBaseAndTheProtocol() throws Exception {
        Path socket = tmp.resolve("run/kernel.sock");
        Path classLog = tmp.resolve("classes.log");
        Properties props = new Properties();
        props.setProperty("user.name", System.getProperty("user.name"));
        KernelServer server = KernelServer.claim(new ConfigLoader().environment(Map.of()).systemProperties(props)
                .noUserFile().commandLine(List.of("socket=" + socket)).load(),
                new PrintStream(OutputStream.nullOutputStream()));
        try {
            server.start(new StatusOnlyKernelHost());
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xlog:class+load:file=" + classLog, "-cp", System.getProperty("java.class.path"),
                    KernelClient.class.getName(), "status")
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD);
            pb.environment().put(SocketLocator.ENV, socket.toString());
            Process p = pb.start();
            try {
                assertTrue(p.waitFor(30, TimeUnit.SECONDS));
                assertEquals(0, p.exitValue());
            } finally {
                p.destroyForcibly();
            }
        } finally {
            server.stop(Duration.ofSeconds(5));
        }

        List<String> loaded = Files.readAllLines(classLog, StandardCharsets.UTF_8).stream()
                .map(line -> line.replaceFirst("^\\S+ ", "").split(" ")[0])
                .toList();
        List<String> foreign = loaded.stream()
                .filter(c -> c.startsWith("picocli.") || c.startsWith("org.apache.")
                        || c.startsWith("org.kextkit.") && !c.startsWith("org.kextkit.harness.daemon.client.")
                                && !c.startsWith("org.kextkit.harness.daemon.protocol.")
                        || c.equals("java.lang.ProcessHandleImpl"))
                .toList();
        assertTrue(loaded.contains(KernelClient.class.getName()), "the log lists the client's classes");
        assertEquals(List.of(), foreign);
    }
}
