package org.kextkit.harness.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kextkit.harness.testing.TestKexts.identity;
import static org.kextkit.harness.testing.TestKexts.libraries;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kextkit.harness.check.Finding;
import org.kextkit.harness.testing.TestKexts;

class KernelSysctlsTest {
    @TempDir
    Path dir;
    private final HostedKernel kernel = HostedKernel.boot(KernelSettings.defaults());

    @AfterEach
    void shutdown() {
        kernel.shutdown();
    }

    private static final String SOURCE = """
            package com.example.counter;
            import org.kextkit.kit.libkern.*;
            import org.kextkit.kit.bsd.*;
            import static org.kextkit.kit.bsd.Sysctl.*;
            public class Module implements KextModule {
                static final SysctlOid NODE = SysctlOid.SYSCTL_NODE("debug", "counter", CTLFLAG_RW, "counter kext");
                static final SysctlOid COUNT = SysctlOid.SYSCTL_INT("debug.counter", "count", CTLFLAG_RW, 0, "starts");
                static final SysctlOid DOUBLED = SysctlOid.SYSCTL_PROC("debug.counter", "doubled", CTLFLAG_RD,
                        SysctlOid.Kind.INT, (oid, req) -> { req.setOldValue(COUNT.intValue() * 2); return 0; }, "twice count");
                public int start(KmodInfo ki, Object data) {
                    sysctl_register_oid(NODE);
                    sysctl_register_oid(COUNT);
                    sysctl_register_oid(DOUBLED); // REGISTERED
                    COUNT.setIntValue(COUNT.intValue() + 1);
                    return KernReturn.KERN_SUCCESS;
                }
                public int stop(KmodInfo ki, Object data) {
                    sysctl_unregister_oid(COUNT);
                    if (COUNT.intValue() != 99) { // 99: forget one, for the test
                        sysctl_unregister_oid(DOUBLED);
                    }
                    sysctl_unregister_oid(NODE);
                    return KernReturn.KERN_SUCCESS;
                }
            }
            """;

    private String load() {
        Path path = TestKexts.write(dir, "Counter", identity("com.example.Counter", "Counter", "1.0.0")
                + libraries("com.apple.kpi.libkern", "8.0.0", "com.apple.kpi.bsd", "8.0.0"),
                Map.of("com.example.counter.Module", SOURCE), "com.example.counter.Module");
        assertTrue(kernel.load(kernel.addKext(path).bundle().orElseThrow()).isLoaded(), kernel::logText);
        return "com.example.Counter";
    }

    @Test
    void theKernelPublishesItsIdentity() {
        assertEquals("kern.ostype: Darwin", kernel.sysctl().read("kern.ostype").line());
        assertEquals(kernel.settings().arch(), kernel.sysctl().read("hw.machine").value());
        assertEquals("sysctl: unknown oid 'kern.nothing'", kernel.sysctl().read("kern.nothing").line());
    }

    @Test
    void aKextsOidsAreReadAndWrittenAsUserSpaceWould() {
        String id = load();
        assertEquals("debug.counter.count: 1", kernel.sysctl().read("debug.counter.count").line());
        assertEquals("debug.counter.count: 1 -> 21", kernel.sysctl().write("debug.counter.count", "21").line());
        assertEquals("42", kernel.sysctl().read("debug.counter.doubled").value(), "the handler sees the new value");
        SysctlResult readOnly = kernel.sysctl().write("debug.counter.doubled", "1");
        assertFalse(readOnly.ok());
        assertEquals("sysctl: debug.counter.doubled is read-only", readOnly.line());
        assertEquals(List.of("debug.counter.count: 21", "debug.counter.doubled: 42"),
                kernel.sysctl().list("debug.counter").stream().map(SysctlResult::line).toList());

        assertTrue(kernel.unload(id).isUnloaded());
        assertEquals(List.of(), kernel.sysctl().names("debug.counter"), "stop unregistered everything");
        assertEquals(List.of(), kernel.findings().list());
    }

    @Test
    void anOidLeftRegisteredAtUnloadIsReportedAtItsRegistrationAndWithdrawn() {
        String id = load();
        assertTrue(kernel.sysctl().write("debug.counter.count", "99").ok());
        assertTrue(kernel.unload(id).isUnloaded());
        List<Finding> findings = kernel.findings().list();
        assertEquals(List.of("REG-SYSCTL"), findings.stream().map(Finding::checkId).toList(), findings::toString);
        Finding finding = findings.get(0);
        assertEquals(lineOf("// REGISTERED"), finding.primarySite().line(), finding::toString);
        assertTrue(finding.message().contains("sysctl debug.counter.doubled registered here is still registered"),
                finding.message());
        assertEquals(List.of(), kernel.sysctl().names("debug.counter"));
        assertEquals("sysctl: unknown oid 'debug.counter.doubled'", kernel.sysctl().read("debug.counter.doubled").line());
    }

    private static int lineOf(String marker) {
        String[] lines = SOURCE.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains(marker)) {
                return i + 1;
            }
        }
        throw new AssertionError(marker);
    }
}
