package org.kextkit.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kextkit.harness.check.Checks;
import org.kextkit.harness.check.CodeSite;
import org.kextkit.harness.check.Finding;
import org.kextkit.harness.check.RelatedSite;
import org.kextkit.harness.check.Severity;
import org.kextkit.harness.cli.support.CliResult;
import org.kextkit.harness.cli.support.DiskKextInspector;
import org.kextkit.harness.cli.support.Kexts;
import org.kextkit.harness.cli.support.World;

/** kextutil prints or writes the kernel's findings after loading and exits 12 when they stand. */
class KextutilFindingsTest {
    @TempDir
    Path tmp;

    private World world;

    @BeforeEach
    void setUp() {
        world = new World(tmp, DiskKextInspector::linkUnlessEmptyExecutable);
        Kexts.kext("Foo.kext").id("com.example.Foo").version("1.0").executable("Foo")
                .library("com.apple.kpi.libkern", "8.0").writeTo(world.work());
    }

    private static Finding lockHeld() {
        CodeSite start = new CodeSite("com.example.Foo", "start", "Foo.java", 12);
        return new Finding(Checks.LCK_HELD, Severity.ERROR, "com.example.Foo", "1.0",
                "Lock \"mLock\" is still held when Foo.start returns to the kernel.", start,
                List.of(new RelatedSite("acquired", new CodeSite("com.example.Foo", "init", "Foo.java", 5))), "THREAD");
    }

    @Test
    void aCleanLoadPrintsNothingAndSucceeds() {
        CliResult r = world.run("kextutil", "Foo.kext");
        assertEquals(0, r.status(), r.toString());
        assertEquals("", r.out());
    }

    @Test
    void standingFindingsArePrintedAsTextAndExitTwelve() {
        world.kernel().checks().report(lockHeld());
        CliResult r = world.run("kextutil", "Foo.kext");
        assertEquals(KextutilCommand.EXIT_FINDINGS, r.status(), r.toString());
        assertEquals("""
                kextkit checks: 1 finding (1 error) in 1 kext

                com.example.Foo 1.0: 1 finding
                  LCK-HELD error: lock still held when an entry point returns to the kernel
                    Lock "mLock" is still held when Foo.start returns to the kernel.
                    at com.example.Foo.start(Foo.java:12)
                    acquired at com.example.Foo.init(Foo.java:5)
                    context THREAD; see docs/checks.md#lck-held
                """, r.out());
    }

    @Test
    void aSuppressionWithAReasonMakesTheRunCleanButStillListsTheFinding() throws Exception {
        world.kernel().checks().report(lockHeld());
        CliResult r = world.run("kextutil", "--suppress", "LCK-HELD@com.example.Foo#start=stop releases it",
                "--report", "json=out/findings.json", "Foo.kext");
        assertEquals(0, r.status(), r.toString());
        assertEquals("", r.out());
        String json = Files.readString(world.work().resolve("out/findings.json"));
        assertTrue(json.contains("\"reason\": \"stop releases it\""), json);
        assertTrue(json.contains("\"findings\": []"), json);
    }

    @Test
    void aDisabledCheckIsNotReported() {
        world.kernel().checks().report(lockHeld());
        CliResult r = world.run("kextutil", "--disable-check", "LCK-HELD,MEM-4", "Foo.kext");
        assertEquals(0, r.status(), r.toString());
        assertEquals("", r.out());
    }

    @Test
    void reportsGoToEveryNamedFileAndStandardOutput() throws Exception {
        world.kernel().checks().report(lockHeld());
        CliResult r = world.run("kextutil", "--report", "sarif=k.sarif", "--report", "junit=k.xml", "--report",
                "text=-", "Foo.kext");
        assertEquals(KextutilCommand.EXIT_FINDINGS, r.status(), r.toString());
        assertTrue(r.out().startsWith("kextkit checks: 1 finding"), r.out());
        assertTrue(Files.readString(world.work().resolve("k.sarif")).contains("\"ruleId\": \"LCK-HELD\""));
        assertTrue(Files.readString(world.work().resolve("k.xml")).contains("<failure type=\"LCK-HELD error\""));
    }

    @Test
    void aCleanRunStillWritesTheRequestedReports() throws Exception {
        CliResult r = world.run("kextutil", "--report", "junit=k.xml", "Foo.kext");
        assertEquals(0, r.status(), r.toString());
        String xml = Files.readString(world.work().resolve("k.xml"));
        assertTrue(xml.contains("<testsuite name=\"com.example.Foo\" tests=\"" + Checks.all().size()
                + "\" failures=\"0\""), xml);
    }

    @Test
    void badCheckOptionsAreUsageErrorsNamingTheOptionAndNearMatches() {
        CliResult r = world.run("kextutil", "--disable-check", "LCK-HLD", "Foo.kext");
        assertEquals(ExitCodes.EX_USAGE, r.status());
        assertTrue(r.err().contains("Invalid --disable-check LCK-HLD: unknown check id \"LCK-HLD\" in \"LCK-HLD\": "
                + "did you mean LCK-HELD?"), r.err());
        r = world.run("kextutil", "--suppress", "LCK-HELD", "Foo.kext");
        assertEquals(ExitCodes.EX_USAGE, r.status());
        assertTrue(r.err().contains("Invalid --suppress LCK-HELD: suppression \"LCK-HELD\" has no reason"), r.err());
        r = world.run("kextutil", "--report", "xml=k.xml", "Foo.kext");
        assertEquals(ExitCodes.EX_USAGE, r.status());
        assertTrue(r.err().contains("Invalid --report xml=k.xml: expected FORMAT=FILE"), r.err());
        assertTrue(world.kernel().requests().isEmpty());
    }

    @Test
    void anUnwritableReportFileIsItsOwnExitStatus() throws Exception {
        Files.createDirectories(world.work().resolve("dir"));
        CliResult r = world.run("kextutil", "--report", "json=dir", "Foo.kext");
        assertEquals(ExitCodes.EX_CANTCREAT, r.status(), r.toString());
        assertTrue(r.err().contains("Can't write the json report to "), r.err());
    }
}
