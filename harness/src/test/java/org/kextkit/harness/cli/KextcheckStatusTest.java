package org.kextkit.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kextkit.harness.check.FindingsReport;
import org.kextkit.harness.check.KextRef;
import org.kextkit.harness.cli.KextChecker.Outcome;
import org.kextkit.harness.cli.KextChecker.Result;
import org.kextkit.harness.cli.KextChecker.Target;
import org.kextkit.harness.cli.support.CliResult;

/** kextcheck's exit status and its handling of a checker that fails, with a checker that scripts each kext's outcome. */
class KextcheckStatusTest {
    @TempDir
    Path tmp;

    /** A checker whose kexts are named by their outcome: "Boom" throws, "Broken" did not load, others ran clean. */
    private static final class ScriptedChecker implements KextChecker {
        final List<String> checked = new ArrayList<>();

        @Override
        public List<Target> find(List<Path> items) {
            List<Target> targets = new ArrayList<>();
            for (String name : List.of("Boom", "Broken", "Fine")) {
                targets.add(new Target(items.get(0).resolve(name + ".kext"), "com.example." + name, "1.0", null));
            }
            return targets;
        }

        @Override
        public void checkMachine(Path machine) {
        }

        @Override
        public Result check(Target target, List<Path> searchPaths, Path machine, Exercise exercise) {
            checked.add(target.bundleId());
            return switch (target.bundleId()) {
                case "com.example.Boom" -> throw new IllegalStateException("registry walk failed");
                case "com.example.Broken" -> new Result(Outcome.NOT_LOADED, "link failure", List.of(), FindingsReport.EMPTY, 0);
                default -> new Result(Outcome.RAN, null, List.of(),
                        FindingsReport.EMPTY.withKexts(List.of(new KextRef(target.bundleId(), "1.0"))), 1);
            };
        }
    }

    @Test
    void anErrorEscapingTheCheckerIsAHarnessErrorForThatKextAndTheBatchGoesOn() throws Exception {
        Files.createDirectories(tmp.resolve("kexts"));
        ScriptedChecker checker = new ScriptedChecker();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = KextkitCommand.run(List.of("kextcheck", "kexts"), tmp, new PrintWriter(out), new PrintWriter(err),
                CliContext.builder().kextChecker(checker).build());
        CliResult r = new CliResult(status, out.toString(), err.toString());

        assertEquals(ExitCodes.EX_SOFTWARE, r.status(), r.toString());
        assertEquals(List.of("com.example.Boom", "com.example.Broken", "com.example.Fine"), checker.checked);
        assertEquals("""
                [1/3] com.example.Boom ... harness error (IllegalStateException: registry walk failed)
                [2/3] com.example.Broken ... could not load (link failure)
                [3/3] com.example.Fine ... clean
                """, r.err());
        assertTrue(r.out().contains("\ncom.example.Boom    1.0           -         -      -  harness error ("), r.out());
        assertTrue(r.out().endsWith("3 kexts: 1 clean, 0 with findings, 1 could not load, 1 harness error\n"), r.out());
        assertFalse(r.out().contains("\tat "), "no stack trace");
    }

    @Test
    void withoutACheckerTheCommandSaysSo() throws Exception {
        Files.createDirectories(tmp.resolve("kexts"));
        StringWriter err = new StringWriter();
        int status = KextkitCommand.run(List.of("kextcheck", "kexts"), tmp, new PrintWriter(new StringWriter()),
                new PrintWriter(err), CliContext.builder().build());
        assertEquals(ExitCodes.EX_UNAVAILABLE, status);
        assertEquals("kextcheck: no kext checker is connected to this kextkit command line.\n", err.toString());
    }

    @Test
    void harnessErrorsWinOverReportFailuresOverLoadFailuresOverFindingsOverClean() {
        int[] byPrecedence = {ExitCodes.EX_SOFTWARE, ExitCodes.EX_CANTCREAT, KextcheckCommand.EXIT_NOT_LOADED,
            KextcheckCommand.EXIT_FINDINGS, ExitCodes.EX_OK};
        for (int i = 0; i < byPrecedence.length; i++) {
            for (int j = i; j < byPrecedence.length; j++) {
                assertEquals(byPrecedence[i], KextcheckCommand.worse(byPrecedence[i], byPrecedence[j]));
                assertEquals(byPrecedence[i], KextcheckCommand.worse(byPrecedence[j], byPrecedence[i]));
            }
        }
    }
}
