package org.kextkit.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kextkit.harness.cli.support.CliResult;
import org.kextkit.harness.cli.support.Kexts;
import org.kextkit.harness.cli.support.SimpleKernel;
import org.kextkit.harness.cli.support.World;

class KextloadCommandTest {
    @TempDir
    Path tmp;

    private World world;
    private Path foo;

    @BeforeEach
    void setUp() {
        world = new World(tmp);
        foo = Kexts.kext("Foo.kext").id("com.example.Foo").version("1.0").executable("Foo")
                .library("com.apple.kpi.libkern", "8.0").writeTo(world.work());
    }

    @Test
    void aSuccessfulLoadIsSilentByDefaultAndLoadsTheKext() {
        CliResult r = world.run("kextload", "Foo.kext");
        assertEquals(0, r.status(), r.toString());
        assertEquals("", r.out());
        assertEquals("", r.err());
        assertTrue(world.kernel().isLoaded("com.example.Foo"));
    }

    @Test
    void verboseReportsTheRequestTheKernelAndTheOutcomeWithTheAbsolutePath() {
        CliResult r = world.run("kextload", "-v", "./Foo.kext");
        assertEquals(0, r.status(), r.toString());
        assertEquals("Requesting load of " + foo + ".\n"
                + "(kernel) Kext com.example.Foo loaded.\n"
                + foo + " loaded successfully (or already loaded).\n", r.err());
    }

    @Test
    void loadingAgainSucceedsAsAlreadyLoaded() {
        world.run("kextload", "Foo.kext");
        CliResult r = world.run("kextload", "-v", "1", "Foo.kext");
        assertEquals(0, r.status());
        assertEquals("Requesting load of " + foo + ".\n" + foo + " loaded successfully (or already loaded).\n", r.err());
    }

    @Test
    void theSearchSetIsSystemFoldersThenKextsThenRepositoriesThenDependencies() throws Exception {
        Path repo = Files.createDirectories(world.work().resolve("repo"));
        Path dep = Files.createDirectories(world.work().resolve("deps")).resolve("Dep.kext");
        world.run("kextload", "-d", "deps/Dep.kext", "-r", "repo", "Foo.kext");
        LoadRequest request = world.kernel().requests().get(0);
        assertEquals(List.of(world.system(), foo, repo, dep), request.searchPaths());
        assertEquals(foo, request.kext());
        assertEquals(LoadRequest.Mode.LOAD_START_AND_MATCH, request.mode());
    }

    @Test
    void loadsByIdentifierFromARepositoryBeforeKextsNamedByPath() throws Exception {
        Path repo = Files.createDirectories(world.work().resolve("repo"));
        Kexts.kext("Bar.kext").id("com.example.Bar").version("2.0").executable("Bar")
                .library("com.apple.kpi.bsd", "8.0").writeTo(repo);
        CliResult r = world.run("kextload", "-v", "-r", "repo", "Foo.kext", "-b", "com.example.Bar");
        assertEquals(0, r.status(), r.toString());
        List<String> lines = r.err().lines().toList();
        assertEquals("Requesting load of com.example.Bar.", lines.get(0));
        assertEquals("com.example.Bar loaded successfully (or already loaded).", lines.get(2));
        assertEquals("Requesting load of " + foo + ".", lines.get(3));
        assertTrue(world.kernel().isLoaded("com.example.Bar"));
    }

    @Test
    void aStartFailureShowsTheKernelLineAndKextloadsFailureLineAndExitsOserr() {
        Kexts.kext("Bad.kext").id("com.example.Bad").version("1.0").executable("Bad")
                .library("com.apple.kpi.libkern", "8.0").integer(SimpleKernel.START_RESULT_KEY, 5).writeTo(world.work());
        CliResult r = world.run("kextload", "Bad.kext");
        assertEquals(ExitCodes.EX_OSERR, r.status());
        Path bad = world.work().resolve("Bad.kext");
        assertEquals("(kernel) Kext com.example.Bad start failed (result 0x5).\n"
                + bad + " failed to load - (libkern/kext) kext (kmod) start/stop routine failed; "
                + "check the system/kernel logs for errors or try kextutil(8).\n", r.err());
        assertFalse(world.kernel().isLoaded("com.example.Bad"));
    }

