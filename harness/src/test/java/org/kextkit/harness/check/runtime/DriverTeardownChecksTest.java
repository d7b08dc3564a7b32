package org.kextkit.harness.check.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kextkit.harness.testing.TestKexts.identity;
import static org.kextkit.harness.testing.TestKexts.libraries;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kextkit.harness.check.Finding;
import org.kextkit.harness.iokit.FooDriverKexts;
import org.kextkit.harness.iokit.testfamily.TestBusFamily;
import org.kextkit.harness.iokit.testfamily.TestBusNub;
import org.kextkit.harness.lifecycle.HostedKernel;
import org.kextkit.harness.testing.TestKexts;

/**
 * Teardown checks on I/O Kit drivers: what a driver's {@code stop} leaves running (WL-LIVE, WL-2),
 * and the checks that need an interrupt (WL-3, LCK-IRQ). Each driver runs on both devices of the
 * test bus; a defect found on both is one finding seen twice.
 */
class DriverTeardownChecksTest {
    private static final String ID = "com.example.Td";

    @TempDir
    Path dir;
    private HostedKernel kernel;
    private String source;

    @BeforeEach
    void boot() {
        kernel = FooDriverKexts.bootWithTestBus();
    }

    @AfterEach
    void shutdown() {
        kernel.shutdown();
    }

    /** Write and match a driver with these fields, start body (after super.start) and stop body (before super.stop). */
    private void driver(String fields, String start, String stop) {
        source = """
                package com.example.td;
                import org.kextkit.kit.iokit.*;
                import org.kextkit.kit.libkern.*;
                import static org.kextkit.kit.iokit.IOLocks.*;
                public class TdDriver extends IOService {
                """ + fields + "\n"
                + "    @Override public boolean start(IOService provider) {\n"
                + "        if (!super.start(provider)) return false;\n" + start + "\n        return true;\n    }\n"
                + "    @Override public void stop(IOService provider) {\n" + stop + "\n        super.stop(provider);\n    }\n"
                + "}\n";
        TestKexts.write(dir, "Td", identity(ID, "Td", "2.1.0")
                + libraries("com.apple.kpi.iokit", "8.0.0", "com.apple.kpi.libkern", "8.0.0", TestBusFamily.ID, "1.0")
                + "<key>IOKitPersonalities</key><dict><key>Td</key><dict>\n"
                + "  <key>IOClass</key><string>com_example_td_TdDriver</string>\n"
                + "  <key>IOProviderClass</key><string>TestBusNub</string>\n"
                + "  <key>IOProbeScore</key><integer>1000</integer>\n"
                + "</dict></dict>\n",
                Map.of("com.example.td.TdDriver", source), null);
        kernel.addRepository(dir);
        assertTrue(nubs().stream().allMatch(n -> n.getClient() != null), kernel.logText());
    }

