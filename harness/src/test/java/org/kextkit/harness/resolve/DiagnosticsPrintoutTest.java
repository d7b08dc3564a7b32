package org.kextkit.harness.resolve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.kextkit.harness.resolve.LoadListTest.needing;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.kextkit.harness.bundle.KextBundle;

/**
 * Whole diagnostic blocks as kextutil prints them for a kext that fails to resolve. The same blocks
 * appear in docs/resolution.md ({@link ResolutionDocTest} keeps the two in step).
 */
class DiagnosticsPrintoutTest {
    static final String MISSING_LIBRARY_LOG = "/tmp/FooDriver.kext - dependency 'com.example.FooLib' not found.";
    static final String MISSING_LIBRARY = """
            Dependency Resolution Failures:\s
                No kexts found for these libraries:\s
                    com.example.FooLib

            Warnings:\s
                Kext declares no com.apple.kpi.* libraries; if it references any kernel symbols, it may fail to link.
            """;

    static final String INCOMPATIBLE = """
            Dependency Resolution Failures:\s
                Only incompatible kexts found for these libraries:\s
                    com.apple.kpi.iokit - requested 26.0; candidates: 25.1.0 at /System/Library/Extensions/System.kext/Contents/PlugIns/IOKit.kext (its version 25.1.0 is older than the requested 26.0)
                    com.example.FooLib - requested 2.0; candidates: 3.0 at /Library/Extensions/FooLib.kext (it is compatible back to 2.5 only, which is newer than the requested 2.0), 1.5 at /tmp/FooLib.kext (its version 1.5 is older than the requested 2.0)
            """;

    static final String CYCLE = """
            Dependency Resolution Failures:\s
                Some dependencies are causing circular references:\s
                    com.example.A - com.example.A -> com.example.B -> com.example.C -> com.example.A
                Indirect dependencies can't be resolved:\s
                    com.example.A - it is part of the circular reference com.example.A -> com.example.B -> com.example.C -> com.example.A
                    com.example.C - its library com.example.A can't be resolved
                    com.example.B - its library com.example.C can't be resolved
            """;

    static final String LEGACY_ON_64_BIT = """
            Dependency Resolution Failures:\s
                64-bit kexts must use com.apple.kpi.* libraries, not com.apple.kernel* libraries.

            Warnings:\s
                Kexts should declare dependencies on either com.apple.kernel* or com.apple.kpi.* libraries, not both.
            """;

    private final Kexts kexts = new Kexts();

    @Test
    void missingLibraryPrintsAsInKextutilsManual() {
        KextBundle driver = kexts.kext("/tmp/FooDriver.kext", """
                <key>CFBundleIdentifier</key><string>com.example.FooDriver</string>
                <key>CFBundleVersion</key><string>1.0</string>
                <key>CFBundleExecutable</key><string>FooDriver</string>
                <key>OSBundleLibraries</key><dict><key>com.example.FooLib</key><string>1.0</string></dict>
                """);
        Resolution resolution = new DependencyResolver(Kexts.repository(driver)).resolve(driver);
        assertEquals(List.of(MISSING_LIBRARY_LOG), resolution.logLines());
        assertEquals(MISSING_LIBRARY, driver.diagnostics().format());
    }

    @Test
    void everyIncompatibleCandidateIsExplained() {
        KextBundle onDisk = kexts.kext("/Library/Extensions/FooLib.kext", """
                <key>CFBundleIdentifier</key><string>com.example.FooLib</string>
                <key>CFBundleVersion</key><string>3.0</string>
                <key>OSBundleCompatibleVersion</key><string>2.5</string>
                """);
        KextBundle older = kexts.kext("/tmp/FooLib.kext", """
                <key>CFBundleIdentifier</key><string>com.example.FooLib</string>
                <key>CFBundleVersion</key><string>1.5</string>
                <key>OSBundleCompatibleVersion</key><string>1.0</string>
                """);
        KextBundle driver = kexts.kext("/tmp/FooDriver.kext", """
                <key>CFBundleIdentifier</key><string>com.example.FooDriver</string>
                <key>CFBundleVersion</key><string>1.0</string>
                <key>CFBundleExecutable</key><string>FooDriver</string>
                <key>OSBundleLibraries</key><dict>
                    <key>com.apple.kpi.iokit</key><string>26.0</string>
                    <key>com.example.FooLib</key><string>2.0</string>
                </dict>
                """);
        new DependencyResolver(Kexts.repository(onDisk, older, driver)).resolve(driver);
        assertEquals(INCOMPATIBLE, driver.diagnostics().format());
    }

    @Test
    void cycleIsPrintedInFull() {
        KextBundle a = kexts.kext("/L/A.kext", needing("com.example.A", "com.example.B"));
        KextBundle b = kexts.kext("/L/B.kext", needing("com.example.B", "com.example.C"));
        KextBundle c = kexts.kext("/L/C.kext", needing("com.example.C", "com.example.A"));
        new DependencyResolver(Kexts.repository(a, b, c)).resolve(a);
        assertEquals(CYCLE, a.diagnostics().format());
    }

    @Test
    void legacyKernelLibraryOn64BitPrintsTheFixAndTheMixingWarning() {
        KextBundle lilu = new Kexts("arm64").kext("/Library/Extensions/Lilu.kext", """
                <key>CFBundleIdentifier</key><string>as.vit9696.Lilu</string>
                <key>CFBundleVersion</key><string>1.7.2</string>
                <key>OSBundleCompatibleVersion</key><string>1.2.0</string>
                <key>CFBundleExecutable</key><string>Lilu</string>
                <key>OSBundleLibraries</key><dict>
                    <key>com.apple.kpi.libkern</key><string>8.0.0</string>
                    <key>com.apple.kernel.6.0</key><string>7.9.9</string>
                </dict>
                <key>OSBundleLibraries_x86_64</key><dict>
                    <key>com.apple.kpi.libkern</key><string>10.0.0</string>
                </dict>
                """);
        new DependencyResolver(Kexts.repository(lilu)).resolve(lilu);
        assertEquals(LEGACY_ON_64_BIT, lilu.diagnostics().format());
    }
}
