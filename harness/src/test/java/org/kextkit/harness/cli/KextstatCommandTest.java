package org.kextkit.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kextkit.harness.bundle.KextExecutable;
import org.kextkit.harness.cli.support.CliResult;
import org.kextkit.harness.cli.support.Kexts;
import org.kextkit.harness.cli.support.World;

class KextstatCommandTest {
    @TempDir
    Path tmp;

    private World world;

    @BeforeEach
    void setUp() {
        world = new World(tmp);
    }

    private String uuid(String kextPath) throws Exception {
        return KextExecutable.read(Path.of(kextPath)).uuid();
    }

    private String kpiRow(int tag, int refs, String shortName) throws Exception {
        String uuid = uuid(world.system().resolve(shortName + ".kext/Contents/MacOS/" + shortName).toString());
        return String.format("%5d %4d 0                  0          0          com.apple.kpi.%s (20.5.0) %s\n",
                tag, refs, shortName, uuid);
    }

    @Test
    void aFreshKernelListsItsKpiPseudoKextsUnderTheHeader() throws Exception {
        CliResult r = world.run("kextstat");
        assertEquals(0, r.status(), r.toString());
        assertEquals(KextstatFormatter.HEADER + "\n"
                + kpiRow(1, 0, "bsd") + kpiRow(2, 0, "iokit") + kpiRow(3, 0, "libkern") + kpiRow(4, 0, "mach"), r.out());
        assertEquals("", r.err());
    }

    @Test
    void aLoadedKextShowsItsAddressSizesAndLinkedAgainstTagsAndBumpsTheirRefs() throws Exception {
        Path foo = Kexts.kext("Foo.kext").id("com.example.Foo").version("1.2.3d4").executable("Foo")
                .library("com.apple.kpi.libkern", "8.0").library("com.apple.kpi.iokit", "8.0").writeTo(world.work());
        assertEquals(0, world.run("kextload", "Foo.kext").status());

        CliResult r = world.run("kextstat", "-l");
        String fooUuid = uuid(foo.resolve("Contents/MacOS/Foo").toString());
        assertEquals(kpiRow(1, 0, "bsd") + kpiRow(2, 1, "iokit") + kpiRow(3, 1, "libkern") + kpiRow(4, 0, "mach")
                + "    5    0 0xffffff7f80500000 0x1000     0x1000     com.example.Foo (1.2.3d4) " + fooUuid + " <3 2>\n",
                r.out());
    }

    @Test
    void noKernelHidesPseudoKextsUnlessAskedForByIdentifier() throws Exception {
        Kexts.kext("Foo.kext").id("com.example.Foo").version("1.0").executable("Foo")
                .library("com.apple.kpi.libkern", "8.0").writeTo(world.work());
        world.run("kextload", "Foo.kext");

        String k = world.run("kextstat", "-k", "-l").out();
        assertTrue(k.startsWith("    5    0 0x"), k);
        assertEquals(1, k.lines().count(), k);

        String kb = world.run("kextstat", "-no-kernel", "-list-only", "-bundle-id", "com.apple.kpi.mach",
                "-b", "com.example.Foo").out();
        assertEquals(kpiRow(4, 0, "mach"), kb.lines().findFirst().orElseThrow() + "\n");
        assertEquals(2, kb.lines().count(), kb);
    }

    @Test
    void architectureColumnComesWithItsHeading() {
        CliResult r = world.run("kextstat", "-a", "-b", "com.apple.kpi.bsd");
        assertEquals(KextstatFormatter.HEADER_WITH_ARCH, r.out().lines().findFirst().orElseThrow());
        assertTrue(r.out().contains(" 0          x86_64             com.apple.kpi.bsd (20.5.0) "), r.out());
    }

    @Test
    void aKernelThatCannotBeQueriedExitsWithOserr() {
        world.kernel().shutDown();
        CliResult r = world.run("kextstat");
        assertEquals(ExitCodes.EX_OSERR, r.status());
        assertEquals("Couldn't get list of loaded kexts from kernel - the kernel is not running.\n", r.err());
        assertEquals("", r.out());
    }

    @Test
    void withoutAKernelConnectedTheCommandSaysSoAndExitsUnavailable() {
        world.context(world.context().toBuilder().kernel(null).build());
        CliResult r = world.run("kextstat");
        assertEquals(ExitCodes.EX_UNAVAILABLE, r.status());
        assertEquals("kextstat: no kernel is connected to this kextkit command line.\n", r.err());
    }

    @Test
    void extraArgumentsAreAUsageError() {
        CliResult r = world.run("kextstat", "Foo.kext");
        assertEquals(ExitCodes.EX_USAGE, r.status());
        assertTrue(r.err().startsWith("Extra arguments starting at Foo.kext....\nUsage: kextkit kextstat "), r.err());
    }
}
