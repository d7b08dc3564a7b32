package org.kextkit.harness.cli.wiring;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kextkit.harness.cli.support.CliResult;
import org.kextkit.harness.cli.support.Kexts;

/**
 * The real catalog behind kextutil prints the resolver's error-level lines before the diagnostics,
 * as IOKitUser does (reference §2.4 and the §2.6 example), once per kext even though kextutil asks
 * about the dependencies more than once.
 */
class DiskKextCatalogTest {
    @TempDir
    Path tmp;

    @Test
    void aMissingLibraryIsLoggedOnceBeforeTheDiagnostics() {
        Path orphan = Kexts.kext("Orphan.kext").id("com.example.Orphan").version("1.0").executable("Orphan")
                .library("com.apple.kpi.libkern", "8.0").library("com.example.FooLib", "1.0").writeTo(tmp);

        CliResult r = RealCli.configured(tmp).run(tmp, "kextutil", "-n", "-t", "Orphan.kext");

        assertEquals(4, r.status(), r.toString());
        assertEquals(orphan + " - dependency 'com.example.FooLib' not found.\n"
                + "Diagnostics for Orphan.kext:\n"
                + "Dependency Resolution Failures: \n"
                + "    No kexts found for these libraries: \n"
                + "        com.example.FooLib\n", r.err());
    }

    @Test
    void anInvalidKextIsHandedToTheResolverWhichRefusesItAndSaysSo() {
        Path bad = Kexts.kext("Bad.kext").id("com.example.Bad").executable("Bad")
                .library("com.apple.kpi.libkern", "8.0").writeTo(tmp);

        CliResult r = RealCli.configured(tmp).run(tmp, "kextutil", "-n", "-t", "Bad.kext");

        assertEquals(4, r.status(), r.toString());
        assertEquals(bad + " is invalid; can't resolve dependencies.\n"
                + "Diagnostics for Bad.kext:\n"
                + "Validation Failures: \n"
                + "    Info dictionary missing required property/value: \n"
                + "        CFBundleVersion\n", r.err());
    }
}
