package com.example.buggy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kextkit.harness.cli.KextcheckCommand;
import org.kextkit.harness.cli.KextkitCommand;
import org.kextkit.harness.cli.wiring.InProcessContextProvider;
import org.kextkit.harness.config.ConfigLoader;
import org.kextkit.harness.config.KextkitConfig;

/**
 * {@code kextkit kextcheck} over the whole buggy corpus and the clean samples, on the default machine
 * with the PCI family: every buggy kext is reported with its defect's check (and a panic where the
 * defect panics), every clean sample is clean, and one SARIF run holds every kext's findings.
 */
class KextcheckCorpusTest {
    @TempDir
    Path tmp;

    private static Path clean(String module, String name) {
        return Path.of(System.getProperty("clean.samples", ".."), module, "target", name + ".kext").toAbsolutePath();
    }

    @Test
    void theBuggyCorpusIsReportedKextByKextAndTheCleanSamplesAreClean() throws Exception {
        Path buggy = Path.of(System.getProperty("buggy.kexts", "target/kexts")).toAbsolutePath();
        Properties props = new Properties();
        props.setProperty("user.home", tmp.toString());
        props.setProperty("user.name", "kextkit-test");
        props.setProperty("java.io.tmpdir", tmp.toString());
        KextkitConfig config = new ConfigLoader().noUserFile().environment(Map.of()).systemProperties(props)
                .commandLine(List.of("kextkit.extensions=")).load();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> argv = new ArrayList<>(List.of("kextcheck", "--report", "sarif=kextcheck.sarif",
                "-d", clean("hello-lib", "HelloLib").toString(), buggy.toString(),
                clean("echo-driver", "EchoDriver").toString(), clean("nic-driver", "NicDriver").toString(),
                clean("hello-kext", "HelloKext").toString()));
        int status = KextkitCommand.run(argv, tmp, new PrintWriter(out), new PrintWriter(err),
                InProcessContextProvider.context(config));
        String shown = "status " + status + "\n--- stdout ---\n" + out + "--- stderr ---\n" + err;

        assertEquals(KextcheckCommand.EXIT_FINDINGS, status, shown);
        int total = BuggyCorpusTest.Defect.values().length + 3;
        long panics = java.util.Arrays.stream(BuggyCorpusTest.Defect.values()).filter(d -> d.panics).count();
        assertTrue(out.toString().endsWith(total + " kexts: 3 clean, " + (total - 3 - panics) + " with findings, " + panics
                + " panicked, 0 could not load, 0 harness errors\n"), shown);
        String sarif = Files.readString(tmp.resolve("kextcheck.sarif"));
        assertEquals(1, sarif.split("\"tool\":", -1).length - 1, "one SARIF run");
        for (BuggyCorpusTest.Defect defect : BuggyCorpusTest.Defect.values()) {
            Matcher row = Pattern.compile("(?m)^" + Pattern.quote(defect.bundleId()) + " .*$").matcher(out.toString());
            assertTrue(row.find(), defect.bundleId() + " has a summary row:\n" + shown);
            String line = row.group();
            assertTrue(line.matches(".* \\d+ findings?(, kernel panic \\(.+\\))?"), line);
            assertEquals(defect.panics, line.contains("kernel panic ("), line);
            assertTrue(sarif.contains("\"ruleId\": \"" + defect.checkId + "\""), defect.checkId + " in the SARIF run");
            assertTrue(err.toString().contains("] " + defect.bundleId() + " ... "), err.toString());
        }
        for (String id : List.of("org.kextkit.sample.EchoDriver", "org.kextkit.sample.NicDriver", "org.kextkit.sample.HelloKext")) {
            assertTrue(Pattern.compile("(?m)^" + Pattern.quote(id) + " .* 0 +0 +0  clean$").matcher(out.toString()).find(),
                    id + " is clean:\n" + shown);
        }
    }
}
