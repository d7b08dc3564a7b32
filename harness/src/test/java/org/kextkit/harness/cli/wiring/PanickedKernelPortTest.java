package org.kextkit.harness.cli.wiring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kextkit.harness.testing.TestKexts.identity;
import static org.kextkit.harness.testing.TestKexts.libraries;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kextkit.harness.cli.KernelMessage;
import org.kextkit.harness.cli.KernelResponse;
import org.kextkit.harness.cli.LoadRequest;
import org.kextkit.harness.cli.LogLevel;
import org.kextkit.harness.cli.UnloadMode;
import org.kextkit.harness.lifecycle.HostedKernel;
import org.kextkit.harness.lifecycle.KernelSettings;
import org.kextkit.harness.lifecycle.KextReturn;
import org.kextkit.harness.testing.TestKexts;

/** What kextload and kextunload are told when the kernel behind them has panicked. */
class PanickedKernelPortTest {
    @TempDir
    Path dir;
    private HostedKernel kernel;

    @AfterEach
    void shutdown() {
        if (kernel != null) {
            kernel.shutdown();
        }
    }

    private Path kext(String name, Map<String, String> sources, String moduleClass) {
        return TestKexts.write(dir, name, identity("com.example." + name, name, "1.0.0") + libraries("com.apple.kpi.libkern", "8.0.0"),
                sources, moduleClass);
    }

    private static String text(KernelResponse response) {
        return response.messages().stream().map(KernelMessage::text).collect(Collectors.joining("\n"));
    }

    @Test
    void requestsToAPanickedKernelFailWithItsPanicReport() throws Exception {
        Path nic = kext("Nic", Map.of("com.example.nic.Filter", """
                package com.example.nic;
                public class Filter implements Runnable {
                    public void run() {
                        throw new IllegalStateException("link status register reads 0xffffffff");
                    }
                }
                """), null);
        Path other = kext("Other", Map.of("com.example.other.Module", """
                package com.example.other;
                import org.kextkit.kit.libkern.*;
                public class Module implements KextModule {
                    public int start(KmodInfo ki, Object data) { return KernReturn.KERN_SUCCESS; }
                    public int stop(KmodInfo ki, Object data) { return KernReturn.KERN_SUCCESS; }
                }
                """), "com.example.other.Module");
        kernel = HostedKernel.boot(KernelSettings.defaults());
        HostedKernelPort port = new HostedKernelPort(kernel);
        assertTrue(port.load(LoadRequest.ofPath(nic, List.of())).isSuccess());
        ClassLoader loader = kernel.loadedKext("com.example.Nic").orElseThrow().classLoader();
        kernel.scheduler().postInterrupt("nic", (Runnable) loader.loadClass("com.example.nic.Filter").getDeclaredConstructor().newInstance());
        assertThrows(IllegalStateException.class, () -> kernel.virtualTime().runUntilQuiescent());

        KernelResponse load = port.load(LoadRequest.ofPath(other, List.of()));

        assertEquals(KextReturn.ERROR, load.result());
        assertEquals(LogLevel.ERROR, load.messages().get(0).level(), "shown without -v");
        String shown = text(load);
        assertTrue(shown.startsWith("The hosted kernel has panicked: Unhandled java.lang.IllegalStateException: link status "
                + "register reads 0xffffffff in the primary interrupt handler of nic\n"
                + "panic(cpu 0 caller com.example.nic.Filter.run): "), shown);
        assertTrue(shown.contains("Kernel Extensions in backtrace:"), shown);

        KernelResponse unload = port.unload("com.example.Nic", UnloadMode.UNLOAD);
        assertEquals(KextReturn.ERROR, unload.result());
        assertTrue(text(unload).contains("panic(cpu 0 caller com.example.nic.Filter.run)"), text(unload));
    }
}
