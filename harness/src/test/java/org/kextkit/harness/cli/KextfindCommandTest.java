package org.kextkit.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kextkit.harness.cli.support.CliResult;
import org.kextkit.harness.cli.support.Kexts;
import org.kextkit.harness.cli.support.World;

/**
 * Runs kextfind over one fixed set of kexts (besides the system KPIs):
 * <pre>
 * repo/A-old.kext  com.example.A        0.9    library (compatible 0.9), OSBundleRequired "root"
 * repo/A.kext      com.example.A        1.0    library (compatible 1.0), Root, CFBundleName Alpha,
 *                                              personality AlphaDriver (IOProbeScore 1000, IOKitDebug 0)
 *   PlugIns/P.kext com.example.A.Plugin 1.0    codeless, Safe Boot
 * repo/B.kext      com.example.B        2.5    needs A 1.0 and kpi.bsd, Console, kext logging on,
 *                                              MyFlag true, List (2 items), Blob (4 bytes)
 * repo/C.kext      com.example.C        1.0b2  needs com.example.Missing, Local-Root, Weight 10,
 *                                              deprecated OSBundleDebugLevel (a warning)
 * repo/D.kext      com.example.D        1.0    codeless, CFBundlePackageType APPL (invalid)
 * </pre>
 */
class KextfindCommandTest {
    @TempDir
    Path tmp;

    private World world;
    private Path repo;

    @BeforeEach
    void setUp() throws Exception {
        world = new World(tmp);
        repo = Files.createDirectories(world.work().resolve("repo"));
        Kexts.kext("A-old.kext").id("com.example.A").version("0.9").compatible("0.9").executable("A")
                .library("com.apple.kpi.libkern", "8.0").required("root").writeTo(repo);
        Path a = Kexts.kext("A.kext").id("com.example.A").version("1.0").compatible("1.0").executable("A").name("Alpha")
                .library("com.apple.kpi.libkern", "8.0").required("Root")
                .personality("AlphaDriver", "AlphaDriver", "IOPCIDevice",
                        "<key>IOProbeScore</key><integer>1000</integer>", "<key>IOKitDebug</key><integer>0</integer>")
                .writeTo(repo);
        Kexts.kext("P.kext").id("com.example.A.Plugin").version("1.0").required("Safe Boot").writeAsPluginOf(a);
        Kexts.kext("B.kext").id("com.example.B").version("2.5").executable("B")
                .library("com.example.A", "1.0").library("com.apple.kpi.bsd", "8.0").required("Console")
                .bool("OSBundleEnableKextLogging", true).bool("MyFlag", true)
                .xml("<key>List</key><array><string>a</string><string>b</string></array>")
                .xml("<key>Blob</key><data>AAECAw==</data>")
                .writeTo(repo);
        Kexts.kext("C.kext").id("com.example.C").version("1.0b2").executable("C")
                .library("com.example.Missing", "1.0").required("Local-Root").integer("Weight", 10)
                .integer("OSBundleDebugLevel", 1).writeTo(repo);
        Kexts.kext("D.kext").id("com.example.D").version("1.0").string("CFBundlePackageType", "APPL").writeTo(repo);
    }

    /** Run kextfind over the system KPIs and repo, printing bundle names only. */
    private CliResult find(String... query) {
        List<String> args = new ArrayList<>(List.of("kextfind", "-no-paths", "-e", "repo"));
        args.addAll(Arrays.asList(query));
        return world.run(args.toArray(new String[0]));
    }

    /** Return the names printed for a query, asserting it succeeded. */
    private List<String> names(String... query) {
        CliResult r = find(query);
        assertEquals(0, r.status(), r.toString());
        return r.out().lines().toList();
    }

    private static List<String> kexts(String... names) {
        List<String> result = new ArrayList<>();
        for (String n : names) {
            result.add(n + ".kext");
        }
        return result;
    }

    @Test
    void withNoQueryEveryKextIsPrintedInScanOrderPluginsAfterTheirContainer() {
        assertEquals(kexts("bsd", "iokit", "libkern", "mach", "A-old", "A", "P", "B", "C", "D"), names());
    }

    @Test
    void withNoDirectoryTheSystemExtensionFoldersAreSearchedAndFullPathsPrinted() {
        CliResult r = world.run("kextfind", "-b", "com.apple.kpi.mach");
        assertEquals(world.system().resolve("mach.kext") + "\n", r.out());
    }

