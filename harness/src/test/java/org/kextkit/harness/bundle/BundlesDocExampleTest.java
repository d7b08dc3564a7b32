package org.kextkit.harness.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.kextkit.harness.bundle.KextFixtures.Info;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kextkit.harness.version.VersionGrammar;

/** Run the example of {@code docs/bundles.md}, so that the page cannot go stale. */
class BundlesDocExampleTest {
    @TempDir
    Path repository;

    @Test
    void scanningARepositoryPrintsProblemsAndTheDiagnosticsOfKextsThatCannotLoad() throws Exception {
        Path good = KextFixtures.kext(repository, "Good.kext", Info.valid().xml());
        KextFixtures.writeJar(good.resolve("Contents/MacOS/Foo"), null, "com.example.driver.Foo");
        KextFixtures.kext(repository, "Template.kext", Info.valid().string("CFBundleVersion", "$(MODULE_VERSION)")
                .remove("CFBundleExecutable").xml());
        Files.createDirectories(repository.resolve("Empty.kext"));
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

        // --- the example in docs/bundles.md ---
        KextBundleReader reader = new KextBundleReader("x86_64", VersionGrammar.MODERN, new AtomicLong());
        BundleScanner scanner = new BundleScanner(reader, new KextBundleValidator());
        ScanResult result = scanner.scan(repository);
        for (BundleProblem problem : result.problems()) {
            out.println(problem.message());
        }
        for (KextBundle kext : result.bundles()) {
            if (kext.diagnostics().hasFailures()) {
                out.println("Diagnostics for " + kext.path() + ":");
                out.print(kext.diagnostics().format());
            }
        }
        // --- end of the example ---

        assertEquals(repository.resolve("Empty.kext") + ": missing Contents/Info.plist; every kext needs its info "
                + "dictionary at Foo.kext/Contents/Info.plist (or Foo.kext/Info.plist for a shallow bundle)\n"
                + "Diagnostics for " + repository.resolve("Template.kext") + ":\n"
                + "Validation Failures: \n"
                + "    " + ValidationMessages.UNBUILT_TEMPLATE + ": \n"
                + "        CFBundleVersion - $(MODULE_VERSION)\n",
                printed.toString(StandardCharsets.UTF_8));
    }
}
