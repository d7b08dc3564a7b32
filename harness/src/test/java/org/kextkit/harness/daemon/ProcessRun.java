package org.kextkit.harness.daemon;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Hold the outcome of a process run to completion by a test.
 *
 * @param exit its exit status
 * @param out what it wrote to standard output
 * @param err what it wrote to standard error
 */
record ProcessRun(int exit, String out, String err) {

    /**
     * Run {@code pb} with standard input from {@code /dev/null} and both outputs captured in files under
     * {@code scratch} (so neither pipe can fill and stall it), wait at most 60 s, and kill it whatever
     * happens.
     */
    static ProcessRun of(ProcessBuilder pb, Path scratch) throws IOException, InterruptedException {
        Path out = Files.createTempFile(scratch, "out", ".txt");
        Path err = Files.createTempFile(scratch, "err", ".txt");
        Process p = pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        try {
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "process finished: " + pb.command());
            return new ProcessRun(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            p.destroyForcibly();
        }
    }
}
