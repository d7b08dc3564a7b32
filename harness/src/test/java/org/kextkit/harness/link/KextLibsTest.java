package org.kextkit.harness.link;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kextkit.harness.bundle.KextBundle;

class KextLibsTest {
    @TempDir
    Path dir;

    private KextFixture fixture;
    private KextBundle libkern;
    private KextBundle iokit;
    private KextBundle lib;
    private final List<KextBundle> known = new ArrayList<>();
    private KextLibs kextlibs;

    @BeforeEach
    void setUp() {
        fixture = new KextFixture(dir);
        libkern = add(fixture.libkern());
        iokit = add(fixture.iokit());
        add(fixture.unsupported());
        lib = add(fixture.kext("com.example.Lib").version("1.2").compatible("1.0").library("com.apple.kpi.libkern", "8.0.0")
                .clazz("com.example.lib.Helper", Classes.summing("com.example.lib.Helper", 1)).build());
        kextlibs = new KextLibs(new ClassIndex(() -> known));
    }

    private KextBundle add(KextBundle bundle) {
        known.add(bundle);
        return bundle;
    }

    /** A kext whose one class calls {@code f()} on each target, which makes each a needed class. */
    private KextBundle driverUsing(String... targets) {
        return fixture.kext("com.example.Driver").library("com.apple.kpi.libkern", "8.0.0")
                .clazz("com.example.driver.Driver", Classes.summing("com.example.driver.Driver", 1, targets)).build();
    }

    /** Run kextlibs and capture what it prints, as the command would. */
    private Output run(KextBundle kext, KextLibsOptions options) {
        KextLibsResult result = kextlibs.find(kext, known, options);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = result.print(new PrintWriter(out), new PrintWriter(err));
        assertEquals(result.exitStatus(), status);
        return new Output(out.toString(), err.toString(), status);
    }

    private record Output(String out, String err, int status) {
    }

    @Test
    void plainModeListsCurrentVersionsOnStdoutUnderAnArchitectureHeadingOnStderr() {
        KextBundle driver = driverUsing("org.kextkit.kit.libkern.Libkern", "org.kextkit.kit.iokit.IOLib",
                "com.example.lib.Helper", "java.util.ArrayList");

        Output o = run(driver, KextLibsOptions.defaults());

        assertEquals("    com.apple.kpi.iokit = 25.1\n"
                + "    com.apple.kpi.libkern = 25.1\n"
                + "    com.example.Lib = 1.2\n", o.out());
        assertEquals("For all architectures:\n\n", o.err());
        assertEquals(KextLibs.EXIT_OK, o.status());
    }

    @Test
    void compatibleVersionsAreListedCanonicallyWithC() {
        KextBundle driver = driverUsing("org.kextkit.kit.libkern.Libkern", "org.kextkit.kit.iokit.IOLib",
                "com.example.lib.Helper");

        Output o = run(driver, KextLibsOptions.defaults().withCompatibleVersions(true));

        assertEquals("    com.apple.kpi.iokit = 7.0\n"
                + "    com.apple.kpi.libkern = 8.0d0\n"
                + "    com.example.Lib = 1.0\n", o.out());
    }

    @Test
    void xmlModePrintsATabIndentedFragmentReadyToPaste() {
        KextBundle driver = driverUsing("org.kextkit.kit.iokit.IOLib", "com.example.lib.Helper");

        Output o = run(driver, KextLibsOptions.defaults().withXml(true));

        assertEquals("\t<key>OSBundleLibraries</key>\n"
                + "\t<dict>\n"
                + "\t\t<key>com.apple.kpi.iokit</key>\n"
                + "\t\t<string>25.1</string>\n"
                + "\t\t<key>com.example.Lib</key>\n"
                + "\t\t<string>1.2</string>\n"
                + "\t</dict>\n", o.out());
        assertEquals("\n", o.err());
        assertEquals(0, o.status());
    }

    @Test
    void aKextThatNeedsNoLibrarySaysSoInPlainModeAndPrintsNothingInXml() {
        KextBundle driver = driverUsing("java.util.ArrayList");

        Output plain = run(driver, KextLibsOptions.defaults());
        Output xml = run(driver, KextLibsOptions.defaults().withXml(true));

        assertEquals("    No libraries found.\n", plain.out());
        assertEquals("For all architectures:\n\n", plain.err());
        assertEquals("", xml.out());
        assertEquals("\n", xml.err());
        assertEquals(0, plain.status());
    }

