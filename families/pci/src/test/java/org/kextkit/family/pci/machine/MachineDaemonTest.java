package org.kextkit.family.pci.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kextkit.harness.cli.Main;
import org.kextkit.harness.daemon.client.KernelClient;
import org.kextkit.harness.daemon.client.SocketLocator;

/**
 * {@code kextkit boot --machine FILE} run as its own process, as {@code bin/kextkit boot} runs it, with
 * the PCI family on the class path: the daemon boots the file's machine, and {@code status},
 * {@code ioreg -l} and {@code whymatch} sent to it answer from that machine.
 */
class MachineDaemonTest {
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    private static final String CLASS_PATH = System.getProperty("java.class.path");

    @TempDir
    Path tmp;

    private Path socket;

    record Run(int status, String out, String err) {
    }

    @BeforeEach
    void chooseSocket() {
        socket = tmp.resolve("run/kernel.sock");
    }

    /** Stop the daemon this test booted, if it still runs, by the pid it wrote beside its socket. */
    @AfterEach
    void stopDaemon() throws IOException {
        Path pidFile = SocketLocator.pidFile(socket);
        if (Files.exists(pidFile)) {
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            ProcessHandle.of(pid).filter(p -> p.info().commandLine().orElse("").contains(socket.toString()))
                    .ifPresent(p -> {
                        p.destroyForcibly();
                        p.onExit().orTimeout(10, TimeUnit.SECONDS).join();
                    });
        }
    }

