package org.kextkit.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kextkit.harness.cli.support.CliResult;
import org.kextkit.harness.cli.support.DiskKextInspector;
import org.kextkit.harness.cli.support.Kexts;
import org.kextkit.harness.cli.support.SimpleKernel;
import org.kextkit.harness.cli.support.World;

class KextutilCommandTest {
    private static final String NOT_INCLUDING = " appears to be loadable (not including linkage for on-disk libraries).\n";
    private static final String INCLUDING = " appears to be loadable (including linkage for on-disk libraries).\n";

    @TempDir
    Path tmp;

    private World world;

    @BeforeEach
    void setUp() {
        world = new World(tmp, DiskKextInspector::linkUnlessEmptyExecutable);
        Kexts.kext("Foo.kext").id("com.example.Foo").version("1.0").executable("Foo")
                .library("com.apple.kpi.libkern", "8.0").writeTo(world.work());
    }

    private World worldWithoutLinker() {
        World w = new World(tmp.resolve("nolink"));
        Kexts.kext("Foo.kext").id("com.example.Foo").version("1.0").executable("Foo")
                .library("com.apple.kpi.libkern", "8.0").writeTo(w.work());
        return w;
    }

    @Test
    void noLoadOnAGoodKextSaysItAppearsLoadableIncludingLinkage() {
        CliResult r = world.run("kextutil", "-n", "Foo.kext");
        assertEquals(0, r.status(), r.toString());
        assertEquals("Foo.kext" + INCLUDING, r.err());
        assertEquals("", r.out());
        assertTrue(world.kernel().requests().isEmpty());
    }

    @Test
    void withoutALinkerTheTrialLinkIsSkippedAndTheMessageSaysNot() {
        World w = worldWithoutLinker();
        CliResult r = w.run("kextutil", "-no-load", "Foo.kext");
        assertEquals(0, r.status(), r.toString());
        assertEquals("Foo.kext" + NOT_INCLUDING, r.err());
    }

    @Test
    void aFailedTrialLinkPointsToKextlibsAndFailsTheKext() {
        Kexts.kext("Empty.kext").id("com.example.Empty").version("1.0").executable("Empty", new byte[0])
                .library("com.apple.kpi.libkern", "8.0").writeTo(world.work());
        CliResult r = world.run("kextutil", "-n", "Empty.kext", "Foo.kext");
        assertEquals(KextutilCommand.EXIT_KEXT_BAD, r.status());
        // A failed trial link ends the run, as in kext_tools: Foo.kext is never examined.
        assertEquals("kxld[com.example.Empty]: executable Empty has no classes to link.\n"
                + KextutilMessages.CHECK_LIBRARIES + "\n", r.err());
    }

    @Test
    void aMissingLibraryPrintsTheResolverLineThenTheDiagnostics() {
        Path orphan = Kexts.kext("Orphan.kext").id("com.example.Orphan").version("1.0").executable("Orphan")
                .library("com.apple.kpi.libkern", "8.0").library("com.example.FooLib", "1.0").writeTo(world.work());
        CliResult r = world.run("kextutil", "-nt", "Orphan.kext");
        assertEquals(KextutilCommand.EXIT_KEXT_BAD, r.status());
        assertEquals(orphan + " - dependency 'com.example.FooLib' not found.\n"
                + "Diagnostics for Orphan.kext:\n"
                + "Dependency Resolution Failures: \n"
                + "    No kexts found for these libraries: \n"
                + "        com.example.FooLib\n", r.err());
    }

    @Test
    void warningsAlonePrintBeforeTheLoadableLine() {
        Kexts.kext("Lib.kext").id("com.example.Lib").version("1.0").compatible("1.0").executable("Lib")
                .library("com.apple.kpi.libkern", "8.0").writeTo(world.work());
        Kexts.kext("NoKpi.kext").id("com.example.NoKpi").version("1.0").executable("NoKpi")
                .library("com.example.Lib", "1.0").writeTo(world.work());
        CliResult r = world.run("kextutil", "-n", "-r", ".", "NoKpi.kext");
        assertEquals(0, r.status(), r.toString());
        assertEquals("Warnings: \n"
                + "    Kext declares no com.apple.kpi.* libraries; if it references any kernel symbols, it may fail to link.\n"
                + "NoKpi.kext" + INCLUDING, r.err());
    }