    @Test
    void identityPredicates() {
        assertEquals(kexts("A-old", "A"), names("-b", "com.example.A"));
        assertEquals(kexts("A-old", "A", "P"), names("-b", "-s", "example.A"));
        assertEquals(kexts("B"), names("-bundle-id", "-i", "COM.EXAMPLE.B"));
        assertEquals(kexts("B"), names("-B", "B.kext"));
        assertEquals(kexts("mach", "A-old", "A"), names("-bundle-name", "-is", "a"));
        assertEquals(kexts("A-old", "A"), names("-dup"));
        assertEquals(kexts("A-old", "A"), names("-duplicate-id", "-b", "-s", "example"));
    }

    @Test
    void globalCaseInsensitiveAndSubstringOptionsApplyToEveryStringMatch() {
        CliResult r = world.run("kextfind", "-i", "-s", "-no-paths", "repo", "-b", "EXAMPLE.B");
        assertEquals("B.kext\n", r.out());
    }

    @Test
    void propertyPredicatesCompareStringsNumbersAndBooleans() {
        assertEquals(kexts("A"), names("-p", "CFBundleName", "Alpha"));
        assertEquals(kexts("B"), names("-property", "MyFlag", "yes"));
        assertEquals(kexts("B"), names("-p", "OSBundleEnableKextLogging", "1"));
        assertEquals(kexts("C"), names("-p", "Weight", "10"));
        assertEquals(List.of(), names("-p", "-s", "Weight", "1"));
        assertEquals(kexts("bsd", "iokit", "libkern", "mach", "A-old", "A"), names("-p", "-i", "OSBundleRequired", "ROOT"));
        assertEquals(kexts("B"), names("-pe", "OSBundleEnableKextLogging"));
        assertEquals(kexts("B"), names("-property-exists", "Blob"));
    }

    @Test
    void personalityPredicatesLookInsideEveryPersonality() {
        assertEquals(kexts("A"), names("-m", "IOProbeScore", "1000"));
        assertEquals(kexts("A"), names("-match-property", "-s", "IOClass", "Alpha"));
        assertEquals(kexts("A"), names("-me", "IOProviderClass"));
        assertEquals(List.of(), names("-match-property-exists", "CFBundleIdentifier"));
    }

    @Test
    void statePredicates() throws Exception {
        assertEquals(kexts("D"), names("-nv"));
        assertEquals(kexts("bsd", "iokit", "libkern", "mach", "A-old", "A", "P", "B", "C"), names("-valid"));
        assertEquals(kexts("C", "D"), names("-nd"));
        assertEquals(kexts("C", "D"), names("-dependencies-missing"));
        assertEquals(kexts("C", "D"), names("-nl"));
        assertEquals(kexts("A-old", "A", "P", "B"), names("-loadable", "-b", "-s", "example"));
        assertEquals(kexts("C"), names("-w"));
        assertEquals(List.of(), names("-na"));
        Files.setPosixFilePermissions(repo.resolve("B.kext"), PosixFilePermissions.fromString("rwxrwxr-x"));
        assertEquals(kexts("B"), names("-inauthentic"));
        assertEquals(kexts("B", "C", "D"), names("-nonloadable"));
    }

    @Test
    void bundleKindPredicates() {
        assertEquals(kexts("A-old", "A"), names("-lib", "-b", "-s", "example"));
        assertEquals(kexts("bsd", "iokit", "libkern", "mach"), names("-kernel-resource"));
        assertEquals(kexts("A"), names("-has-plugins"));
        assertEquals(kexts("P"), names("-plugin"));
        assertEquals(kexts("B"), names("-debug"));
        assertEquals(kexts("A-old", "A", "B", "C"), names("-x", "-b", "-s", "example"));
        assertEquals(kexts("P", "D"), names("-nx"));
        assertEquals(kexts("P", "D"), names("-no-executable"));
    }

