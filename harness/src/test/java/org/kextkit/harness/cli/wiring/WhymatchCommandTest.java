package org.kextkit.harness.cli.wiring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kextkit.harness.cli.CliContext;
import org.kextkit.harness.cli.KextkitCommand;
import org.kextkit.harness.cli.support.CliResult;
import org.kextkit.harness.config.ConfigLoader;
import org.kextkit.harness.config.KextkitConfig;
import org.kextkit.harness.iokit.FooDriverKexts;
import org.kextkit.harness.lifecycle.HostedKernel;

/** {@code kextkit whymatch} and {@code kextunload -p/-c} against a kernel with a bus and driver kexts. */
class WhymatchCommandTest {
    @TempDir
    Path dir;
    HostedKernel kernel;
    CliContext context;

    @BeforeEach
    void boot() {
        Properties props = new Properties();
        props.setProperty("user.home", dir.toString());
        props.setProperty("user.name", "kextkit-test");
        props.setProperty("java.io.tmpdir", dir.toString());
        KextkitConfig config = new ConfigLoader().noUserFile().environment(Map.of()).systemProperties(props).load();
        kernel = FooDriverKexts.bootWithTestBus();
        context = KextkitServices.context(config, new HostedKernelPort(kernel), false);
    }

    @AfterEach
    void shutdown() {
        kernel.shutdown();
    }

    private CliResult run(String... argv) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = KextkitCommand.run(List.of(argv), dir, new PrintWriter(out), new PrintWriter(err), context);
        return new CliResult(status, out.toString(), err.toString());
    }

    private Path extensions() {
        Path folder = dir.resolve("Extensions");
        FooDriverKexts.write(folder, false);
        return folder;
    }

    @Test
    void explainsAStartedDriverKeyByKeyWithTheLastMatching() {
        kernel.addRepository(extensions());

        CliResult result = run("whymatch", FooDriverKexts.DRIVER_ID, "device@0");

        assertEquals(0, result.status(), result.err());
        String out = result.out();
        assertTrue(out.startsWith("Kext: com.example.FooDriver\nMatching for device@0 (TestBusNub : IOService) at "
                + "IOService:/SimMachine/TestBusController/device@0, id 0x"), out);
        assertTrue(out.contains("\ncom.example.FooDriver \"Foo\"\n"
                + "  matched, score 1000, rank 1 of 1 in category IODefaultMatchCategory (starts first)\n"
                + "    pass  IOProviderClass  TestBusNub: the nub is a TestBusNub (TestBusNub : IOService)\n"), out);
        assertTrue(out.contains("Last matching of the nub:\n* com.example.FooDriver \"Foo\" com_example_foo_FooDriver"
                + " (IODefaultMatchCategory, score 1000): started - com_example_foo_FooDriver started on device@0 <class TestBusNub>\n"),
                out);
    }

    @Test
    void aKextPathIsReadAndItsPersonalitiesSentBeforeTheExplanation() {
        Path folder = extensions();
        kernel.addKext(folder.resolve("FooLib.kext"));

        CliResult result = run("whymatch", "Extensions/FooDriver.kext", "IOService:/SimMachine/TestBusController/device@1");

        assertEquals(0, result.status(), result.err());
        assertTrue(result.out().contains(": started - "), result.out());
        assertTrue(kernel.loadedKext(FooDriverKexts.DRIVER_ID).isPresent(), "the winning personality loaded its kext");
    }

    @Test
    void namesWhatIsMissingWhenTheNubOrPersonalityDoesNotExist() {
        kernel.addRepository(extensions());

        CliResult noNub = run("whymatch", FooDriverKexts.DRIVER_ID, "wifi@3");
        assertEquals(1, noNub.status());
        assertEquals("whymatch: no service in the registry is named wifi@3\n", noNub.err());

        CliResult noPersonality = run("whymatch", "-p", "Bar", FooDriverKexts.DRIVER_ID, "device@0");
        assertEquals(1, noPersonality.status());
        assertEquals("whymatch: com.example.FooDriver has no personality named \"Bar\"; it has \"Foo\".\n", noPersonality.err());

        CliResult noKext = run("whymatch", "com.example.Nothing", "device@0");
        assertEquals(1, noKext.status());
        assertTrue(noKext.err().startsWith("whymatch: no kext with bundle identifier com.example.Nothing is known"), noKext.err());
    }

    @Test
    void theDaemonRefusesOwnKernel() {
        CliResult result = run("whymatch", "--own-kernel", FooDriverKexts.DRIVER_ID, "device@0");
        assertEquals(64, result.status());
        assertTrue(result.err().contains("--own-kernel is for the command line run in its own process"), result.err());
    }

    @Test
    void kextunloadTerminatesServicesByKextOrByClass() {
        kernel.addRepository(extensions());

        CliResult personalities = run("kextunload", "-p", "-b", FooDriverKexts.DRIVER_ID);
        assertEquals(0, personalities.status(), personalities.err());
        assertTrue(kernel.loadedKext(FooDriverKexts.DRIVER_ID).isPresent());
        assertTrue(kernel.iokit().findService("device@0").service().getClients().isEmpty());

        CliResult byClass = run("kextunload", "-c", "TestBusNub");
        assertEquals(0, byClass.status(), byClass.err());
        assertTrue(kernel.iokit().findService("device@0").service() == null);
    }
}
