package org.kextkit.harness.resolve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kextkit.harness.diagnostics.DiagnosticGroup.WARNINGS;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.kextkit.harness.bundle.KextBundle;
import org.kextkit.harness.repository.KextRepository;

/** A kext needed early in boot must not depend on one that may not be there yet. */
class BootLevelWarningsTest {

    @ParameterizedTest(name = "root {0}, library {1}: warning ''{2}''")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        "Root         | -            | com.example.Lib - OSBundleRequired not set",
        "Root         | Safe Boot    | com.example.Lib - Safe Boot",
        "Root         | Local-Root   | -",
        "Console      | -            | com.example.Lib - OSBundleRequired not set",
        "Local-Root   | Network-Root | com.example.Lib - Network-Root",
        "Local-Root   | Console      | -",
        "Network-Root | Local-Root   | com.example.Lib - Local-Root",
        "Network-Root | Root         | -",
        "Safe Boot    | -            | -",
        "-            | -            | -",
    })
    void libraryMustBeAvailableAsEarlyAsTheRoot(String rootRequired, String libRequired, String warning) {
        Kexts kexts = new Kexts();
        KextBundle lib = kexts.kext("/L/Lib.kext", """
                <key>CFBundleIdentifier</key><string>com.example.Lib</string>
                <key>CFBundleVersion</key><string>1.0</string>
                <key>OSBundleCompatibleVersion</key><string>1.0</string>
                %s
                """.formatted(required(libRequired)));
        KextBundle root = kexts.kext("/L/Root.kext", """
                <key>CFBundleIdentifier</key><string>com.example.Root</string>
                <key>CFBundleVersion</key><string>1.0</string>
                %s
                <key>OSBundleLibraries</key><dict><key>com.example.Lib</key><string>1.0</string></dict>
                """.formatted(required(rootRequired)));
        KextRepository repository = Kexts.repository(lib, root);
        Resolution resolution = new DependencyResolver(repository).resolve(root);
        assertTrue(resolution.isResolved(), "boot-level problems are warnings only");
        assertEquals(warning == null ? List.of() : List.of(warning),
                root.diagnostics().values(WARNINGS, DependencyMessages.BOOT_LEVEL_DEPENDENCY));
    }

    private static String required(String value) {
        return value == null ? "" : "<key>OSBundleRequired</key><string>" + value + "</string>";
    }

    @Test
    void earlyBootKextKeepsItsWarningWhenResolvedAsSomeoneElsesLibrary() {
        Kexts kexts = new Kexts();
        KextBundle lib = kexts.kext("/L/Lib.kext", """
                <key>CFBundleIdentifier</key><string>com.example.Lib</string>
                <key>CFBundleVersion</key><string>1.0</string>
                <key>OSBundleCompatibleVersion</key><string>1.0</string>
                """);
        KextBundle family = kexts.kext("/L/Family.kext", """
                <key>CFBundleIdentifier</key><string>com.example.Family</string>
                <key>CFBundleVersion</key><string>1.0</string>
                <key>OSBundleCompatibleVersion</key><string>1.0</string>
                <key>OSBundleRequired</key><string>Root</string>
                <key>OSBundleLibraries</key><dict><key>com.example.Lib</key><string>1.0</string></dict>
                """);
        KextBundle driver = kexts.kext("/L/Driver.kext", """
                <key>CFBundleIdentifier</key><string>com.example.Driver</string>
                <key>CFBundleVersion</key><string>1.0</string>
                <key>OSBundleLibraries</key><dict><key>com.example.Family</key><string>1.0</string></dict>
                """);
        DependencyResolver resolver = new DependencyResolver(Kexts.repository(lib, family, driver));
        resolver.resolve(family);
        resolver.resolve(driver);
        assertEquals(List.of("com.example.Lib - OSBundleRequired not set"),
                family.diagnostics().values(WARNINGS, DependencyMessages.BOOT_LEVEL_DEPENDENCY));

        KextBundle fixedLib = kexts.kext("/L/Fixed/Lib.kext", """
                <key>CFBundleIdentifier</key><string>com.example.Lib</string>
                <key>CFBundleVersion</key><string>1.0</string>
                <key>OSBundleCompatibleVersion</key><string>1.0</string>
                <key>OSBundleRequired</key><string>Root</string>
                """);
        new DependencyResolver(Kexts.repository(lib, fixedLib, family)).resolve(family);
        assertEquals(List.of(), family.diagnostics().values(WARNINGS, DependencyMessages.BOOT_LEVEL_DEPENDENCY),
                "resolving the root again recomputes its warnings");
    }
}