    @Test
    void anInvalidKextListsItsValidationFailures() {
        Path bad = Kexts.kext("Bad.kext").id("com.example.Bad").executable("Bad")
                .library("com.apple.kpi.libkern", "8.0").writeTo(world.work());
        CliResult r = world.run("kextutil", "-n", "Bad.kext");
        assertEquals(KextutilCommand.EXIT_KEXT_BAD, r.status());
        assertEquals(bad + " is invalid; can't resolve dependencies.\n"
                + "Diagnostics for Bad.kext:\n"
                + "Validation Failures: \n"
                + "    Info dictionary missing required property/value: \n"
                + "        CFBundleVersion\n", r.err());
    }

    @Test
    void authenticationRunsWithPrintDiagnosticsButNotWithNoLoadAlone() throws Exception {
        Path plist = world.work().resolve("Foo.kext/Contents/Info.plist");
        Files.setPosixFilePermissions(plist, PosixFilePermissions.fromString("rw-rw-r--"));
        assertEquals(0, world.run("kextutil", "-n", "Foo.kext").status());

        CliResult r = world.run("kextutil", "-n", "-t", "Foo.kext");
        assertEquals(KextutilCommand.EXIT_KEXT_BAD, r.status());
        assertEquals("Diagnostics for Foo.kext:\n"
                + "Authentication Failures: \n"
                + "    File owner/permissions are incorrect (must be root:wheel, nonwritable by group/other): \n"
                + "        " + plist + "\n", r.err());
    }

    @Test
    void loadingIsSilentByDefaultAndVerboseNarratesIt() {
        CliResult quiet = world.run("kextutil", "Foo.kext");
        assertEquals(0, quiet.status(), quiet.toString());
        assertEquals("", quiet.err());
        assertTrue(world.kernel().isLoaded("com.example.Foo"));

        CliResult verbose = world.run("kextutil", "-v", "Foo.kext");
        assertEquals(0, verbose.status(), verbose.toString());
        assertEquals("Foo.kext" + NOT_INCLUDING
                + "Loading Foo.kext.\n"
                + "Foo.kext successfully loaded (or already loaded).\n", verbose.err());
    }

    @Test
    void aStartFailureFailsTheLoadWithStatusSix() {
        Kexts.kext("Bad.kext").id("com.example.Bad").version("1.0").executable("Bad")
                .library("com.apple.kpi.libkern", "8.0").integer(SimpleKernel.START_RESULT_KEY, 5).writeTo(world.work());
        CliResult r = world.run("kextutil", "Bad.kext");
        assertEquals(KextutilCommand.EXIT_LOAD_FAILED, r.status());
        assertEquals("(kernel) Kext com.example.Bad start failed (result 0x5).\n"
                + "Failed to load Bad.kext - (libkern/kext) kext (kmod) start/stop routine failed.\n", r.err());
    }

    @Test
    void aLinkErrorWhileLoadingPointsToKextlibs() {
        Kexts.kext("Empty.kext").id("com.example.Empty").version("1.0").executable("Empty", new byte[0])
                .library("com.apple.kpi.libkern", "8.0").writeTo(world.work());
        CliResult r = world.run("kextutil", "Empty.kext");
        assertEquals(KextutilCommand.EXIT_LOAD_FAILED, r.status());
        assertEquals("(kernel) kxld[com.example.Empty]: executable Empty has no classes to link.\n"
                + "(kernel) Failed to load executable for kext com.example.Empty.\n"
                + "Failed to load Empty.kext - (libkern/kext) link error.\n"
                + KextutilMessages.CHECK_LIBRARIES + "\n", r.err());
    }