    /** Run {@code kextkit ARGS} as bin/kextkit's full command line does, with no user file and a private home. */
    private Run kextkit(String... args) throws IOException, InterruptedException {
        Path config = Files.writeString(tmp.resolve("empty.properties"), "");
        List<String> cmd = new ArrayList<>(List.of(JAVA, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-Duser.home=" + tmp, "-cp", CLASS_PATH, Main.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile());
        pb.environment().put("KEXTKIT_CONFIG", config.toString());
        pb.environment().remove("KEXTKIT_SOCKET");
        pb.environment().remove("KEXTKIT_OPTS");
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        Process p = pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            assertTrue(p.waitFor(90, TimeUnit.SECONDS), "kextkit " + String.join(" ", args) + " finished");
            return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            p.destroyForcibly();
        }
    }

    /** Send a command to the daemon as bin/kextkit's fast client does. */
    private Run send(String... argv) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = KernelClient.forward(socket, List.of(argv), tmp, Map.of(), out, err);
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Path machineFile(String model) throws IOException {
        return Files.writeString(tmp.resolve("lab.plist"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <plist version="1.0">
                <dict>
                    <key>MachineName</key><string>LabBox</string>
                    <key>Model</key><string>kextkit7,1</string>
                    <key>Devices</key>
                    <array>
                        <dict><key>Family</key><string>PCI</string><key>Slot</key><integer>3</integer>
                              <key>Model</key><string>%s</string></dict>
                        <dict><key>Family</key><string>PCI</string><key>Slot</key><integer>4</integer>
                              <key>Model</key><string>echo-dma</string></dict>
                    </array>
                </dict>
                </plist>
                """.formatted(model), StandardCharsets.UTF_8);
    }

    @Test
    void theDaemonBootsTheMachineFileAndAnswersIoregAndWhymatchFromIt() throws Exception {
        machineFile("nic");
        Path kext = EchoDriverKext.write(tmp);

        Run boot = kextkit("boot", "--machine", "lab.plist", "--set", "socket=" + socket);
        assertEquals(0, boot.status(), boot.err());
        assertTrue(boot.out().startsWith("Hosted kernel booted (pid "), boot.out());

        Run status = send("status");
        assertEquals(0, status.status(), status.err());
        assertTrue(status.out().contains("\nmachine:        LabBox (model kextkit7,1, 2 devices) from "
                + tmp.resolve("lab.plist") + "\n"), status.out());

        Run ioreg = send("ioreg", "-l", "-w", "0");
        assertEquals(0, ioreg.status(), ioreg.err());
        String tree = ioreg.out().replaceAll("id 0x[0-9a-f]+", "id ID").replaceAll("retain \\d+", "retain N");
        assertTrue(tree.contains("""
                  +-o LabBox  <class IOPlatformExpertDevice, id ID, registered, matched, active, busy 0, retain N>
                  | | {
                  | |   "model" = "kextkit7,1"
                  | | }
                  | |\s
                  | +-o pci@0  <class IOPCIBridge, id ID, registered, matched, active, busy 0, retain N>
                """), tree);
        assertTrue(tree.contains("""
                  |   +-o ethernet@3  <class IOPCIDevice, id ID, registered, matched, active, busy 0, retain N>
                  |   |   {
                  |   |     "IOName" = "ethernet"
                """), tree);
        assertTrue(tree.contains("""
                  |   +-o pci1234,ed1@4  <class IOPCIDevice, id ID, registered, matched, active, busy 0, retain N>
                  |       {
                  |         "IOName" = "pci1234,ed1"
                """), tree);
        assertTrue(tree.contains("\"pcidebug\" = \"0:4:0\""), tree);

        Run engine = send("whymatch", kext.toString(), "pci1234,ed1@4");
        assertEquals(0, engine.status(), engine.err());
        assertTrue(engine.out().startsWith("Kext: com.example.EchoDriver\nMatching for pci1234,ed1@4 (IOPCIDevice : IOService) at "
                + "IOService:/LabBox/pci@0/pci1234,ed1@4, id 0x"), engine.out());
        assertTrue(engine.out().contains("\ncom.example.EchoDriver \"EchoEngine\"\n  matched, score 0, rank 1 of 1"), engine.out());
        assertTrue(engine.out().contains("    pass  IOPCIMatch "), engine.out());

        Run nic = send("whymatch", EchoDriverKext.BUNDLE_ID, "ethernet@3");
        assertEquals(0, nic.status(), nic.err());
        assertTrue(nic.out().contains("\ncom.example.EchoDriver \"EchoEngine\"\n  "), nic.out());
        assertFalse(nic.out().contains("\"EchoEngine\"\n  matched"), nic.out());
        assertTrue(nic.out().contains("    FAIL  IOPCIMatch       item '0x0ed11234' matches device/vendor 0x0e7e1234"), nic.out());

        Run shutdown = send("shutdown");
        assertEquals(0, shutdown.status(), shutdown.err());
        assertFalse(Files.exists(socket), "the daemon removed its socket");
    }

    @Test
    void kextloadOfADriverOnTheDefaultMachineShowsItAttachedToItsDeviceInIoreg() throws Exception {
        Path kext = EchoDriverKext.write(tmp);
        Run boot = kextkit("boot", "--set", "socket=" + socket);
        assertEquals(0, boot.status(), boot.err());

        Run load = send("kextload", kext.toString());
        assertEquals(0, load.status(), load.err());
        // Matching runs in the kernel after kextload answers (in real time, as on macOS): wait for the
        // driver, and for the nub's matching to settle (busy 0), which ends a little after start returns.
        Run ioreg = send("ioreg", "-l", "-w", "0", "-r", "-c", "IOPCIDevice");
        for (int tries = 0; tries < 100 && !(ioreg.out().contains("com_example_echodriver_EchoDriver")
                && !ioreg.out().matches("(?s).*busy [1-9].*")); tries++) {
            Thread.sleep(100);
            ioreg = send("ioreg", "-l", "-w", "0", "-r", "-c", "IOPCIDevice");
        }
        Run shutdown = send("shutdown");

        assertEquals(0, ioreg.status(), ioreg.err());
        String tree = ioreg.out().replaceAll("id 0x[0-9a-f]+", "id ID").replaceAll("retain \\d+", "retain N");
        assertTrue(tree.contains("+-o pci1234,ed1@1  <class IOPCIDevice, id ID, registered, matched, active, busy 0, retain N>\n"),
                tree);
        assertTrue(tree.contains("  +-o com_example_echodriver_EchoDriver  <class com_example_echodriver_EchoDriver, id ID, "
                + "!registered, !matched, active, busy 0, retain N>\n"), tree);
        assertTrue(tree.contains("\"CFBundleIdentifier\" = \"" + EchoDriverKext.BUNDLE_ID + "\"\n"), tree);
        assertTrue(tree.contains("\"IOProviderClass\" = \"IOPCIDevice\"\n"), tree);
        assertTrue(tree.contains("\"IOMatchCategory\" = \"IODefaultMatchCategory\"\n"), tree);
        assertEquals(0, shutdown.status(), shutdown.err());
    }

    @Test
    void aMissingMachineFileStopsBootBeforeAnyDaemonStarts() throws Exception {
        Run boot = kextkit("boot", "--machine", "nowhere.plist", "--set", "socket=" + socket);

        assertEquals(78, boot.status(), boot.err());
        assertEquals("kextkit boot: Invalid machine description " + tmp.resolve("nowhere.plist") + ": the machine "
                + "description file does not exist. Fix the file, or correct kextkit.machine (set in the command line "
                + "(--set kextkit.machine)).\n", boot.err());
        assertFalse(Files.exists(SocketLocator.logFile(socket)), "no daemon was started");
    }

    @Test
    void aModelThePciFamilyDoesNotKnowFailsBootWithTheConfigurationStatus() throws Exception {
        Path file = machineFile("sound-card");

        Run boot = kextkit("boot", "--machine", file.toString(), "--set", "socket=" + socket);

        assertEquals(78, boot.status(), boot.err());
        assertTrue(boot.err().startsWith("kextkit: the hosted kernel exited during boot with status 78."), boot.err());
        assertTrue(boot.err().contains("kextkit: Invalid machine description " + file + ": Devices[0].Model: "
                + "'sound-card' is not a built-in model"), boot.err());
        assertFalse(boot.err().contains("\tat "), "no stack trace: " + boot.err());
        assertFalse(Files.exists(socket));
    }
}