    @Test
    void classesNoLibraryDefinesAreCountedAndListedWithUndefSymbols() {
        KextBundle driver = driverUsing("com.example.lib.Helper", "com.nowhere.Gone", "javax.swing.JFrame",
                "org.kextkit.kit.internal.KernelRuntime");

        Output counted = run(driver, KextLibsOptions.defaults());
        Output listed = run(driver, KextLibsOptions.defaults().withUndefSymbols(true));

        assertEquals("    com.example.Lib = 1.2\n", counted.out());
        assertEquals("For all architectures:\n\n"
                + "For x86_64:\n"
                + "    3 symbols not found in any library kext.\n\n", counted.err());
        assertEquals(KextLibs.EXIT_UNDEFINED, counted.status());
        assertEquals("For all architectures:\n\n"
                + "For x86_64:\n"
                + "    3 symbols not found in any library kext:\n"
                + "\tcom.nowhere.Gone\n"
                + "\tjavax.swing.JFrame\n"
                + "\torg.kextkit.kit.internal.KernelRuntime\n\n", listed.err());
    }

    @Test
    void aClassInSeveralLibrariesNamesTheLibrariesAndWinsTheExitStatus() {
        KextBundle a = add(fixture.kext("com.example.A").version("1.0").compatible("1.0")
                .clazz("com.shared.Thing", Classes.summing("com.shared.Thing", 1)).build());
        KextBundle b = add(fixture.kext("com.example.B").version("2.0").compatible("1.0")
                .clazz("com.shared.Thing", Classes.summing("com.shared.Thing", 2)).build());
        KextBundle driver = driverUsing("com.shared.Thing", "com.example.lib.Helper", "com.nowhere.Gone");

        Output summary = run(driver, KextLibsOptions.defaults());
        Output listed = run(driver, KextLibsOptions.defaults().withMultdefSymbols(true));

        assertEquals("    com.example.A = 1.0\n    com.example.B = 2.0\n    com.example.Lib = 1.2\n", summary.out());
        assertEquals("For all architectures:\n\n"
                + "For x86_64:\n"
                + "    1 symbol not found in any library kext.\n"
                + "    Multiple symbols found among 2 libraries:\n"
                + "\tcom.example.A\n"
                + "\tcom.example.B\n\n", summary.err());
        assertEquals(KextLibs.EXIT_MULTIPLY_DEFINED, summary.status());
        assertEquals("For all architectures:\n\n"
                + "For x86_64:\n"
                + "    1 symbol not found in any library kext.\n"
                + "    1 symbol found in more than one library kext:\n"
                + "    com.shared.Thing: in\n"
                + "        " + a.path() + " (1.0)\n"
                + "        " + b.path() + " (2.0)\n\n", listed.err());
    }

    @Test
    void onedefSymbolsListsEachClassWithItsLibraryAndPlistVersion() {
        KextBundle driver = driverUsing("org.kextkit.kit.libkern.Libkern", "com.example.lib.Helper");

        Output current = run(driver, KextLibsOptions.defaults().withOnedefSymbols(true));
        Output compatible = run(driver, KextLibsOptions.defaults().withOnedefSymbols(true).withCompatibleVersions(true));

        assertEquals("For all architectures:\n\n"
                + "For x86_64:\n"
                + "    2 symbols found in one library kext each:\n"
                + "    com.example.lib.Helper in " + lib.path() + " (1.2)\n"
                + "    org.kextkit.kit.libkern.Libkern in " + libkern.path() + " (25.1.0)\n\n", current.err());
        assertEquals("For all architectures:\n\n"
                + "For x86_64:\n"
                + "    2 symbols found in one library kext each:\n"
                + "    com.example.lib.Helper in " + lib.path() + " (compatible version 1.0)\n"
                + "    org.kextkit.kit.libkern.Libkern in " + libkern.path() + " (compatible version 8.0.0d0)\n\n",
                compatible.err());
        assertEquals(0, current.status());
    }

    @Test
    void allSymbolsTurnsOnEveryListingEvenWhenThereIsNothingToList() {
        KextBundle driver = driverUsing("java.util.ArrayList");

        Output o = run(driver, KextLibsOptions.defaults().withAllSymbols());

        assertEquals("For all architectures:\n\n"
                + "For x86_64:\n"
                + "    0 symbol found in one library kext each.\n\n", o.err());
    }