    @Test
    void safeBootRefusesToLoadAKextWithoutOsBundleRequired() {
        CliResult r = world.run("kextutil", "-x", "Foo.kext");
        assertEquals(KextutilCommand.EXIT_SAFE_BOOT, r.status());
        assertEquals("Foo.kext is not eligible for loading during safe boot.\n"
                + "Diagnostics for Foo.kext:\n"
                + "Boot Level Restrictions: \n"
                + "    Kext isn't loadable during safe boot.\n", r.err());
        assertFalse(world.kernel().isLoaded("com.example.Foo"));
    }

    @Test
    void safeBootWithoutLoadingIsANoticeAndABadKext() {
        CliResult r = world.run("kextutil", "-n", "-x", "Foo.kext");
        assertEquals(KextutilCommand.EXIT_KEXT_BAD, r.status());
        assertTrue(r.err().startsWith("Notice: Foo.kext is not eligible for loading during safe boot.\n"
                + "Diagnostics for Foo.kext:\n"), r.err());

        Kexts.kext("Root.kext").id("com.example.Root").version("1.0").executable("Root").required("Root")
                .library("com.apple.kpi.libkern", "8.0").writeTo(world.work());
        CliResult ok = world.run("kextutil", "-n", "-x", "Root.kext");
        assertEquals(0, ok.status(), ok.toString());
        assertEquals("Root.kext" + INCLUDING, ok.err());
    }

    @Test
    void loadOnlyAndMatchOnlyAskTheKernelForPartOfTheLoad() {
        assertEquals(0, world.run("kextutil", "-l", "Foo.kext").status());
        assertEquals(LoadRequest.Mode.LOAD_AND_START, world.kernel().requests().get(0).mode());

        Kexts.kext("Match.kext").id("com.example.Match").version("1.0").executable("Match")
                .library("com.apple.kpi.libkern", "8.0").writeTo(world.work());
        CliResult r = world.run("kextutil", "-m", "-p", "MatchDriver", "Match.kext");
        assertEquals(0, r.status(), r.toString());
        assertEquals("Match.kext" + INCLUDING, r.err());
        LoadRequest match = world.kernel().requests().get(1);
        assertEquals(LoadRequest.Mode.MATCH_ONLY, match.mode());
        assertEquals(List.of("MatchDriver"), match.personalityNames());
        assertEquals(List.of("com.example.Match"), world.kernel().personalitiesSent());
        assertFalse(world.kernel().isLoaded("com.example.Match"));
    }

    @Test
    void debugPropertiesAreNoticed() {
        Kexts.kext("Dbg.kext").id("com.example.Dbg").version("1.0").executable("Dbg")
                .library("com.apple.kpi.libkern", "8.0")
                .personality("DbgDriver", "DbgDriver", "IOResources", "<key>IOKitDebug</key><integer>65535</integer>")
                .writeTo(world.work());
        CliResult r = world.run("kextutil", "-n", "Dbg.kext");
        assertEquals("Notice: Dbg.kext has debug properties set.\nDbg.kext" + INCLUDING, r.err());
    }

    @Test
    void aKextFoundByIdentifierIsNamedByItsBundlePath() throws Exception {
        Path repo = Files.createDirectories(world.work().resolve("repo"));
        Path bar = Kexts.kext("Bar.kext").id("com.example.Bar").version("1.0").executable("Bar")
                .library("com.apple.kpi.bsd", "8.0").writeTo(repo);
        CliResult r = world.run("kextutil", "-n", "-r", "repo", "-b", "com.example.Bar", "-b", "com.example.Nope");
        assertEquals(KextutilCommand.EXIT_NOT_FOUND, r.status());
        assertEquals("Can't find extension with identifier com.example.Nope.\n" + bar + INCLUDING, r.err());
    }

    @Test
    void aKextNamedByPathIsNotProcessedAgainForItsIdentifier() {
        CliResult r = world.run("kextutil", "-n", "Foo.kext", "-b", "com.example.Foo");
        assertEquals("Foo.kext" + INCLUDING, r.err());
    }

