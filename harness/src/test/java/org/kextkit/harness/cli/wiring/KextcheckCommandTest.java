package org.kextkit.harness.cli.wiring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kextkit.harness.testing.TestKexts.identity;
import static org.kextkit.harness.testing.TestKexts.libraries;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kextkit.harness.cli.ExitCodes;
import org.kextkit.harness.cli.KextcheckCommand;
import org.kextkit.harness.cli.KextkitCommand;
import org.kextkit.harness.cli.support.CliResult;
import org.kextkit.harness.config.ConfigLoader;
import org.kextkit.harness.config.KextkitConfig;
import org.kextkit.harness.testing.TestKexts;

/**
 * {@code kextkit kextcheck} as {@code bin/kextkit} runs it: each kext of a folder in a kernel of its
 * own, progress on stderr, the summary table on stdout, one combined report, and the exit status.
 */
class KextcheckCommandTest {
    private static final String KPIS = libraries("com.apple.kpi.iokit", "8.0.0", "com.apple.kpi.libkern", "8.0.0");

    @TempDir
    Path tmp;

    private Path kexts;

    @BeforeEach
    void writeKexts() throws Exception {
        kexts = Files.createDirectories(tmp.resolve("kexts"));
        // A driver that starts on IOResources, sleeps, wakes and stops cleanly.
        TestKexts.write(kexts, "Clean", identity("com.example.Clean", "Clean", "1.0.0") + KPIS
                + personality("com_example_clean_CleanDriver", "com.example.Clean"),
                Map.of("com.example.clean.CleanDriver", """
                        package com.example.clean;
                        import org.kextkit.kit.iokit.IOService;
                        import static org.kextkit.kit.iokit.IOLib.IOLog;
                        public class CleanDriver extends IOService {
                            @Override public boolean start(IOService provider) {
                                if (!super.start(provider)) return false;
                                IOLog("CleanDriver: started");
                                return true;
                            }
                        }
                        """), null);
        // A kext whose start routine prints with a user-space API (API-USER).
        TestKexts.write(kexts, "Buggy", identity("com.example.Buggy", "Buggy", "2.1.0") + KPIS,
                Map.of("com.example.buggy.Module", """
                        package com.example.buggy;
                        import org.kextkit.kit.libkern.*;
                        public final class Module implements KextModule {
                            @Override public int start(KmodInfo kmodInfo, Object data) {
                                System.out.println("Buggy: started");
                                return KernReturn.KERN_SUCCESS;
                            }
                            @Override public int stop(KmodInfo kmodInfo, Object data) { return KernReturn.KERN_SUCCESS; }
                        }
                        """), "com.example.buggy.Module");
        // A kext that declares a library nobody has.
        TestKexts.write(kexts, "Unloadable", identity("com.example.Unloadable", "Unloadable", "1.0.0")
                + libraries("com.apple.kpi.libkern", "8.0.0", "com.example.Missing", "1.0"),
                Map.of("com.example.unloadable.Module", """
                        package com.example.unloadable;
                        import org.kextkit.kit.libkern.*;
                        public final class Module implements KextModule {
                            @Override public int start(KmodInfo kmodInfo, Object data) { return KernReturn.KERN_SUCCESS; }
                            @Override public int stop(KmodInfo kmodInfo, Object data) { return KernReturn.KERN_SUCCESS; }
                        }
                        """), "com.example.unloadable.Module");
        // A driver whose start frees its buffer twice: MEM-3, then the kernel panics.
        TestKexts.write(kexts, "Panicky", identity("com.example.Panicky", "Panicky", "1.0.0") + KPIS
                + personality("com_example_panicky_PanickyDriver", "com.example.Panicky"),
                Map.of("com.example.panicky.PanickyDriver", """
                        package com.example.panicky;
                        import org.kextkit.kit.iokit.IOService;
                        import static org.kextkit.kit.iokit.IOLib.*;
                        public class PanickyDriver extends IOService {
                            @Override public boolean start(IOService provider) {
                                if (!super.start(provider)) return false;
                                var buffer = IOMallocZero(64);
                                IOFree(buffer, 64);
                                IOFree(buffer, 64);
                                return true;
                            }
                        }
                        """), null);
    }

    private static String personality(String ioClass, String category) {
        return "<key>IOKitPersonalities</key><dict>\n"
                + "<key>Driver</key><dict><key>IOClass</key><string>" + ioClass + "</string>"
                + "<key>IOProviderClass</key><string>IOResources</string>"
                + "<key>IOResourceMatch</key><string>IOKit</string>"
                + "<key>IOMatchCategory</key><string>" + category + "</string></dict>\n"
                + "</dict>\n";
    }