    @Test
    void privateAndUnsupportedKpisAreSearchedOnlyWhenAskedFor() {
        add(fixture.kext("com.apple.kpi.private").version("25.1.0").compatible("8.0.0b1")
                .clazz("com.apple.priv.Thing", Classes.summing("com.apple.priv.Thing", 1)).build());
        KextBundle driver = driverUsing("com.apple.priv.Thing");

        Output normal = run(driver, KextLibsOptions.defaults());
        Output unsupported = run(driver, KextLibsOptions.defaults().withUnsupported(true));

        assertEquals("    No libraries found.\n", normal.out());
        assertEquals(KextLibs.EXIT_UNDEFINED, normal.status());
        assertEquals("    com.apple.kpi.private = 25.1\n", unsupported.out());
        assertEquals(0, unsupported.status());
    }

    @Test
    void onlyLibrariesWithExecutablesAreSearchedAndTheNewestVersionWins() {
        add(fixture.kext("com.example.Lib").version("1.5").compatible("1.0").directory("newer")
                .clazz("com.example.lib.Helper", Classes.summing("com.example.lib.Helper", 1)).build());
        add(fixture.kext("com.example.App").version("3.0")
                .clazz("com.example.app.Util", Classes.summing("com.example.app.Util", 1)).build());
        KextBundle driver = driverUsing("com.example.lib.Helper", "com.example.app.Util");

        Output o = run(driver, KextLibsOptions.defaults().withUndefSymbols(true));

        assertEquals("    com.example.Lib = 1.5\n", o.out());
        assertEquals("For all architectures:\n\n"
                + "For x86_64:\n"
                + "    1 symbol not found in any library kext:\n"
                + "\tcom.example.app.Util\n\n", o.err());
    }

    @Test
    void nonKpiSearchesTheLegacyKernelLibrariesInsteadOfTheKpis() {
        add(fixture.kext("com.apple.kernel.iokit").version("7.9.9").compatible("1.0.0b1")
                .clazz("com.apple.legacy.IOThing", Classes.summing("com.apple.legacy.IOThing", 1)).build());
        KextBundle driver = driverUsing("com.apple.legacy.IOThing", "org.kextkit.kit.iokit.IOLib");

        assertEquals("    com.apple.kpi.iokit = 25.1\n", run(driver, KextLibsOptions.defaults()).out());
        assertEquals("    com.apple.kernel.iokit = 7.9.9\n", run(driver, KextLibsOptions.defaults().withNonKpi(true)).out());
    }

    @Test
    void codelessKextsGetKextlibsOwnVerdict() {
        KextBundle redirect = fixture.kext("com.example.Redirect").compatible("1.0").codeless()
                .library("com.example.Lib", "1.0").build();
        KextBundle personalities = fixture.kext("com.example.Personalities").codeless().build();
        KextBundle confused = fixture.kext("com.example.Confused").codeless().library("com.example.Lib", "1.0").build();

        Output a = run(redirect, KextLibsOptions.defaults());
        Output b = run(personalities, KextLibsOptions.defaults());
        Output c = run(confused, KextLibsOptions.defaults());

        assertEquals(redirect.path() + " is a library without an executable; defining its OSBundleLibraries (if any) is"
                + " up to you.\n", a.err());
        assertEquals(KextLibs.EXIT_CANT_ANALYSE, a.status());
        assertEquals(personalities.path() + " has no executable and does not need to declare OSBundleLibraries.\n", b.err());
        assertEquals(KextLibs.EXIT_OK, b.status());
        assertEquals(confused.path() + " has no executable and should not declare OSBundleLibraries.\n", c.err());
        assertEquals(KextLibs.EXIT_CANT_ANALYSE, c.status());
        assertEquals("", a.out() + b.out() + c.out());
    }

    @Test
    void anUnreadableExecutableIsReportedWithItsPath() throws IOException {
        KextBundle driver = driverUsing("com.example.lib.Helper");
        Files.writeString(driver.executablePath(), "not a jar");

        Output o = run(driver, KextLibsOptions.defaults());

        assertEquals("Can't find libraries for " + driver.path() + ": " + driver.executablePath()
                + " is not a valid jar (no entries).\n", o.err());
        assertEquals(KextLibs.EXIT_CANT_ANALYSE, o.status());
    }

    @Test
    void theResultExposesWhatWasFound() {
        KextBundle driver = driverUsing("org.kextkit.kit.iokit.IOLib", "com.example.lib.Helper", "com.nowhere.Gone");

        KextLibsResult result = kextlibs.find(driver, known, KextLibsOptions.defaults());

        assertEquals(List.of(iokit, lib), result.libraries());
        assertEquals(List.of("com.nowhere.Gone"), List.copyOf(result.undefinedSymbols()));
        assertEquals(iokit, result.onedefSymbols().get("org.kextkit.kit.iokit.IOLib"));
        assertEquals(0, result.multdefSymbols().size());
    }
}
