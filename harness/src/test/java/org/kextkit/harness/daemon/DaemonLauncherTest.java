package org.kextkit.harness.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DaemonLauncherTest {
    @TempDir
    Path tmp;

    @Test
    void relativeClassPathEntriesAreMadeAbsoluteBecauseTheDaemonRunsElsewhere() {
        Path cwd = Path.of("").toAbsolutePath();

        String cp = DaemonLauncher.absoluteClassPath("harness/target/k.jar:/opt/lib/a.jar:lib/*");

        assertEquals(cwd.resolve("harness/target/k.jar") + ":/opt/lib/a.jar:" + cwd.resolve("lib") + "/*", cp);
    }

    @Test
    void theCommandRunsKernelDaemonWithTheWholeSnapshot() {
        DaemonLauncher launcher = new DaemonLauncher(TestConfigs.withSocket(tmp.resolve("run/kernel.sock"),
                "daemon.java-options=-Xmx64m", "boot-args=-v"))
                .javaExecutable(Path.of("/jdk/bin/java")).classPath("/k.jar").kernelFactory("com.example.Factory");

        List<String> cmd = launcher.command();

        int java = cmd.indexOf("/jdk/bin/java");
        assertTrue(java >= 0, cmd.toString());
        // kextkit's default options first, the configured ones after them, so the configured ones win
        assertEquals(List.of("/jdk/bin/java", "-XX:TieredStopAtLevel=1", "-Xmx64m", "-cp", "/k.jar",
                KernelDaemon.class.getName()), cmd.subList(java, java + 6));
        assertTrue(cmd.containsAll(List.of("--set", "kextkit.boot-args=-v", "kextkit.socket=" + tmp.resolve(
                "run/kernel.sock"))), cmd.toString());
        assertEquals(List.of("--kernel-factory", "com.example.Factory"), cmd.subList(cmd.size() - 2, cmd.size()));
    }

    @Test
    void theFastClientsSocketComesFromItsOwnEnvironment() {
        Properties props = new Properties();
        props.setProperty("java.io.tmpdir", "/var/tmp");
        props.setProperty("user.name", "ada");
        DaemonLauncher launcher = new DaemonLauncher(TestConfigs.withSocket(tmp.resolve("run/kernel.sock")));

        assertEquals(Path.of("/var/tmp/kextkit-ada/kernel.sock"),
                launcher.clientEnvironment(Map.of(), props).clientSocket());
        assertEquals(Path.of("/x/k.sock"),
                launcher.clientEnvironment(Map.of("KEXTKIT_SOCKET", "/x/k.sock"), props).clientSocket());
    }
}
