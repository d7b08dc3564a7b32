package org.kextkit.harness.cli.wiring.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kextkit.harness.cli.KextChecker.Exercise;
import org.kextkit.harness.cli.KextChecker.Outcome;
import org.kextkit.harness.cli.KextChecker.Result;
import org.kextkit.harness.cli.KextChecker.Target;

/**
 * A worker that hangs or dies makes that kext a harness error with the reason, and the next kext gets
 * a new worker. The workers here are shell scripts that say they are ready and then misbehave.
 */
class WorkerSessionTest {
    private static final Target KEXT = new Target(Path.of("/kexts/Foo.kext"), "com.example.Foo", "1.0", null);

    private static Result check(WorkerSession session) {
        return session.check(KEXT, List.of(), null, Exercise.NONE);
    }

    @Test
    void aWorkerThatStopsAnsweringIsStoppedAtTheLimitAndReplaced() {
        try (WorkerSession session = new WorkerSession(List.of("/bin/sh", "-c", "printf Y; exec sleep 600"), Duration.ofSeconds(1))) {
            Result first = check(session);
            assertEquals(Outcome.HARNESS_ERROR, first.outcome());
            assertEquals("it did not finish within 1 s, so its worker process was stopped", first.reason());
            check(session);
            assertEquals(2, session.workersStarted(), "a fresh worker for the next kext");
        }
    }

    @Test
    void aWorkerThatDiesIsReportedWithItsExitStatusAndLastWords() {
        String script = "printf Y; head -c 1 >/dev/null; echo 'Terminating due to java.lang.OutOfMemoryError: Java heap space' >&2; exit 3";
        try (WorkerSession session = new WorkerSession(List.of("/bin/sh", "-c", script), Duration.ofSeconds(30))) {
            Result r = check(session);
            assertEquals(Outcome.HARNESS_ERROR, r.outcome());
            assertEquals("its worker process died (exit status 3: Terminating due to java.lang.OutOfMemoryError: "
                    + "Java heap space)", r.reason());
            assertTrue(r.details().contains("  Terminating due to java.lang.OutOfMemoryError: Java heap space"), r.details()::toString);
        }
    }

    @Test
    void aWorkerThatCannotStartIsAHarnessErrorNotAStackTrace() {
        try (WorkerSession session = new WorkerSession(List.of("/nonexistent/java"), Duration.ofSeconds(5))) {
            Result r = check(session);
            assertEquals(Outcome.HARNESS_ERROR, r.outcome());
            assertTrue(r.reason().startsWith("could not start a worker process - "), r.reason());
        }
    }
}
