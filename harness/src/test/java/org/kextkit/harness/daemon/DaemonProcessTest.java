package org.kextkit.harness.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kextkit.harness.config.KextkitConfig;
import org.kextkit.harness.daemon.client.KernelClient;

/**
 * Boot a real daemon process the way {@code kextkit boot} does and talk to it with real client
 * processes. The kernel is {@link StatusOnlyKernelHost}: this pins the process machinery, not a kernel.
 */
class DaemonProcessTest {
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    private static final String CLASS_PATH = System.getProperty("java.class.path");

    @TempDir
    Path tmp;

    private Path socket;

    @BeforeEach
    void chooseSocket() {
        socket = tmp.resolve("run/kernel.sock");
    }

    /**
     * Kill any daemon this test started, whatever happened: a daemon stays this JVM's child ({@code setsid}
     * replaces itself with java), and its command line names this test's socket.
     */
    @AfterEach
    void killLeftoverDaemons() {
        ProcessHandle.current().children()
                .filter(p -> p.info().commandLine().orElse("").contains(socket.toString()))
                .forEach(p -> {
                    p.destroyForcibly();
                    p.onExit().orTimeout(10, TimeUnit.SECONDS).join();
                });
    }

    private DaemonLauncher launcher(KextkitConfig config) {
        Properties clientProps = new Properties();
        clientProps.setProperty("java.io.tmpdir", tmp.toString());
        clientProps.setProperty("user.name", "ada");
        return new DaemonLauncher(config).kernelFactory(StatusOnlyKernelHost.Factory.class.getName())
                .classPath(CLASS_PATH).clientEnvironment(Map.of(), clientProps);
    }

    /** Run the fast client as its own process, the way bin/kextkit does, with the socket in KEXTKIT_SOCKET. */
    private ProcessRun client(String... argv) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(JAVA, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp",
                CLASS_PATH, KernelClient.class.getName()));
        cmd.addAll(List.of(argv));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("KEXTKIT_SOCKET", socket.toString());
        return ProcessRun.of(pb, tmp);
    }

    @Test
    void bootStatusAndShutdownAcrossRealProcesses() throws Exception {
        KextkitConfig config = TestConfigs.withSocket(socket, "boot-args=-x kextlog=0xfff", "daemon.boot-timeout=30");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int bootStatus = launcher(config).boot(new PrintWriter(out), new PrintWriter(err));
        assertEquals(0, bootStatus, err.toString());
        long pid = Long.parseLong(Files.readString(tmp.resolve("run/kernel.pid")).trim());
        assertEquals("Hosted kernel booted (pid " + pid + ", kernel version 25.1.0, socket " + socket + ").\n",
                out.toString());
        assertTrue(err.toString().startsWith("Notice: kextstat and the other fast commands look for the kernel at "
                + tmp.resolve("kextkit-ada/kernel.sock") + " (they read only KEXTKIT_SOCKET and -Dkextkit.socket, and "
                + "kextkit.socket here comes from the command line (--set kextkit.socket))."), err.toString());
        assertTrue(err.toString().endsWith("Run: export KEXTKIT_SOCKET=" + socket + "\n"), err.toString());
        assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));

        ProcessRun status = client("status");
        assertEquals(0, status.exit(), status.err());
        assertTrue(status.out().startsWith("Hosted kernel running.\npid:            " + pid + "\n"), status.out());
        assertTrue(status.out().contains("boot-args:      -x kextlog=0xfff\n"), status.out());
        assertTrue(status.out().contains("kernel:         status only (no kext loader plugged in)\n"), status.out());
        assertTrue(Files.readString(tmp.resolve("run/kernel.log")).contains("hosted kernel serving on " + socket));

        DaemonException again = assertThrows(DaemonException.class, () -> launcher(config).boot());
        assertEquals(ExitStatus.ALREADY_RUNNING, again.exitStatus());
        assertEquals("kextkit: a hosted kernel is already running (pid " + pid + ", socket " + socket + ").\n"
                + "Stop it with: bin/kextkit shutdown", again.getMessage());

        ProcessRun kextstat = client("kextstat");
        assertEquals(ExitStatus.UNAVAILABLE, kextstat.exit());
        assertTrue(kextstat.err().startsWith("kextkit: kextstat is not available: this hosted kernel runs without a "
                + "kext loader (status only).\n"), kextstat.err());

        ProcessRun shutdown = client("shutdown");
        assertEquals(0, shutdown.exit(), shutdown.err());
        assertTrue(shutdown.out().startsWith("Hosted kernel shut down (pid " + pid + ", up "), shutdown.out());
        assertFalse(Files.exists(socket), "socket removed");
        assertTrue(ProcessHandle.of(pid).map(p -> p.onExit().orTimeout(10, TimeUnit.SECONDS).join())
                .map(p -> !p.isAlive()).orElse(true), "daemon process exited");

        ProcessRun after = client("status");
        assertEquals(ExitStatus.NO_KERNEL, after.exit());
        assertEquals("kextkit: no hosted kernel is running (no socket at " + socket + ").\n"
                + "Start one with: bin/kextkit boot\n", after.err());
    }

    @Test
    void aKernelThatFailsToBootIsReportedWithTheEndOfItsLog() throws IOException {
        KextkitConfig config = TestConfigs.withSocket(socket);
        DaemonLauncher launcher = launcher(config).kernelFactory("org.example.NoSuchKernelFactory");

        DaemonException e = assertThrows(DaemonException.class, launcher::boot);

        assertEquals(ExitStatus.NO_KERNEL, e.exitStatus());
        assertTrue(e.getMessage().startsWith("kextkit: the hosted kernel exited during boot with status 70. The end of "
                + tmp.resolve("run/kernel.log") + ":\n"), e.getMessage());
        assertTrue(e.getMessage().contains("kextkit: the hosted kernel failed to boot: "
                + "java.lang.ClassNotFoundException: org.example.NoSuchKernelFactory"), e.getMessage());
        assertFalse(Files.exists(socket));
        assertFalse(Files.exists(tmp.resolve("run/kernel.pid")), "the failed daemon released its claim");
    }
}
