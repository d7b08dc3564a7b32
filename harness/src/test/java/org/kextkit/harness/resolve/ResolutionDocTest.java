package org.kextkit.harness.resolve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.kextkit.harness.bundle.KextBundle;
import org.kextkit.harness.repository.KernelPseudoKexts;
import org.kextkit.harness.repository.KextRepository;

/** Keep docs/resolution.md true: its code example runs here and its printouts are the real ones. */
class ResolutionDocTest {
    private static final Path DOC = Path.of("../docs/resolution.md");
    private static final Path SOURCE = Path.of("src/test/java/org/kextkit/harness/resolve/ResolutionDocTest.java");

    private final Map<KextBundle, List<KextBundle>> linked = new LinkedHashMap<>();

    private void linkAgainst(KextBundle kext, List<KextBundle> libraries) {
        linked.put(kext, libraries);
    }

    @Test
    void usageExampleRuns() {
        Kexts kexts = new Kexts();
        KextBundle lib = kexts.kext("/Library/Extensions/FooLib.kext", """
                <key>CFBundleIdentifier</key><string>com.example.FooLib</string>
                <key>CFBundleVersion</key><string>1.2</string>
                <key>OSBundleCompatibleVersion</key><string>1.0</string>
                <key>CFBundleExecutable</key><string>FooLib</string>
                <key>OSBundleLibraries</key><dict><key>com.apple.kpi.libkern</key><string>8.0</string></dict>
                """);
        KextBundle driver = kexts.kext("/Library/Extensions/FooDriver.kext", """
                <key>CFBundleIdentifier</key><string>com.example.FooDriver</string>
                <key>CFBundleVersion</key><string>1.0</string>
                <key>CFBundleExecutable</key><string>FooDriver</string>
                <key>OSBundleLibraries</key><dict>
                    <key>com.example.FooLib</key><string>1.0</string>
                    <key>com.apple.kpi.iokit</key><string>15.0</string>
                </dict>
                """);
        List<KextBundle> bundlesFromReader = List.of(lib, driver);
        LoadedKextLookup loadedKexts = LoadedKextLookup.NONE;
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(errors, true, StandardCharsets.UTF_8);

        // doc example begins
        KextRepository repository = new KextRepository(KernelPseudoKexts.forKernel("25.1.0", "x86_64"));
        repository.addAll(bundlesFromReader);
        DependencyResolver resolver = new DependencyResolver(repository, loadedKexts);
        Resolution resolution = resolver.resolve(driver);
        if (resolution.isResolved()) {
            for (KextBundle kext : resolution.loadList()) {
                linkAgainst(kext, resolution.linkDependencies(kext));
            }
        } else {
            resolution.logLines().forEach(err::println);
            err.print(driver.diagnostics().format());
        }
        // doc example ends

        assertEquals("", errors.toString(StandardCharsets.UTF_8));
        KextBundle libkern = repository.kernel().bundle("com.apple.kpi.libkern");
        KextBundle iokit = repository.kernel().bundle("com.apple.kpi.iokit");
        assertEquals(List.of(libkern, lib, iokit, driver), List.copyOf(linked.keySet()));
        assertEquals(List.of(lib, iokit), linked.get(driver));
    }

    @Test
    void codeExampleInTheDocIsTheOneThatRuns() throws Exception {
        List<String> source = Files.readAllLines(SOURCE);
        List<String> example = new ArrayList<>();
        boolean inside = false;
        for (String line : source) {
            if (line.strip().equals("// doc example ends")) {
                inside = false;
            }
            if (inside) {
                example.add(line.strip());
            }
            if (line.strip().equals("// doc example begins")) {
                inside = true;
            }
        }
        Matcher block = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL).matcher(doc());
        assertTrue(block.find(), "docs/resolution.md has no java example");
        List<String> documented = block.group(1).lines().map(String::strip).toList();
        assertEquals(example, documented);
    }

    @Test
    void printedDiagnosticsInTheDocAreTheRealOnes() throws Exception {
        String doc = doc();
        for (String printout : List.of(DiagnosticsPrintoutTest.MISSING_LIBRARY_LOG + "\nDiagnostics for /tmp/FooDriver.kext:\n"
                        + DiagnosticsPrintoutTest.MISSING_LIBRARY, DiagnosticsPrintoutTest.INCOMPATIBLE,
                DiagnosticsPrintoutTest.CYCLE, DiagnosticsPrintoutTest.LEGACY_ON_64_BIT)) {
            assertTrue(doc.contains("\n" + printout + "```\n"), () -> "docs/resolution.md lacks this block:\n" + printout);
        }
    }

    private static String doc() throws Exception {
        assertTrue(Files.isRegularFile(DOC), "docs/resolution.md is missing at " + DOC.toAbsolutePath().normalize());
        return Files.readString(DOC);
    }
}
