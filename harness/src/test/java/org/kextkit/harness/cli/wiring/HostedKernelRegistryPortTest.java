package org.kextkit.harness.cli.wiring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kextkit.harness.testing.TestKexts.identity;
import static org.kextkit.harness.testing.TestKexts.libraries;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kextkit.harness.cli.CliContext;
import org.kextkit.harness.cli.LoadRequest;
import org.kextkit.harness.cli.support.CliResult;
import org.kextkit.harness.cli.support.World;
import org.kextkit.harness.lifecycle.HostedKernel;
import org.kextkit.harness.lifecycle.KernelSettings;
import org.kextkit.harness.testing.TestKexts;

/** ioreg and ioclasscount against a real hosted kernel. */
class HostedKernelRegistryPortTest {
    @TempDir
    Path dir;

    private final HostedKernel kernel = HostedKernel.boot(KernelSettings.defaults());

    @AfterEach
    void shutdown() {
        kernel.shutdown();
    }

    private CliResult run(String... args) {
        CliContext context = CliContext.builder().kernel(new HostedKernelPort(kernel))
                .registry(new HostedKernelRegistryPort(kernel)).build();
        return World.run(context, dir, args);
    }

    @Test
    void ioregStartsAtTheKernelsRoot() {
        CliResult r = run("ioreg", "-d", "1");
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.out().matches("\\+-o Root  <class IORegistryEntry, id 0x[0-9a-f]+, retain \\d+>\n"), r.out());
        assertTrue(kernel.registryRoot() == kernel.registryRoot(), "one root for the kernel's life");
    }

    @Test
    void ioclasscountSeesTheInstancesAKextLeavesBehind() throws Exception {
        String source = """
                package com.example.leak;
                import org.kextkit.kit.libkern.*;
                public class Module implements KextModule {
                    static Object kept;
                    public int start(KmodInfo ki, Object data) {
                        kept = new LeakyDriver();
                        return KernReturn.KERN_SUCCESS;
                    }
                    public int stop(KmodInfo ki, Object data) {
                        return KernReturn.KERN_SUCCESS;
                    }
                }
                """;
        String driver = """
                package com.example.leak;
                public class LeakyDriver extends org.kextkit.kit.iokit.IOService {
                }
                """;
        Path kext = TestKexts.write(dir, "Leak", identity("com.example.Leak", "Leak", "1.0.0")
                + libraries("com.apple.kpi.libkern", "8.0.0", "com.apple.kpi.iokit", "8.0.0"),
                Map.of("com.example.leak.Module", source, "com.example.leak.LeakyDriver", driver), "com.example.leak.Module");
        assertTrue(new HostedKernelPort(kernel).load(LoadRequest.ofPath(kext, List.of())).isSuccess());

        CliResult named = run("ioclasscount", "com_example_leak_LeakyDriver", "IOService", "IOPCIDevice");
        assertEquals(0, named.status(), named.toString());
        assertTrue(named.out().matches("com_example_leak_LeakyDriver = 1, IOService = [1-9]\\d*, IOPCIDevice = .*\n"),
                named.out());
        CliResult all = run("ioclasscount");
        assertTrue(all.out().lines().anyMatch("com_example_leak_LeakyDriver = 1"::equals), all.out());
        assertTrue(all.out().contains("OSObject = "), all.out());
    }
}
