package org.kextkit.harness.cli.wiring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.kextkit.harness.cli.wiring.worker.WorkerSession;

/** docs/cli-reference.md is the commands' own help, and is regenerated whenever that help changes. */
class CliReferenceTest {
    private static final Path REFERENCE = Path.of("../docs/cli-reference.md");

    @Test
    void everyVisibleCommandIsThereWithItsOptionsAndExitStatus() {
        String md = CliReference.render();
        for (String command : new String[] {"kextload", "kextunload", "kextstat", "kextutil", "kextcheck", "kextfind",
            "kextlibs", "ioreg", "ioclasscount", "whymatch", "boot", "status", "shutdown"}) {
            assertTrue(md.contains("\n## " + command + "\n"), command + " is missing");
        }
        assertTrue(md.contains("--isolation MODE"), "kextcheck's options");
        assertTrue(md.contains("Exit status (the first that applies):"), "kextcheck's exit status");
        assertFalse(md.contains(WorkerSession.COMMAND), "hidden commands stay hidden");
    }

    @Test
    void theCommittedReferenceIsCurrent() throws Exception {
        String current = Files.readString(REFERENCE);
        assertEquals(CliReference.render(), current, "docs/cli-reference.md is stale; regenerate it from the "
                + "repository's root with:\n    " + CliReference.REGENERATE);
    }
}
