package org.kextkit.harness.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class KernelFindingsTest {
    @Test
    void theSameCheckAtTheSameSiteIsOneFindingCountedTwiceKeepingTheFirstDetails() {
        KernelFindings k = new KernelFindings();
        Finding first = SampleFindings.lockHeld();
        Finding second = new Finding(first.checkId(), first.severity(), first.bundleId(), first.bundleVersion(),
                "a later message", first.primarySite(), List.of(), "PRIMARY_INTERRUPT");
        k.report(first);
        k.report(second);
        FindingsReport r = k.report();
        assertEquals(1, r.findings().size());
        assertEquals(2, r.findings().get(0).occurrences());
        assertEquals(first, r.findings().get(0).finding());
        assertEquals(List.of(first), k.list());
    }

    @Test
    void everyViolationIsKeptNotJustTheFirst() {
        KernelFindings k = new KernelFindings();
        k.report(SampleFindings.lockHeld());
        k.report(SampleFindings.doubleFree());
        Finding otherLine = new Finding(Checks.LCK_HELD, Severity.ERROR, "com.example.driver", "1.2.0", "m",
                SampleFindings.site("start", 43), List.of(), "THREAD");
        k.report(otherLine);
        Finding otherKext = new Finding(Checks.LCK_HELD, Severity.ERROR, "com.example.other", "1.0", "m",
                SampleFindings.site("start", 42), List.of(), "THREAD");
        k.report(otherKext);
        assertEquals(4, k.list().size());
        assertFalse(k.isEmpty());
    }

    @Test
    void aDisabledCheckReportsNothing() {
        KernelFindings k = new KernelFindings(CheckSettings.of(List.of("lck-held"), List.of()));
        assertFalse(k.isEnabled(Checks.LCK_HELD));
        assertTrue(k.isEnabled(Checks.MEM_3));
        k.report(SampleFindings.lockHeld());
        assertTrue(k.isEmpty());
        assertTrue(k.report().suppressed().isEmpty());
    }

    @Test
    void aSuppressedFindingIsKeptApartWithItsReason() {
        Suppression s = Suppression.parse("LCK-HELD:com.example.driver@com.example.driver.Driver#start=stop releases it");
        KernelFindings k = new KernelFindings(CheckSettings.of(List.of(), List.of(s)));
        k.report(SampleFindings.lockHeld());
        k.report(SampleFindings.lockHeld());
        k.report(SampleFindings.doubleFree());
        FindingsReport r = k.report();
        assertEquals(List.of(SampleFindings.doubleFree()), k.list());
        assertEquals(1, r.suppressed().size());
        assertEquals(2, r.suppressed().get(0).occurrences());
        assertEquals("stop releases it", r.suppressed().get(0).suppression().reason());
    }

    @Test
    void suppressionsMatchByKextClassNestedClassAndMethod() {
        Finding f = SampleFindings.lockHeld();
        assertTrue(Suppression.parse("LCK-HELD=why").matches(f));
        assertTrue(Suppression.parse("LCK-HELD:com.example.driver=why").matches(f));
        assertFalse(Suppression.parse("LCK-HELD:com.example.other=why").matches(f));
        assertTrue(Suppression.parse("LCK-HELD@com.example.driver.Driver=why").matches(f));
        assertFalse(Suppression.parse("LCK-HELD@com.example.driver.Driv=why").matches(f));
        assertTrue(Suppression.parse("LCK-HELD@com.example.driver.Driver#start=why").matches(f));
        assertFalse(Suppression.parse("LCK-HELD@com.example.driver.Driver#stop=why").matches(f));
        assertFalse(Suppression.parse("MEM-3=why").matches(f));
        Finding nested = new Finding(Checks.LCK_HELD, Severity.ERROR, null, null, "m",
                new CodeSite("com.example.driver.Driver$Ring", "start", "Driver.java", 5), List.of(), null);
        assertTrue(Suppression.parse("LCK-HELD@com.example.driver.Driver=why").matches(nested));
    }

    @Test
    void aSuppressionIsWrittenBackAsItWasParsed() {
        Suppression s = Suppression.parse("  lck-held : com.example.driver @ com.example.Driver # start = stop releases it ");
        assertEquals("LCK-HELD:com.example.driver@com.example.Driver#start=stop releases it", s.toString());
        assertNull(Suppression.parse("MEM-4=x").bundleId());
    }

    @Test
    void aSuppressionWithoutAReasonIsRejected() {
        CheckSettingsException e = assertThrows(CheckSettingsException.class, () -> Suppression.parse("LCK-HELD"));
        assertEquals("suppression \"LCK-HELD\" has no reason: expected ID[:KEXT][@CLASS[#METHOD]]=REASON, such as "
                + Suppression.EXAMPLE + " (every suppression says why it is acceptable)", e.getMessage());
        assertThrows(CheckSettingsException.class, () -> Suppression.parse("LCK-HELD=   "));
    }

    @Test
    void malformedSuppressionsSayWhatWasExpected() {
        assertEquals("suppression \"LCK-HELD:=x\" is malformed: expected a bundle identifier such as com.example.driver "
                + "after ':' (ID[:KEXT][@CLASS[#METHOD]]=REASON), found nothing",
                assertThrows(CheckSettingsException.class, () -> Suppression.parse("LCK-HELD:=x")).getMessage());
        assertTrue(assertThrows(CheckSettingsException.class, () -> Suppression.parse("LCK-HELD@Foo#=x")).getMessage()
                .contains("a method name such as start after '#'"));
        assertTrue(assertThrows(CheckSettingsException.class, () -> Suppression.parse("LCK-HELD@=x")).getMessage()
                .contains("a class name such as com.example.Driver after '@'"));
    }

    @Test
    void unknownIdsAreNamedWithNearMatches() {
        CheckSettingsException e = assertThrows(CheckSettingsException.class, () -> CheckSettings.parseDisabled("LCK-1,LCK-HLD"));
        assertEquals("unknown check id \"LCK-HLD\" in \"LCK-HLD\": did you mean LCK-HELD?", e.getMessage());
        assertEquals("LCK-HLD", e.entry());
        assertTrue(assertThrows(CheckSettingsException.class, () -> Suppression.parse("MEM-9=x")).getMessage()
                .startsWith("unknown check id \"MEM-9\" in \"MEM-9=x\": did you mean MEM-1, MEM-2, MEM-3"));
        assertEquals("unknown check id \"XYZZY\" in \"XYZZY\": docs/checks.md lists every check",
                assertThrows(CheckSettingsException.class, () -> CheckSettings.parseDisabled("XYZZY")).getMessage());
    }

    @Test
    void settingsParseAndWriteBackTheirConfigurationText() {
        CheckSettings s = CheckSettings.of(CheckSettings.parseDisabled(" lck-1 , ,MEM-ZERO"),
                CheckSettings.parseSuppressions("LCK-HELD=a, b and c; MEM-4:com.example.driver=d;"));
        assertEquals("LCK-1,MEM-ZERO", s.disabledText());
        assertEquals("LCK-HELD=a, b and c;MEM-4:com.example.driver=d", s.suppressionsText());
        assertEquals(s, CheckSettings.of(CheckSettings.parseDisabled(s.disabledText()),
                CheckSettings.parseSuppressions(s.suppressionsText())));
    }

    @Test
    void aReportCanBeFilteredAgainWithCommandLineSettings() {
        KernelFindings k = new KernelFindings();
        k.report(SampleFindings.lockHeld());
        k.report(SampleFindings.doubleFree());
        k.report(SampleFindings.leak());
        FindingsReport r = k.report().applying(CheckSettings.of(List.of("MEM-4"),
                List.of(Suppression.parse("MEM-3=known"))));
        assertEquals(List.of(Checks.LCK_HELD), r.findings().stream().map(f -> f.finding().checkId()).toList());
        assertEquals(List.of(Checks.MEM_3), r.suppressed().stream().map(f -> f.finding().checkId()).toList());
        assertFalse(r.checksRun().contains("MEM-4"));
        assertEquals(Checks.all().size() - 1, r.checksRun().size());
    }
}