    @Test
    void pathsAreCheckedAsKextToolsDo() {
        CliResult missing = world.run("kextutil", "-n", "Nope.kext");
        assertEquals(ExitCodes.EX_NOINPUT, missing.status());
        assertEquals("Can't stat Nope.kext - No such file or directory.\n", missing.err());

        CliResult wrongType = world.run("kextutil", "-n", "notes.txt");
        assertEquals(ExitCodes.EX_USAGE, wrongType.status());
        assertTrue(wrongType.err().startsWith("notes.txt not of type 'kext'.\nUsage: kextkit kextutil"), wrongType.err());
    }

    @Test
    void conflictingOptionsAreUsageErrorsWithKextToolsWording() {
        assertUsage(KextutilMessages.ONE_OF_LMN, "-l", "-m", "Foo.kext");
        assertUsage(KextutilMessages.NO_AUTHENTICATION_ONLY_WITHOUT_LOAD, "-z", "Foo.kext");
        assertUsage(KextutilMessages.NO_RESOLVE_ONLY_WITHOUT_LOAD, "-Z", "Foo.kext");
        assertUsage(KextutilMessages.NO_KEXTS, "-n");
        assertUsage(KextutilMessages.NO_KEXTS_TO_SEARCH, "-n", "-e", "-b", "com.example.Foo");
        assertUsage(KextutilMessages.archMismatch("arm64", "x86_64"), "-arch", "arm64", "Foo.kext");
        assertUsage("Unknown architecture sparc.", "-n", "-arch", "sparc", "Foo.kext");
        assertUsage("Symbol generation (-symbols, -address, -use-load-addresses, -kernel) is not supported: "
                + "kextkit kexts have no Mach-O symbols.", "-n", "-s", ".", "Foo.kext");
        assertTrue(world.kernel().requests().isEmpty());
    }

    private void assertUsage(String message, String... args) {
        String[] full = new String[args.length + 1];
        full[0] = "kextutil";
        System.arraycopy(args, 0, full, 1, args.length);
        CliResult r = world.run(full);
        assertEquals(ExitCodes.EX_USAGE, r.status(), r.toString());
        assertTrue(r.err().startsWith(message + "\nUsage: kextkit kextutil"), r.err());
    }

    @Test
    void interactiveModeNeedsATerminalAndSaysSo() {
        CliResult r = world.run("kextutil", "-i", "Foo.kext");
        assertEquals(KextutilCommand.EXIT_INTERACTION_REQUIRED, r.status());
        assertEquals("Interactive mode (-interactive, -interactive-all) needs a terminal, "
                + "which kextkit commands do not have.\n", r.err());
        assertTrue(world.kernel().requests().isEmpty());
    }

    @Test
    void aSafeBootKernelAddsANoticeUnlessSafeBootIsSimulated() {
        world.context(world.context().toBuilder().safeBoot(true).build());
        CliResult r = world.run("kextutil", "-n", "Foo.kext");
        assertEquals(KextutilMessages.NOTICE_SAFE_BOOT_SYSTEM + "\nFoo.kext" + INCLUDING, r.err());
    }

    @Test
    void anEmptySearchSetFindsNoKexts() {
        World empty = new World(tmp.resolve("empty"));
        empty.context(empty.context().toBuilder().extensionFolders(List.of()).build());
        CliResult r = World.run(empty.context(), empty.work(), "kextutil", "-n", "-r", ".", "-b", "com.example.Foo");
        assertEquals(ExitCodes.EX_SOFTWARE, r.status());
        assertEquals(KextutilMessages.NO_KEXTS_FOUND + "\n", r.err());
    }

    @Test
    void withoutAKextReaderTheCommandSaysSo() {
        world.context(world.context().toBuilder().inspector(null).build());
        CliResult r = world.run("kextutil", "-n", "Foo.kext");
        assertEquals(ExitCodes.EX_UNAVAILABLE, r.status());
        assertEquals("kextutil: no kext reader is connected to this kextkit command line.\n", r.err());
    }
}