    private CliResult run(String... argv) {
        Properties props = new Properties();
        props.setProperty("user.home", tmp.toString());
        props.setProperty("user.name", "kextkit-test");
        props.setProperty("java.io.tmpdir", tmp.toString());
        KextkitConfig config = new ConfigLoader().noUserFile().environment(Map.of()).systemProperties(props)
                .commandLine(List.of("kextkit.extensions=")).load();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> line = new java.util.ArrayList<>(List.of("kextcheck"));
        if (!List.of(argv).contains("--isolation")) {
            // The command's behaviour is the same in both modes; KextcheckIsolationTest covers the workers.
            line.addAll(List.of("--isolation", "kernel"));
        }
        line.addAll(List.of(argv));
        int status = KextkitCommand.run(line, tmp, new PrintWriter(out), new PrintWriter(err),
                InProcessContextProvider.context(config));
        return new CliResult(status, out.toString(), err.toString());
    }

    @Test
    void aFolderIsCheckedKextByKextWithProgressSummaryReportsAndTheWorstStatus() throws Exception {
        CliResult r = run("--isolation", "process", "--report", "sarif=out/kextcheck.sarif", "--report", "junit=out/kextcheck.xml",
                "--report", "json=out/kextcheck.json", "kexts");

        assertEquals(KextcheckCommand.EXIT_NOT_LOADED, r.status(), r.toString());
        String[] progress = r.err().split("\n");
        assertEquals(4, progress.length, r.err());
        assertEquals("[1/4] com.example.Buggy ... 1 finding", progress[0]);
        assertEquals("[2/4] com.example.Clean ... clean", progress[1]);
        assertTrue(progress[2].startsWith("[3/4] com.example.Panicky ... 2 findings, kernel panic ("), progress[2]);
        assertTrue(progress[3].startsWith("[4/4] com.example.Unloadable ... could not load (dependency resolution"),
                progress[3]);
        assertTrue(progress[3].contains("com.example.Missing"), progress[3]);

        String[] summary = r.out().split("\n");
        assertEquals(6, summary.length, r.out());
        assertTrue(summary[0].matches("Kext +Version +Errors +Warnings +Notes +Result"), summary[0]);
        assertTrue(summary[1].matches("com\\.example\\.Buggy +2\\.1\\.0 +1 +0 +0 +1 finding"), summary[1]);
        assertTrue(summary[2].matches("com\\.example\\.Clean +1\\.0\\.0 +0 +0 +0 +clean"), summary[2]);
        assertTrue(summary[3].matches("com\\.example\\.Panicky +1\\.0\\.0 +2 +0 +0 +2 findings, kernel panic \\(.+\\)"),
                summary[3]);
        assertTrue(summary[4].matches("com\\.example\\.Unloadable +1\\.0\\.0 +0 +0 +0 +could not load \\(.+\\)"), summary[4]);
        assertEquals("4 kexts: 1 clean, 1 with findings, 1 panicked, 1 could not load, 0 harness errors", summary[5]);
        assertEquals(summary[0].indexOf("Result"), summary[2].indexOf("clean"), "the columns line up");

        String sarif = Files.readString(tmp.resolve("out/kextcheck.sarif"));
        assertEquals(1, sarif.split("\"tool\":", -1).length - 1, "one run: " + sarif);
        assertTrue(sarif.contains("\"ruleId\": \"API-USER\""), sarif);
        assertTrue(sarif.contains("\"ruleId\": \"MEM-3\""), sarif);
        assertTrue(sarif.contains("\"ruleId\": \"PANIC\""), "the panic is a result too: " + sarif);
        assertTrue(sarif.contains("\"exitCode\": 6"), sarif);
        String junit = Files.readString(tmp.resolve("out/kextcheck.xml"));
        assertTrue(junit.contains("<testsuite name=\"com.example.Clean\""), junit);
        assertTrue(junit.contains("<testsuite name=\"com.example.Buggy\""), junit);
        assertFalse(junit.contains("com.example.Unloadable"), "a kext that never ran has no test suite: " + junit);
        String json = Files.readString(tmp.resolve("out/kextcheck.json"));
        assertTrue(json.contains("com.example.Panicky"), json);
    }

