package org.kextkit.harness.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kextkit.harness.bundle.KextBundle;
import org.kextkit.harness.bundle.KextExecutable;
import org.kextkit.harness.bundle.KextExecutableException;
import org.kextkit.kit.internal.KernelServices;

/** Run the example in {@code docs/linking.md} and keep the page's copy of it in step with this one. */
class LinkingGuideExampleTest {
    @TempDir
    Path dir;

    @Test
    void theGuidesExampleLinksADriverAgainstALibraryAndAKpi() throws Exception {
        KextFixture fixture = new KextFixture(dir);
        KextBundle libkern = fixture.libkern();
        KextBundle lib = fixture.kext("com.example.Lib").compatible("1.0").library("com.apple.kpi.libkern", "8.0.0")
                .clazz("com.example.lib.Helper", Classes.summing("com.example.lib.Helper", 5)).build();
        KextBundle driver = fixture.kext("com.example.Driver").library("com.example.Lib", "1.0")
                .clazz("com.example.driver.Driver", Classes.summing("com.example.driver.Driver", 10, "com.example.lib.Helper"))
                .build();
        List<KextBundle> repository = List.of(libkern, lib, driver);
        KernelServices kernel = (caller, function, message) -> { };
        List<String> log = new ArrayList<>();

        // --- example start ---
        KextLinker linker = new KextLinker(new ClassIndex(() -> repository));

        // Dependencies first: the library links against the libkern KPI, which has no loader.
        LinkResult libResult = linker.link(lib, read(lib), List.of(LinkedLibrary.kernelComponent(libkern)), kernel);
        LinkResult driverResult = linker.link(driver, read(driver), List.of(LinkedLibrary.of(libResult.loader())), kernel);

        if (driverResult.isLinked()) {
            Class<?> main = driverResult.loader().loadClass("com.example.driver.Driver");
            log.add("f() = " + main.getMethod("f").invoke(null));
        } else {
            log.addAll(driverResult.formatFindings());
        }
        // --- example end ---

        assertEquals(List.of("f() = 15"), log);
    }

    private static KextExecutable read(KextBundle kext) throws KextExecutableException {
        return KextExecutable.read(kext.executablePath());
    }

    @Test
    void theGuideQuotesTheExampleVerbatim() throws IOException {
        Path guide = Path.of("..", "docs", "linking.md");
        Path self = Path.of("src", "test", "java", "org", "kextkit", "harness", "link", "LinkingGuideExampleTest.java");
        String source = Files.readString(self);
        String example = source.substring(source.indexOf("// --- example start ---\n") + "// --- example start ---\n".length(),
                source.indexOf("        // --- example end ---"));
        StringBuilder unindented = new StringBuilder();
        for (String line : example.split("\n", -1)) {
            unindented.append(line.startsWith("        ") ? line.substring(8) : line).append('\n');
        }
        String expected = unindented.toString().stripTrailing();
        assertTrue(Files.readString(guide).contains(expected),
                "docs/linking.md must quote the example of LinkingGuideExampleTest verbatim:\n" + expected);
    }
}
