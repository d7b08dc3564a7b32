package com.example.echo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kextkit.harness.cli.KextkitCommand;
import org.kextkit.harness.cli.Main;
import org.kextkit.samples.testing.SampleKernel;

/** The kext tools on the built EchoDriver.kext, in this JVM, as {@code bin/kextkit} runs them. */
class EchoDriverCommandsTest {
    private final Path bundle = SampleKernel.builtBundle("EchoDriver").toAbsolutePath();
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int kextkit(String... argv) {
        return KextkitCommand.run(List.of(argv), Path.of("").toAbsolutePath(), new PrintWriter(out), new PrintWriter(err),
                Main.context());
    }

    @Test
    void kextutilResolvesThePciFamilyAndLoadsTheDriverKext() {
        int status = kextkit("kextutil", "-v", "1", bundle.toString());

        assertEquals(0, status, err.toString());
        assertFalse(err.toString().contains("not found"), err.toString());
        assertTrue(err.toString().contains("Kext org.kextkit.sample.EchoDriver is now started."), err.toString());
        assertTrue(err.toString().contains(bundle + " successfully loaded (or already loaded)."), err.toString());
    }
}
