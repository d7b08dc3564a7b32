package org.kextkit.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kextkit.harness.cli.support.CliResult;
import org.kextkit.harness.cli.support.Kexts;
import org.kextkit.harness.cli.support.World;

class KextlibsCommandTest {
    @TempDir
    Path tmp;

    private World world;

    @BeforeEach
    void setUp() {
        world = new World(tmp);
    }

    private Path kextImporting(String name, String... symbols) {
        return Kexts.kext(name + ".kext").id("com.example." + name).version("1.0").executable(name)
                .library("com.apple.kpi.libkern", "8.0").resource("imports.txt", symbols).writeTo(world.work());
    }

    @Test
    void listsTheKpisThatDefineTheReferencedSymbols() {
        kextImporting("Foo", "_libkern_a", "_iokit_b", "_libkern_b");
        CliResult r = world.run("kextlibs", "Foo.kext");
        assertEquals(0, r.status(), r.toString());
        assertEquals("    com.apple.kpi.iokit = 20.5\n    com.apple.kpi.libkern = 20.5\n", r.out());
        assertEquals("For all architectures:\n\n", r.err());
    }

    @Test
    void compatibleVersionsAndXml() {
        kextImporting("Foo", "_bsd_a");
        assertEquals("    com.apple.kpi.bsd = 8.0\n", world.run("kextlibs", "-c", "Foo.kext").out());
        assertEquals("\t<key>OSBundleLibraries</key>\n\t<dict>\n\t\t<key>com.apple.kpi.bsd</key>\n"
                + "\t\t<string>20.5</string>\n\t</dict>\n", world.run("kextlibs", "-xml", "Foo.kext").out());
    }

    @Test
    void undefinedSymbolsExitOne() {
        kextImporting("Foo", "_bsd_a", "_nowhere");
        CliResult r = world.run("kextlibs", "-undef-symbols", "Foo.kext");
        assertEquals(KextlibsFormatter.EXIT_UNDEFINED, r.status());
        assertEquals("For all architectures:\n\nFor x86_64:\n    1 symbol not found in any library kext:\n\t_nowhere\n\n",
                r.err());
    }

    @Test
    void aThirdPartyLibraryDefiningAKpiSymbolToo() throws Exception {
        Path repo = Files.createDirectories(world.work().resolve("libs"));
        Kexts.kext("Shim.kext").id("com.example.Shim").version("3.1").compatible("3.0").executable("Shim")
                .library("com.apple.kpi.bsd", "8.0").resource("exports.txt", "_bsd_a").writeTo(repo);
        kextImporting("Foo", "_bsd_a");

        CliResult onlyRepo = world.run("kextlibs", "-r", "libs", "Foo.kext");
        assertEquals(0, onlyRepo.status(), onlyRepo.toString());
        assertEquals("    com.example.Shim = 3.1\n", onlyRepo.out());

        CliResult both = world.run("kextlibs", "-e", "-r", "libs", "-all-symbols", "Foo.kext");
        assertEquals(KextlibsFormatter.EXIT_MULTIPLE, both.status());
        assertEquals("    com.apple.kpi.bsd = 20.5\n    com.example.Shim = 3.1\n", both.out());
        assertEquals("For all architectures:\n\nFor x86_64:\n"
                + "    0 symbol found in one library kext each.\n"
                + "    1 symbol found in more than one library kext:\n"
                + "    _bsd_a: in\n"
                + "        " + world.system().resolve("bsd.kext") + " (20.5.0)\n"
                + "        " + repo.resolve("Shim.kext") + " (3.1)\n\n", both.err());
    }

    @Test
    void unsupportedKpisAreSearchedOnlyWhenAskedFor() {
        Kexts.kpis(world.system(), "20.5.0", "com.apple.kpi.unsupported");
        kextImporting("Foo", "_unsupported_a");
        assertEquals(KextlibsFormatter.EXIT_UNDEFINED, world.run("kextlibs", "Foo.kext").status());
        CliResult r = world.run("kextlibs", "-unsupported", "Foo.kext");
        assertEquals(0, r.status(), r.toString());
        assertEquals("    com.apple.kpi.unsupported = 20.5\n", r.out());
    }

    @Test
    void codelessKextsAreExplained() {
        Kexts.kext("Plain.kext").id("com.example.Plain").version("1.0").writeTo(world.work());
        CliResult plain = world.run("kextlibs", "Plain.kext");
        assertEquals(0, plain.status());
        assertEquals("Plain.kext has no executable and does not need to declare OSBundleLibraries.\n", plain.err());

        Kexts.kext("Redirect.kext").id("com.example.Redirect").version("1.0").compatible("1.0")
                .library("com.apple.kpi.bsd", "8.0").writeTo(world.work());
        CliResult redirect = world.run("kextlibs", "Redirect.kext");
        assertEquals(ExitCodes.EX_OSERR, redirect.status());
        assertEquals("Redirect.kext is a library without an executable; defining its OSBundleLibraries (if any) "
                + "is up to you.\n", redirect.err());

        Kexts.kext("Odd.kext").id("com.example.Odd").version("1.0").library("com.apple.kpi.bsd", "8.0").writeTo(world.work());
        CliResult odd = world.run("kextlibs", "Odd.kext");
        assertEquals(ExitCodes.EX_OSERR, odd.status());
        assertEquals("Odd.kext has no executable and should not declare OSBundleLibraries.\n", odd.err());
    }

    @Test
    void commandLineMistakes() {
        CliResult none = world.run("kextlibs");
        assertEquals(ExitCodes.EX_USAGE, none.status());
        assertTrue(none.err().startsWith("No kext specified.\nUsage: kextkit kextlibs"), none.err());

        kextImporting("Foo", "_bsd_a");
        CliResult two = world.run("kextlibs", "Foo.kext", "Bar.kext");
        assertEquals(ExitCodes.EX_USAGE, two.status());
        assertTrue(two.err().startsWith("Too many arguments starting at 'Bar.kext'.\n"), two.err());

        CliResult missing = world.run("kextlibs", "Gone.kext");
        assertEquals(ExitCodes.EX_NOINPUT, missing.status());
        assertEquals("Can't stat Gone.kext - No such file or directory.\n", missing.err());

        CliResult badRepo = world.run("kextlibs", "-r", "Foo.kext/Contents/Info.plist", "Foo.kext");
        assertEquals(ExitCodes.EX_USAGE, badRepo.status());
        assertEquals("Foo.kext/Contents/Info.plist is not a directory.\n", badRepo.err());
    }

    @Test
    void quietPrintsNothingButKeepsTheStatus() {
        kextImporting("Foo", "_nowhere");
        CliResult r = world.run("kextlibs", "-q", "Foo.kext");
        assertEquals(KextlibsFormatter.EXIT_UNDEFINED, r.status());
        assertEquals("", r.out());
        assertEquals("", r.err());
    }

    @Test
    void withoutALinkCheckerTheCommandSaysSo() {
        kextImporting("Foo", "_bsd_a");
        world.context(world.context().toBuilder().kextLibs(null).build());
        CliResult r = world.run("kextlibs", "Foo.kext");
        assertEquals(ExitCodes.EX_UNAVAILABLE, r.status());
        assertEquals("kextlibs: no link checker is connected to this kextkit command line.\n", r.err());
    }
}