    @Test
    void versionPredicatesWithOperatorsAndRanges() {
        assertEquals(kexts("B"), names("-V", "2.5"));
        assertEquals(kexts("B"), names("-V", "e2.5"));
        assertEquals(kexts("B"), names("-b", "-s", "example", "-V", "gt1.0"));
        assertEquals(kexts("A", "P", "B", "D"), names("-b", "-s", "example", "-version", "ge1.0"));
        assertEquals(kexts("A-old", "C"), names("-b", "-s", "example", "-V", "lt1.0"));
        assertEquals(kexts("A-old", "A", "P", "C", "D"), names("-b", "-s", "example", "-V", "le1.0"));
        assertEquals(kexts("A-old", "B", "C"), names("-b", "-s", "example", "-V", "ne1.0"));
        assertEquals(kexts("A-old", "A", "P", "C", "D"), names("-b", "-s", "example", "-V", "0.9-1.0"));
        assertEquals(kexts("A"), names("-b", "-s", "example", "-compatible-with-version", "1.0"));
        assertEquals(kexts("A-old"), names("-compatible-with-version", "0.9"));
    }

    @Test
    void bootPredicatesCompareOsBundleRequiredExactlyWhateverTheCaseOptions() {
        assertEquals(kexts("bsd", "iokit", "libkern", "mach", "A"), names("-R"));
        CliResult insensitive = world.run("kextfind", "-i", "-no-paths", "repo", "-root");
        assertEquals("A.kext\n", insensitive.out());
        assertEquals(kexts("B"), names("-C"));
        assertEquals(kexts("B"), names("-console"));
        assertEquals(kexts("C"), names("-L"));
        assertEquals(kexts("C"), names("-local-root"));
        assertEquals(kexts("P"), names("-S"));
        assertEquals(kexts("P"), names("-safe-boot"));
        assertEquals(List.of(), names("-N"));
        assertEquals(List.of(), names("-network-root"));
    }

    @Test
    void integrityNeverMatchesAndSaysWhy() {
        CliResult r = find("-integrity", "correct");
        assertEquals(0, r.status());
        assertEquals("", r.out());
        assertEquals("Integrity states are no longer used; no kexts will match.\n", r.err());
    }

    @Test
    void loadedComparesIdentifierVersionAndUuidWithTheKernel() {
        assertEquals(0, world.run("kextload", "-r", "repo", "repo/A.kext").status());
        assertEquals(kexts("bsd", "iokit", "libkern", "mach", "A"), names("-loaded"));
    }

    @Test
    void negationBindsTighterThanAndWhichBindsTighterThanOr() {
        assertEquals(kexts("A-old", "A", "B"), names("-b", "com.example.B", "-or", "-b", "com.example.A", "-lib"));
        assertEquals(kexts("A-old", "A"), names("(", "-b", "com.example.B", "-or", "-b", "com.example.A", ")", "-lib"));
        assertEquals(kexts("B", "C"), names("!", "-lib", "-x"));
        assertEquals(kexts("P", "B", "C", "D"), names("-not", "(", "-lib", "-and", "-x", ")"));
        assertEquals(names("-lib", "-x"), names("-lib", "-and", "-x"));
        assertEquals(kexts("D"), names("!", "!", "-nv"));
    }

    @Test
    void evaluationShortCircuits() {
        // -or evaluates its right side only for non-libraries (P, B, C, D); -and only for libraries.
        assertEquals("checked\nchecked\nchecked\nchecked\n", find("-lib", "-or", "-echo", "checked").out());
        assertEquals("L\nL\n", find("-b", "-s", "example", "-lib", "-echo", "L").out());
        assertEquals("", find("-nv", "-lib", "-echo", "never").out());
    }

    @Test
    void commandsReplaceTheImplicitPrint() {
        assertEquals("A-old.kext\0A.kext\0", find("-b", "com.example.A", "-print0").out());
        assertEquals("A-old.kext\0A.kext\0", find("-b", "com.example.A", "-print", "-0").out());
        assertEquals("hi\nhi\n", find("-b", "com.example.A", "-echo", "hi").out());
        assertEquals("hihi", find("-b", "com.example.A", "-echo", "-n", "hi").out());
        assertEquals("CFBundleVersion = \"0.9\"\nCFBundleVersion = \"1.0\"\n",
                find("-b", "com.example.A", "-print-property", "CFBundleVersion").out());
        assertEquals("Weight = 10\n", find("-b", "com.example.C", "-pp", "Weight").out());
        assertEquals("MyFlag = true\nList = <array of 2 items>\nBlob = <data (4 bytes): 00010203>\n",
                find("-b", "com.example.B", "-pp", "MyFlag", "-pp", "List", "-pp", "Blob").out());
        assertEquals("IOKitPersonalities = <dictionary of 1 items>\n",
                find("-b", "com.example.A", "-V", "1.0", "-pp", "IOKitPersonalities").out());
        assertEquals("AlphaDriver: IOClass = \"AlphaDriver\"\n", find("-pm", "IOClass").out());
        assertEquals("AlphaDriver: IOProbeScore = 1000\0", find("-print-match-property", "-0", "IOProbeScore").out());
    }