    @Test
    void aCleanKextExitsZeroAndFindingsTwelveWithTheFindingsPrintedAsText() {
        CliResult clean = run("kexts/Clean.kext");
        assertEquals(0, clean.status(), clean.toString());
        assertEquals("[1/1] com.example.Clean ... clean\n", clean.err());
        assertTrue(clean.out().endsWith("1 kext: 1 clean, 0 with findings, 0 could not load, 0 harness errors\n"), clean.out());

        CliResult buggy = run("--exercise", "none", "kexts/Buggy.kext", "kexts/Clean.kext");
        assertEquals(KextcheckCommand.EXIT_FINDINGS, buggy.status(), buggy.toString());
        assertTrue(buggy.out().startsWith("kextkit checks: 1 finding (1 error) in 2 kexts\n"), buggy.out());
        assertTrue(buggy.out().contains("  API-USER error: "), buggy.out());
        assertTrue(buggy.out().endsWith("2 kexts: 1 clean, 1 with findings, 0 could not load, 0 harness errors\n"),
                buggy.out());
    }

    @Test
    void disabledAndSuppressedChecksDoNotCount() throws Exception {
        CliResult disabled = run("--disable-check", "API-USER", "kexts/Buggy.kext");
        assertEquals(0, disabled.status(), disabled.toString());
        assertEquals("[1/1] com.example.Buggy ... clean\n", disabled.err());

        CliResult suppressed = run("--suppress", "API-USER:com.example.Buggy=logging goes to a test console",
                "--report", "json=s.json", "kexts/Buggy.kext");
        assertEquals(0, suppressed.status(), suppressed.toString());
        assertTrue(Files.readString(tmp.resolve("s.json")).contains("\"reason\": \"logging goes to a test console\""));
    }

    @Test
    void aPanicInOneKextDoesNotStopTheBatchNorReachTheNext() {
        CliResult r = run("kexts/Panicky.kext", "kexts/Clean.kext");
        assertEquals(KextcheckCommand.EXIT_FINDINGS, r.status(), r.toString());
        assertTrue(r.err().contains("[2/2] com.example.Clean ... clean\n"), r.err());

        CliResult verbose = run("-v", "kexts/Panicky.kext");
        assertTrue(verbose.err().contains("    panic(cpu "), verbose.err());
    }

    @Test
    void badCommandLinesAndMissingInputsAreReportedPlainly() throws Exception {
        CliResult none = run();
        assertEquals(ExitCodes.EX_USAGE, none.status());
        assertTrue(none.err().startsWith("No kernel extensions specified"), none.err());

        CliResult missing = run("nowhere");
        assertEquals(ExitCodes.EX_NOINPUT, missing.status());
        assertEquals("Can't stat nowhere - No such file or directory.\n", missing.err());

        Files.createDirectories(tmp.resolve("empty"));
        CliResult empty = run("empty");
        assertEquals(ExitCodes.EX_NOINPUT, empty.status());
        assertEquals("No kernel extensions found in empty.\n", empty.err());

        CliResult isolation = run("--isolation", "vm", "kexts");
        assertEquals(ExitCodes.EX_USAGE, isolation.status());
        assertTrue(isolation.err().startsWith("Invalid --isolation vm: expected process or kernel."), isolation.err());

        CliResult timeout = run("--timeout", "0", "kexts");
        assertEquals(ExitCodes.EX_USAGE, timeout.status());
        assertTrue(timeout.err().startsWith("Invalid --timeout 0: expected a whole number of seconds"), timeout.err());

        Files.writeString(tmp.resolve("notes.txt"), "x");
        CliResult file = run("notes.txt");
        assertEquals(ExitCodes.EX_USAGE, file.status());
        assertTrue(file.err().startsWith("notes.txt is neither a kext bundle, a zipped kext (.kext.zip) nor a folder"),
                file.err());

        CliResult exercise = run("--exercise", "reboot", "kexts");
        assertEquals(ExitCodes.EX_USAGE, exercise.status());
        assertTrue(exercise.err().startsWith("Invalid --exercise reboot: expected none or sleep-wake."), exercise.err());

        Files.writeString(tmp.resolve("machine.plist"), "not a plist");
        CliResult machine = run("--machine", "machine.plist", "kexts");
        assertEquals(ExitCodes.EX_CONFIG, machine.status(), machine.toString());
        assertTrue(machine.err().startsWith("kextcheck: Invalid machine description "), machine.err());
        assertFalse(machine.err().contains("\tat "), "no stack trace");
    }

    @Test
    void anUnreadableBundleInAFolderCouldNotLoad() throws Exception {
        Path broken = Files.createDirectories(kexts.resolve("Broken.kext/Contents"));
        Files.writeString(broken.resolve("Info.plist"), "<plist><dict><key>oops</dict>");
        CliResult r = run("kexts");
        assertEquals(KextcheckCommand.EXIT_NOT_LOADED, r.status(), r.toString());
        assertTrue(r.err().startsWith("[1/5] Broken.kext ... could not load ("), r.err());
        assertTrue(r.out().contains("\nBroken.kext "), r.out());
    }
}