    @Test
    void everyKextIsTriedAndTheFirstFailureDecidesTheStatus() {
        Kexts.kext("Orphan.kext").id("com.example.Orphan").version("1.0").executable("Orphan")
                .library("com.example.Missing", "1.0").writeTo(world.work());
        CliResult r = world.run("kextload", "Orphan.kext", "Foo.kext");
        assertEquals(ExitCodes.EX_OSERR, r.status());
        assertTrue(r.err().contains("Orphan.kext failed to load - (libkern/kext) dependency resolution failure; "), r.err());
        assertTrue(world.kernel().isLoaded("com.example.Foo"));
    }

    @Test
    void ignoredOptionsPrintTheirNoticesInCommandLineOrder() {
        CliResult r = world.run("kextload", "-t", "-c", "-D", "Foo.kext");
        assertEquals(0, r.status(), r.toString());
        assertEquals(KextloadMessages.NOTICE_PRINT_DIAGNOSTICS + "\n" + KextloadMessages.NOTICE_NO_CACHES + "\n"
                + KextloadMessages.NOTICE_NO_LOADED_CHECK + "\n", r.err());
    }

    @Test
    void developerOptionsSendTheUserToKextutilWithoutLoading() {
        for (String option : List.of("-n", "-no-load", "-x", "-arch", "-Z")) {
            List<String> args = option.equals("-arch") ? List.of("kextload", option, "x86_64", "Foo.kext")
                    : List.of("kextload", option, "Foo.kext");
            CliResult r = world.run(args.toArray(new String[0]));
            assertEquals(ExitCodes.EX_USAGE, r.status(), option);
            assertTrue(r.err().startsWith("Use kextutil(8) for development loading of kexts.\nUsage: kextkit kextload "),
                    r.err());
        }
        assertTrue(world.kernel().requests().isEmpty());
    }

    @Test
    void namingNothingIsAUsageErrorWithKextToolsWording() {
        CliResult r = world.run("kextload", "-v");
        assertEquals(ExitCodes.EX_USAGE, r.status());
        assertTrue(r.err().startsWith("No kernel extensions specified; name kernel extension bundles\n"
                + "    following options, or use -bundle-id (-b).\nUsage: kextkit kextload"), r.err());
    }

    @Test
    void quietSilencesFailures() {
        Kexts.kext("Bad.kext").id("com.example.Bad").version("1.0").executable("Bad")
                .library("com.apple.kpi.libkern", "8.0").integer(SimpleKernel.START_RESULT_KEY, 5).writeTo(world.work());
        CliResult r = world.run("kextload", "-q", "Bad.kext");
        assertEquals(ExitCodes.EX_OSERR, r.status());
        assertEquals("", r.err());
    }

    @Test
    void aStoppedKernelIsReportedOnce() {
        world.kernel().shutDown();
        CliResult r = world.run("kextload", "Foo.kext");
        assertEquals(ExitCodes.EX_OSERR, r.status());
        assertEquals("Can't contact the kernel to load " + foo + " - the kernel is not running.\n", r.err());
    }

    @Test
    void aVerboseLevelIsNotMistakenForAKextAndAKextIsNotMistakenForALevel() {
        CliResult r = world.run("kextload", "-v", "Foo.kext");
        assertEquals(0, r.status(), r.toString());
        assertTrue(world.kernel().isLoaded("com.example.Foo"));
        CliResult bad = world.run("kextload", "-v", "0xZZ", "Foo.kext");
        assertEquals(ExitCodes.EX_USAGE, bad.status());
        assertTrue(bad.err().startsWith("kextload: Can't parse verbose argument 0xZZ.\n"), bad.err());
    }
}