    @Test
    void printCommandsForPathsDependenciesAndPlugins() {
        assertEquals("A.kext/Contents/Info.plist\n", find("-has-plugins", "-pid").out());
        assertEquals("A.kext/Contents/MacOS/A\n", find("-has-plugins", "-print-executable").out());
        assertEquals("", find("-plugin", "-px").out());
        assertEquals("P.kext\n", find("-has-plugins", "-print-plugins").out());
        assertEquals("libkern.kext\nA.kext\nbsd.kext\n", find("-b", "com.example.B", "-print-dependencies").out());
        assertEquals("B.kext\n", find("-b", "com.example.A", "-V", "1.0", "-print-dependents").out());
        assertEquals("n/a\n", find("-b", "com.example.B", "-print-integrity").out());
    }

    @Test
    void printDiagnosticsRunsEveryCheckAndPrintsToStdout() {
        assertEquals("Dependency Resolution Failures: \n"
                + "    No kexts found for these libraries: \n"
                + "        com.example.Missing\n"
                + "\n"
                + "Warnings: \n"
                + "    Deprecated property (ignored): \n"
                + "        OSBundleDebugLevel\n"
                + "    Kext declares no com.apple.kpi.* libraries; if it references any kernel symbols, it may fail to link.\n",
                find("-b", "com.example.C", "-pdiag").out());
    }

    @Test
    void pathStyles() {
        CliResult relative = world.run("kextfind", "-relative-paths", "repo", "-plugin");
        assertEquals("A.kext/Contents/PlugIns/P.kext\n", relative.out());
        CliResult full = world.run("kextfind", "repo", "-plugin");
        assertEquals(repo.resolve("A.kext/Contents/PlugIns/P.kext") + "\n", full.out());
        CliResult searchItem = world.run("kextfind", "-no-paths", "-f", "repo/A.kext");
        assertEquals("A.kext\nP.kext\n", searchItem.out());
    }

    @Test
    void reportsAreTabSeparatedWithAHeaderBeforeTheFirstRow() {
        CliResult r = find("-b", "-s", "example", "-nl", "-report", "-print", "-v", "-a", "-d");
        assertEquals(0, r.status(), r.toString());
        assertEquals("Bundle\tValid\tAuthentic\tDependencies Met\n"
                + "C.kext\tyes\tyes\tno\n"
                + "D.kext\tno\tyes\tno\n", r.out());
    }

    @Test
    void reportCellsForPropertiesCountsAndPaths() {
        CliResult r = find("-b", "-s", "example", "-report", "-no-header", "-b", "-V", "-B", "-p", "Weight", "-pp", "List",
                "-lib", "-print-dependencies", "-print-plugins", "-pid", "-integrity", "-x");
        assertEquals(0, r.status(), r.toString());
        assertEquals(""
                + "com.example.A\t0.9\t<null>\t<null>\t<null>\tyes\t1\t0\tA-old.kext/Contents/Info.plist\tn/a\tyes\n"
                + "com.example.A\t1.0\tAlpha\t<null>\t<null>\tyes\t1\t1\tA.kext/Contents/Info.plist\tn/a\tyes\n"
                + "com.example.A.Plugin\t1.0\t<null>\t<null>\t<null>\tno\t0\t0\tP.kext/Contents/Info.plist\tn/a\tno\n"
                + "com.example.B\t2.5\t<null>\t<null>\t<array of 2>\tno\t3\t0\tB.kext/Contents/Info.plist\tn/a\tyes\n"
                + "com.example.C\t1.0b2\t<null>\t10\t<null>\tno\t0\t0\tC.kext/Contents/Info.plist\tn/a\tyes\n"
                + "com.example.D\t1.0\t<null>\t<null>\t<null>\tno\t0\t0\tD.kext/Contents/Info.plist\tn/a\tno\n", r.out());
    }

    @Test
    void aReportWithNoMatchesPrintsNoHeader() {
        assertEquals("", find("-N", "-report", "-print").out());
    }