    private int line(String marker) {
        String[] lines = source.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains("// " + marker)) {
                return i + 1;
            }
        }
        throw new AssertionError("no marker " + marker);
    }

    private List<TestBusNub> nubs() {
        return kernel.iokit().services().stream().filter(s -> s instanceof TestBusNub).map(s -> (TestBusNub) s)
                .collect(Collectors.toList());
    }

    private List<String> found() {
        return kernel.findings().list().stream().map(f -> f.checkId() + "@" + (f.primarySite() == null ? -1
                : f.primarySite().line())).sorted().collect(Collectors.toList());
    }

    private Finding finding(String checkId) {
        return kernel.findings().list().stream().filter(f -> f.checkId().equals(checkId)).findFirst().orElseThrow();
    }

    private void raiseInterrupt(TestBusNub nub) {
        kernel.scheduler().postInterrupt("test bus", nub.interrupt(0));
        kernel.virtualTime().advance(Duration.ofMillis(1));
    }

    private static final String TEARDOWN = """
                    if (source != null) { source.disable(); loop.removeEventSource(source); source.release(); source = null; }
                    if (gate != null) { loop.removeEventSource(gate); gate.release(); gate = null; }
                    if (loop != null) { loop.release(); loop = null; }
            """;

    @Test
    void aDriverThatTearsDownInStopHasNoFindings() {
        driver("IOWorkLoop loop; IOCommandGate gate; IOInterruptEventSource source; IOTimerEventSource timer;", """
                        loop = IOWorkLoop.workLoop();
                        gate = IOCommandGate.commandGate(this);
                        loop.addEventSource(gate);
                        source = IOInterruptEventSource.interruptEventSource(this, (o, s, c) -> { }, provider, 0);
                        loop.addEventSource(source);
                        source.enable();
                        timer = IOTimerEventSource.timerEventSource(this, (o, s) -> { });
                        loop.addEventSource(timer);
                        timer.setTimeoutMS(60000);
                """, """
                        timer.cancelTimeout(); timer.disable(); loop.removeEventSource(timer); timer.release();
                """ + TEARDOWN);
        raiseInterrupt(nubs().get(0));
        assertTrue(kernel.unload(ID).isUnloaded(), kernel.logText());
        assertTrue(nubs().stream().noneMatch(n -> n.hasHandler(0)));
        assertEquals(List.of(), kernel.findings().list());
    }

    @Test
    void aTimerStillArmedAndOnItsWorkLoopWhenStopReturnsIsWl2AndWlLiveAndTheLoopIsWlLiveAtUnload() {
        driver("IOWorkLoop loop; IOTimerEventSource timer;", """
                        loop = IOWorkLoop.workLoop(); // LOOP
                        timer = IOTimerEventSource.timerEventSource(this, (o, s) -> { }); // TIMER
                        loop.addEventSource(timer);
                        timer.setTimeoutMS(60000);
                """, "");
        assertEquals(List.of(), kernel.findings().list());
        assertTrue(kernel.unload(ID).isUnloaded(), kernel.logText());
        assertEquals(List.of("WL-2@" + line("TIMER"), "WL-LIVE@" + line("LOOP"), "WL-LIVE@" + line("TIMER")).stream()
                .sorted().collect(Collectors.toList()), found(),
                () -> kernel.findings().list().toString());
        Finding armed = finding("WL-2");
        assertTrue(armed.message().contains("when com_example_td_TdDriver::stop returned"), armed.message());
        assertEquals(ID, armed.bundleId());
        assertEquals("2.1.0", armed.bundleVersion());
        assertTrue(kernel.findings().list().stream().filter(f -> f.checkId().equals("WL-LIVE"))
                .anyMatch(f -> f.message().contains("never released")), () -> kernel.findings().list().toString());
    }

    @Test
    void anInterruptHandlerStillRegisteredWhenStopReturnsIsWlLive() {
        driver("IOInterruptEventSource source;", """
                        source = IOInterruptEventSource.interruptEventSource(this, (o, s, c) -> { }, provider, 0); // SOURCE
                """, "");
        assertTrue(kernel.unload(ID).isUnloaded(), kernel.logText());
        assertEquals(List.of("WL-LIVE@" + line("SOURCE")), found(), () -> kernel.findings().list().toString());
        Finding live = finding("WL-LIVE");
        assertTrue(live.message().contains("interrupt handler is still registered for interrupt 0"), live.message());
    }

    @Test
    void aGateActionRunFromAFilterRoutineIsWl3() {
        driver("IOWorkLoop loop; IOCommandGate gate; IOFilterInterruptEventSource source;", """
                        loop = IOWorkLoop.workLoop();
                        gate = IOCommandGate.commandGate(this);
                        loop.addEventSource(gate);
                        source = IOFilterInterruptEventSource.filterInterruptEventSource(this, (o, s, c) -> { },
                                (o, s) -> {
                                    gate.runAction((owner, a, b, c, d) -> IOReturn.kIOReturnSuccess); // IN_FILTER
                                    return false;
                                }, provider, 0);
                        loop.addEventSource(source);
                        source.enable();
                """, TEARDOWN);
        raiseInterrupt(nubs().get(0));
        assertEquals(List.of("WL-3@" + line("IN_FILTER")), found(), () -> kernel.findings().list().toString());
        assertEquals("PRIMARY_INTERRUPT", finding("WL-3").context());
        assertTrue(kernel.unload(ID).isUnloaded(), kernel.logText());
        assertEquals(1, kernel.findings().list().size(), () -> kernel.findings().list().toString());
    }

    @Test
    void aSpinLockTakenInAFilterRoutineAndWithInterruptsEnabledIsLckIrqAtTheEnabledSite() {
        driver("IOWorkLoop loop; IOCommandGate gate; IOFilterInterruptEventSource source; IOSimpleLock slock;", """
                        slock = IOSimpleLockAlloc();
                        loop = IOWorkLoop.workLoop();
                        source = IOFilterInterruptEventSource.filterInterruptEventSource(this, (o, s, c) -> { },
                                (o, s) -> {
                                    IOSimpleLockLock(slock); // IN_FILTER
                                    IOSimpleLockUnlock(slock);
                                    return false;
                                }, provider, 0);
                        loop.addEventSource(source);
                        source.enable();
                """, TEARDOWN + """
                        IOSimpleLockLock(slock); // ENABLED
                        IOSimpleLockUnlock(slock);
                        IOSimpleLockFree(slock);
                """);
        raiseInterrupt(nubs().get(0));
        assertEquals(List.of(), kernel.findings().list());
        assertTrue(kernel.unload(ID).isUnloaded(), kernel.logText());
        assertEquals(List.of("LCK-IRQ@" + line("ENABLED")), found(), () -> kernel.findings().list().toString());
        assertTrue(finding("LCK-IRQ").related().stream().anyMatch(r -> r.site().line() == line("IN_FILTER")),
                () -> kernel.findings().list().toString());
        assertFalse(nubs().stream().anyMatch(n -> n.hasHandler(0)));
    }
}
