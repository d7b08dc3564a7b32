package org.kextkit.harness.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kextkit.harness.daemon.client.KernelClient;

/**
 * Run {@code bin/kextkit} itself from a copy of the project layout in a temporary folder, with a jar
 * built from this module's classes, so that the script's checks and routing are exercised without
 * {@code mvn package}.
 */
class LauncherScriptTest {
    private static final Path SCRIPT = Path.of(System.getProperty("user.dir")).getParent().resolve("bin/kextkit");

    @TempDir
    Path tmp;

    private Path root;
    private Path target;
    private Path socket;

    @BeforeEach
    void copyScript() throws IOException {
        root = tmp.resolve("kextkit");
        Files.createDirectories(root.resolve("bin"));
        Files.copy(SCRIPT, root.resolve("bin/kextkit"));
        target = root.resolve("harness/target");
        socket = tmp.resolve("run/kernel.sock");
    }

    private ProcessRun kextkit(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("/bin/sh", root.resolve("bin/kextkit").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile());
        pb.environment().remove("KEXTKIT_SOCKET");
        pb.environment().remove("KEXTKIT_OPTS");
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().putAll(env);
        return ProcessRun.of(pb, tmp);
    }

    /** Lay out harness/target as mvn package would: the harness jar (from target/classes) and lib/. */
    private void build() throws IOException, URISyntaxException {
        Path classes = Path.of(KernelClient.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Files.createDirectories(target.resolve("lib"));
        try (OutputStream file = Files.newOutputStream(target.resolve("kextkit-harness-0.0.0-TEST.jar"));
                JarOutputStream jar = new JarOutputStream(file);
                Stream<Path> walk = Files.walk(classes)) {
            for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
                jar.putNextEntry(new JarEntry(classes.relativize(p).toString().replace('\\', '/')));
                Files.copy(p, jar);
                jar.closeEntry();
            }
        }
    }

    @Test
    void anUnbuiltTreeSaysHowToBuild() throws Exception {
        ProcessRun r = kextkit(Map.of(), "kextstat");

        assertEquals(new ProcessRun(69, "", "kextkit: not built yet; run: mvn -q -B package -DskipTests\n"), r);
    }

    @Test
    void daemonBoundCommandsGoThroughTheFastClient() throws Exception {
        build();
        Map<String, String> env = Map.of("KEXTKIT_SOCKET", socket.toString());

        ProcessRun none = kextkit(env, "kextstat", "-l");
        assertEquals(new ProcessRun(71, "", "kextkit: no hosted kernel is running (no socket at " + socket + ").\n"
                + "Start one with: bin/kextkit boot\n"), none);
        assertFalse(Files.exists(target.resolve("kextkit-client.jsa")), "a run that reached no kernel makes no "
                + "class-data archive");

        KernelServer server = KernelServer.claim(TestConfigs.withSocket(socket),
                new PrintStream(OutputStream.nullOutputStream()));
        try {
            server.start(new StatusOnlyKernelHost());

            ProcessRun first = kextkit(env, "status");
            ProcessRun second = kextkit(env, "status");
            ProcessRun kextload = kextkit(env, "kextload", "Foo.kext");

            assertEquals(0, first.exit(), first.err());
            assertTrue(first.out().startsWith("Hosted kernel running.\n"), first.out());
            assertEquals("", first.err());
            assertTrue(Files.exists(target.resolve("kextkit-client.jsa")), "the first run with a kernel writes the "
                    + "class-data archive");
            assertEquals(0, second.exit(), second.err());
            assertTrue(second.out().startsWith("Hosted kernel running.\n"), second.out());
            assertEquals("", second.err(), "the JVM prints nothing about the archive");
            assertEquals(ExitStatus.UNAVAILABLE, kextload.exit());
            assertTrue(kextload.err().startsWith("kextkit: kextload is not available"), kextload.err());
        } finally {
            server.stop(Duration.ofSeconds(5));
        }
    }

    @Test
    void ioregAndIoclasscountAreDaemonBound() throws Exception {
        build();
        Map<String, String> env = Map.of("KEXTKIT_SOCKET", socket.toString(), "KEXTKIT_CDS", "0");
        String noKernel = "kextkit: no hosted kernel is running (no socket at " + socket + ").\n"
                + "Start one with: bin/kextkit boot\n";

        assertEquals(new ProcessRun(71, "", noKernel), kextkit(env, "ioreg", "-l"));
        assertEquals(new ProcessRun(71, "", noKernel), kextkit(env, "ioclasscount", "IOService"));
    }

    @Test
    void helpForADaemonBoundCommandGoesToTheFullCommandLine() throws Exception {
        build();

        ProcessRun help = kextkit(Map.of("KEXTKIT_SOCKET", socket.toString(), "KEXTKIT_CDS", "0"), "kextstat", "--help");

        assertNotEquals(71, help.exit());
        assertFalse(help.err().contains("no hosted kernel is running"), help.err());
    }

    @Test
    void theClientPassesTheCommandsExitStatusThrough() throws Exception {
        build();
        KernelServer server = KernelServer.claim(TestConfigs.withSocket(socket),
                new PrintStream(new ByteArrayOutputStream()));
        try {
            server.start(new RecordingKernelHost());

            ProcessRun r = kextkit(Map.of("KEXTKIT_SOCKET", socket.toString(), "KEXTKIT_CDS", "0"), "kextunload", "-b",
                    "com.example.Foo");

            assertEquals(64, r.exit());
            assertEquals("unknown test command kextunload\n", r.err());
        } finally {
            server.stop(Duration.ofSeconds(5));
        }
    }
}