    @Test
    void malformedQueriesAreUsageErrorsWithKextfindsWording() {
        assertQueryError("Unknown option/query predicate '-bogus' (arg #2).\nUsage: kextkit kextfind", "-bogus");
        assertQueryError("Expected query predicate, found '-bogus' (arg #3).\n", "-lib", "-bogus");
        assertQueryError("Unbalanced groups or trailing operator.\n", "-lib", "-or");
        assertQueryError("Unbalanced groups or trailing operator.\n", "(", "-lib");
        assertQueryError("Unbalanced groups or trailing operator.\n", "!");
        assertQueryError("Empty group near arg #3.\n", "(", ")");
        assertQueryError("Query syntax error near ')' (arg #3).\n", "-lib", ")");
        assertQueryError("Query syntax error near '-or' (arg #2).\n", "-or", "-lib");
        assertQueryError("Invalid/missing option or argument for '-b' (arg #2).\n", "-b");
        assertQueryError("Invalid/missing option or argument for '-p' (arg #2).\n", "-p", "Key");
        assertQueryError("-print is a predicate keyword (use -- to end options before arguments starting with a hyphen).\n"
                + "Invalid/missing option or argument for '-b' (arg #2).\n", "-b", "-print");
        assertQueryError("Invalid option -q for -b (use -- to end options before arguments starting with a hyphen).\n"
                + "Invalid/missing option or argument for '-b' (arg #2).\n", "-b", "-q", "x");
        assertQueryError("Invalid version string 'xyz'.\nInvalid/missing option or argument for '-V' (arg #3).\n",
                "-lib", "-V", "xyz");
        assertQueryError("Invalid version string 'ge1.0-2.0'.\n", "-V", "ge1.0-2.0");
        assertQueryError("Invalid/missing option or argument for '-integrity' (arg #2).\n", "-integrity", "perfect");
        assertQueryError("-arch is not supported by kextkit: kexts are Java executables without Mach-O architectures "
                + "or symbols.\n", "-arch", "x86_64");
        assertQueryError("-exec is not supported by kextkit: the kext daemon runs no programs for its clients.\n",
                "-exec", "echo", "{}", ";");
    }

    @Test
    void malformedReportsAreUsageErrors() {
        assertQueryError("Can't do report; query has commands.\n", "-print", "-report", "-print");
        assertQueryError("No report predicates specified.\nUsage: kextkit kextfind", "-report");
        assertQueryError("Expected report predicate, found '-nv' (arg #4).\n", "-report", "-print", "-nv");
        assertQueryError("Invalid/missing option or argument for '-p' (arg #3).\n", "-report", "-p");
    }

    private void assertQueryError(String expectedStart, String... query) {
        CliResult r = world.run(concat(new String[] {"kextfind", "repo"}, query));
        assertEquals(ExitCodes.EX_USAGE, r.status(), r.toString());
        assertTrue(r.err().startsWith(expectedStart), () -> "stderr was:\n" + r.err());
        assertEquals("", r.out());
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    @Test
    void argumentsAfterDoubleDashAreTakenLiterally() {
        assertEquals(List.of(), names("-b", "--", "-weird"));
    }

    @Test
    void badOptionsBeforeTheQuery() {
        CliResult missing = world.run("kextfind", "-f", "nowhere");
        assertEquals(ExitCodes.EX_USAGE, missing.status());
        assertTrue(missing.err().startsWith("Can't stat nowhere - No such file or directory.\nUsage: kextkit kextfind"),
                missing.err());
        CliResult arch = world.run("kextfind", "-set-arch", "sparc");
        assertTrue(arch.err().startsWith("Unknown architecture sparc.\n"), arch.err());
    }

    @Test
    void helpGoesToStdout() {
        CliResult r = world.run("kextfind", "-help");
        assertEquals(0, r.status());
        assertTrue(r.out().startsWith("Usage: kextkit kextfind [options] [directory or kext ...] [query]\n"), r.out());
        assertTrue(r.out().contains("Report predicates"), r.out());
    }

    @Test
    void anEmptySearchSetFindsNoKexts() throws Exception {
        Files.createDirectories(world.work().resolve("empty"));
        CliResult r = world.run("kextfind", "empty");
        assertEquals(ExitCodes.EX_SOFTWARE, r.status());
        assertEquals("No kernel extensions found.\n", r.err());
    }

    @Test
    void loadedNeedsAReachableKernel() {
        world.kernel().shutDown();
        CliResult r = find("-loaded");
        assertEquals(ExitCodes.EX_OSERR, r.status());
        assertEquals("Couldn't get list of loaded kexts from kernel - the kernel is not running.\n", r.err());
    }
}
