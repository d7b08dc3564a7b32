package org.kextkit.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kextkit.harness.cli.support.CliResult;
import org.kextkit.harness.cli.support.Kexts;
import org.kextkit.harness.cli.support.World;

class KextunloadCommandTest {
    @TempDir
    Path tmp;

    private World world;

    @BeforeEach
    void setUp() {
        world = new World(tmp);
        Kexts.kext("Lib.kext").id("com.example.Lib").version("1.0").compatible("1.0").executable("Lib")
                .library("com.apple.kpi.libkern", "8.0").writeTo(world.work());
        Kexts.kext("Foo.kext").id("com.example.Foo").version("1.0").executable("Foo")
                .library("com.apple.kpi.libkern", "8.0").library("com.example.Lib", "1.0").writeTo(world.work());
        assertEquals(0, world.run("kextload", "-r", ".", "Foo.kext").status());
    }

    @Test
    void unloadingByIdentifierIsSilentByDefaultAndVerboseSaysWhatHappened() {
        CliResult quiet = world.run("kextunload", "-b", "com.example.Foo");
        assertEquals(0, quiet.status(), quiet.toString());
        assertEquals("", quiet.err());
        assertFalse(world.kernel().isLoaded("com.example.Foo"));

        CliResult verbose = world.run("kextunload", "-v", "-bundle-id", "com.example.Lib");
        assertEquals(0, verbose.status(), verbose.toString());
        assertEquals("(kernel) Kext com.example.Lib unloaded.\ncom.example.Lib unloaded and personalities removed.\n",
                verbose.err());
    }

    @Test
    void aLibraryWithDependentsIsInUseAndThePartialFailureStatusIsThree() {
        CliResult r = world.run("kextunload", "-b", "com.example.Lib");
        assertEquals(KextunloadCommand.EXIT_PARTIAL_FAILURE, r.status());
        assertEquals("(kernel) Can't unload kext com.example.Lib; outstanding references 1 (linkage or tracking object).\n"
                + "Failed to unload com.example.Lib - (libkern/kext) kext is in use or retained (cannot unload).\n", r.err());
        assertTrue(world.kernel().isLoaded("com.example.Lib"));
    }

    @Test
    void aKextThatIsNotLoadedIsReportedByTheKernel() {
        CliResult r = world.run("kextunload", "-m", "com.example.Absent");
        assertEquals(KextunloadCommand.EXIT_PARTIAL_FAILURE, r.status());
        assertEquals("(kernel) Kext com.example.Absent not found for unload request.\n"
                + "Failed to unload com.example.Absent - (libkern/kext) not found.\n", r.err());
    }

    @Test
    void personalitiesOnlyLeavesTheKextLoaded() {
        CliResult r = world.run("kextunload", "-v", "-p", "-b", "com.example.Foo");
        assertEquals(0, r.status(), r.toString());
        assertEquals("com.example.Foo: services terminated and personalities removed (kext not unloaded).\n", r.err());
        assertTrue(world.kernel().isLoaded("com.example.Foo"));
    }

    @Test
    void aFailedTerminateAddsTheLogHint() {
        CliResult r = world.run("kextunload", "-p", "-b", "com.example.Absent");
        assertEquals(KextunloadCommand.EXIT_PARTIAL_FAILURE, r.status());
        assertEquals("(kernel) Kext com.example.Absent not found for unload request.\n"
                + "Terminate for com.example.Absent failed - (libkern/kext) not found.\n"
                + KextunloadMessages.CHECK_LOGS + "\n", r.err());
    }

    @Test
    void classesAreTerminatedBeforeKextsAreUnloaded() {
        world.kernel().refuseToTerminate("StuckDriver");
        CliResult r = world.run("kextunload", "-v", "-b", "com.example.Foo", "-c", "FooDriver", "-class", "StuckDriver");
        assertEquals(KextunloadCommand.EXIT_PARTIAL_FAILURE, r.status());
        assertEquals("All instances of class FooDriver terminated.\n"
                + "(kernel) IOService StuckDriver did not terminate.\n"
                + "Failed to terminate class StuckDriver - (libkern/kext) kext is in use or retained (cannot unload).\n"
                + KextunloadMessages.CHECK_LOGS + "\n"
                + "(kernel) Kext com.example.Foo unloaded.\n"
                + "com.example.Foo unloaded and personalities removed.\n", r.err());
        assertEquals(List.of("FooDriver"), world.kernel().terminatedClasses());
        assertFalse(world.kernel().isLoaded("com.example.Foo"));
    }

    @Test
    void aKextNamedByPathIsUnloadedByItsIdentifier() {
        CliResult r = world.run("kextunload", "Foo.kext");
        assertEquals(0, r.status(), r.toString());
        assertFalse(world.kernel().isLoaded("com.example.Foo"));
    }

    @Test
    void anUnreadablePathIsNotFoundButTheRestStillRuns() {
        CliResult r = world.run("kextunload", "-b", "com.example.Foo", "Nowhere.kext");
        assertEquals(KextunloadCommand.EXIT_NOT_FOUND, r.status());
        assertTrue(r.err().endsWith("Can't create Nowhere.kext.\n"), r.err());
        assertFalse(world.kernel().isLoaded("com.example.Foo"));
    }

    @Test
    void aKernelThatForbidsUnloadingStopsAtTheFirstRequestWithStatusTwo() {
        world.kernel().denyUnloads();
        CliResult r = world.run("kextunload", "-b", "com.example.Foo", "-b", "com.example.Lib");
        assertEquals(KextunloadCommand.EXIT_NOT_PRIVILEGED, r.status());
        assertEquals("Unloading kexts is not permitted by this kernel.\n", r.err());
    }

    @Test
    void namingNothingIsAUsageError() {
        CliResult r = world.run("kextunload", "-p");
        assertEquals(ExitCodes.EX_USAGE, r.status());
        assertTrue(r.err().startsWith("No kernel extensions specified.\nUsage: kextkit kextunload "), r.err());
    }
}
