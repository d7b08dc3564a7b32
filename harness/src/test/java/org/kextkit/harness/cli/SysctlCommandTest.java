package org.kextkit.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.kextkit.harness.cli.support.CliResult;
import org.kextkit.harness.cli.support.World;
import org.kextkit.harness.cli.wiring.HostedKernelRegistryPort;
import org.kextkit.harness.lifecycle.HostedKernel;
import org.kextkit.harness.lifecycle.KernelSettings;
import org.kextkit.kit.bsd.Sysctl;
import org.kextkit.kit.bsd.SysctlOid;

class SysctlCommandTest {
    private static final Path CWD = Path.of("/tmp");
    private final HostedKernel kernel = HostedKernel.boot(KernelSettings.defaults());
    private final CliContext context = CliContext.builder().registry(new HostedKernelRegistryPort(kernel)).build();

    @AfterEach
    void shutdown() {
        kernel.shutdown();
    }

    @Test
    void readsPrintNameColonValueAsSysctlDoes() {
        CliResult r = World.run(context, CWD, "sysctl", "kern.ostype", "hw.model");
        assertEquals(0, r.status(), r.err());
        assertEquals("kern.ostype: Darwin\nhw.model: kextkit1,1\n", r.out());
        assertEquals("Darwin\n", World.run(context, CWD, "sysctl", "-n", "kern.ostype").out());
    }

    @Test
    void aWriteShowsOldAndNewAndAnUnknownNameFailsWithoutStoppingTheRest() {
        SysctlOid level = SysctlOid.SYSCTL_INT("debug", "level", Sysctl.CTLFLAG_RW, 1, "");
        kernel.sysctl().publish(level);

        CliResult r = World.run(context, CWD, "sysctl", "debug.level=5", "debug.nothing", "kern.ostype=Linux");
        assertEquals(1, r.status());
        assertEquals("debug.level: 1 -> 5\n", r.out());
        assertEquals("sysctl: unknown oid 'debug.nothing'\nsysctl: kern.ostype is read-only\n", r.err());
        assertEquals(5, level.intValue());
    }

    @Test
    void dashAListsEveryValueUnderAName() {
        CliResult r = World.run(context, CWD, "sysctl", "-a", "hw");
        assertEquals(0, r.status(), r.err());
        assertEquals("hw.machine: " + kernel.settings().arch() + "\nhw.model: kextkit1,1\n", r.out());
    }

    @Test
    void noNameIsAUsageError() {
        CliResult r = World.run(context, CWD, "sysctl");
        assertEquals(64, r.status());
        assertEquals("usage: kextkit sysctl [-n] name[=value] ...\n       kextkit sysctl [-n] -a [name ...]\n", r.err());
    }
}
