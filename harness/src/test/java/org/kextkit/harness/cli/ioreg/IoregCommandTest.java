package org.kextkit.harness.cli.ioreg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.kextkit.harness.cli.CliContext;
import org.kextkit.harness.cli.KernelUnavailableException;
import org.kextkit.harness.cli.RegistryPort;
import org.kextkit.harness.cli.support.CliResult;
import org.kextkit.harness.cli.support.World;
import org.kextkit.kit.iokit.IORegistryEntry;

/** {@code kextkit ioreg} and {@code kextkit ioclasscount} through the command tree. */
class IoregCommandTest {
    private static final Path CWD = Path.of("/").toAbsolutePath();

    private final SampleRegistry sample = SampleRegistry.build();

    private final RegistryPort registry = new RegistryPort() {
        @Override
        public IORegistryEntry root() {
            return sample.root;
        }

        @Override
        public Map<String, Integer> classCounts() {
            return Map.of("IOService", 6, "IOPCIDevice", 2, "OSObject", 1);
        }
    };

    private CliResult run(String... args) {
        return World.run(CliContext.builder().registry(registry).build(), CWD, args);
    }

    @Test
    void ioregPrintsTheRegistry() {
        CliResult r = run("ioreg", "-c", "com_example_FooEthernet", "-x");
        assertEquals(0, r.status(), r.toString());
        assertEquals("", r.err());
        assertEquals(IoregFormatter.format(sample.root, IoregOptions.builder().className("com_example_FooEthernet")
                .hex(true).build()), r.out());
        assertTrue(r.out().contains("\"IOProbeScore\" = 0x3e8\n"), r.out());
    }

    @Test
    void ioregReadsClusteredOptionsAndAttachedValues() {
        CliResult r = run("ioreg", "-rtd1", "-nusb@14");
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.out().endsWith("      +-o usb@14  <class IOPCIDevice, id 0x100000310, registered, matched, active, "
                + "busy 0, retain 10>\n          {\n          }\n          \n\n"), r.out());
    }

    @Test
    void aMalformedIoregCommandLinePrintsTheProblemAndUsageAndExitsWithOne() {
        CliResult r = run("ioreg", "-q");
        assertEquals(1, r.status());
        assertEquals("", r.out());
        assertEquals("ioreg: illegal option -- q\n" + IoregOptions.USAGE, r.err());

        CliResult missing = run("ioreg", "-l", "-c");
        assertEquals(1, missing.status());
        assertTrue(missing.err().startsWith("ioreg: option requires an argument -- c\nusage: ioreg "), missing.err());
    }

    @Test
    void doubleDashEndsIoregsOptionsAsGetoptDoes() {
        CliResult r = run("ioreg", "--", "-l");
        assertEquals(1, r.status());
        assertTrue(r.err().startsWith("ioreg: unexpected argument \"-l\""), r.err());
        assertEquals(0, run("ioreg", "-d1", "--").status());
    }

    @Test
    void helpDescribesEveryOption() {
        CliResult r = run("ioreg", "--help");
        assertEquals(0, r.status(), r.toString());
        for (String option : new String[] {"-a", "-b", "-c class", "-d depth", "-i", "-k key", "-l", "-n name",
            "-p plane", "-r", "-t", "-w width", "-x"}) {
            assertTrue(r.out().contains("  " + option + " "), option + " missing from:\n" + r.out());
        }
        assertTrue(run("help", "ioclasscount").out().contains("<no such class>"));
    }

    @Test
    void withoutARegistryBothCommandsSaySoAndExit69() {
        CliContext none = CliContext.builder().build();
        CliResult ioreg = World.run(none, CWD, "ioreg");
        assertEquals(69, ioreg.status());
        assertEquals("ioreg: no I/O Kit registry is connected to this kextkit command line.\n", ioreg.err());
        CliResult count = World.run(none, CWD, "ioclasscount");
        assertEquals(69, count.status());
        assertEquals("ioclasscount: no I/O Kit registry is connected to this kextkit command line.\n", count.err());
    }

    @Test
    void anUnreachableKernelIsAnErrorNotAStackTrace() {
        RegistryPort gone = new RegistryPort() {
            @Override
            public IORegistryEntry root() throws KernelUnavailableException {
                throw new KernelUnavailableException("the hosted kernel has shut down");
            }

            @Override
            public Map<String, Integer> classCounts() throws KernelUnavailableException {
                throw new KernelUnavailableException("the hosted kernel has shut down");
            }
        };
        CliContext context = CliContext.builder().registry(gone).build();
        CliResult ioreg = World.run(context, CWD, "ioreg", "-l");
        assertEquals(new CliResult(1, "", "ioreg: error: can't obtain I/O Kit's root service (the hosted kernel has shut down).\n"),
                ioreg);
        CliResult count = World.run(context, CWD, "ioclasscount");
        assertEquals(new CliResult(71, "", "ioclasscount: Error: Can't read the class counts (the hosted kernel has shut down).\n"),
                count);
    }

    @Test
    void ioclasscountListsEveryClassOrTheNamedOnes() {
        assertEquals(new CliResult(0, "IOPCIDevice = 2\nIOService = 6\nOSObject = 1\n", ""), run("ioclasscount"));
        assertEquals(new CliResult(0, "IOService = 6, IOPCIDevice = 2, Nope = <no such class>\n", ""),
                run("ioclasscount", "IOService", "IOPCIDevice", "Nope"));
        assertEquals(new CliResult(0, "-weird = <no such class>\n", ""), run("ioclasscount", "--", "-weird"));
    }

    @Test
    void ioclasscountRefusesOptionsLikeItsOriginal() {
        CliResult unknown = run("ioclasscount", "-v");
        assertEquals(new CliResult(1, IoclasscountCommand.USAGE, "ioclasscount: unrecognized option `-v'\n"), unknown);
        CliResult tracking = run("ioclasscount", "--leaks", "IOService");
        assertEquals(1, tracking.status());
        assertEquals("ioclasscount: --leaks works on IOTracking allocation records, which the kextkit hosted kernel "
                + "does not keep.\n", tracking.err());
    }
}
