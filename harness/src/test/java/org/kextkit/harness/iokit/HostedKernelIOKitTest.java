package org.kextkit.harness.iokit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kextkit.harness.testing.TestKexts.identity;
import static org.kextkit.harness.testing.TestKexts.libraries;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kextkit.harness.bundle.KextBundle;
import org.kextkit.harness.iokit.testfamily.TestBusFamily;
import org.kextkit.harness.iokit.testfamily.TestBusHardware;
import org.kextkit.harness.iokit.testfamily.TestBusNub;
import org.kextkit.harness.lifecycle.HostedKernel;
import org.kextkit.harness.lifecycle.KextReturn;
import org.kextkit.harness.lifecycle.LoadReport;
import org.kextkit.harness.lifecycle.LoadedKext;
import org.kextkit.harness.lifecycle.UnloadReport;
import org.kextkit.harness.testing.TestKexts;
import org.kextkit.kit.iokit.IOService;

/** A hosted kernel with a built-in bus family and driver kexts built from source, matched on demand. */
class HostedKernelIOKitTest {
    static final String DRIVER_ID = FooDriverKexts.DRIVER_ID;

    @TempDir
    Path dir;
    HostedKernel kernel;

    @BeforeEach
    void boot() {
        kernel = FooDriverKexts.bootWithTestBus();
    }

    @AfterEach
    void shutdown() {
        kernel.shutdown();
    }

    private void writeKexts(boolean leak) {
        FooDriverKexts.write(dir, leak);
    }

    private List<TestBusNub> nubs() {
        return kernel.iokit().services().stream().filter(s -> s instanceof TestBusNub).map(s -> (TestBusNub) s)
                .collect(Collectors.toList());
    }

    @Test
    void aDriverWhoseStartNeverReturnsFailsThatMatchAndTheNextCandidateStarts() {
        HostedKernel watched = FooDriverKexts.bootWithTestBus(settings -> settings.withWatchdog(java.time.Duration.ofMillis(300)));
        try {
            String driver = """
                    package com.example.hang;
                    import org.kextkit.kit.iokit.IOService;
                    import static org.kextkit.kit.iokit.IOLib.IODelay;
                    import static org.kextkit.kit.libkern.Libkern.printf;
                    public class %s extends IOService {
                        @Override public boolean start(IOService provider) {
                            if (!super.start(provider)) return false;
                            printf("%s start");
                            // Poll a status that never changes, as a driver waiting on dead hardware would.
                            while (Boolean.TRUE.equals(getProperty("NeverReady"))) { IODelay(10); }
                            return true;
                        }
                    }
                    """;
            TestKexts.write(dir, "HangDriver", identity("com.example.HangDriver", "HangDriver", "1.0.0")
                    + libraries("com.apple.kpi.iokit", "8.0.0", "com.apple.kpi.libkern", "8.0.0", TestBusFamily.ID, "1.0")
                    + "<key>IOKitPersonalities</key><dict>\n"
                    + "<key>Hang</key><dict><key>IOClass</key><string>com_example_hang_Hang</string>"
                    + "<key>IOProviderClass</key><string>TestBusNub</string><key>IOProbeScore</key><integer>2000</integer>"
                    + "<key>NeverReady</key><true/></dict>\n"
                    + "<key>Fallback</key><dict><key>IOClass</key><string>com_example_hang_Fallback</string>"
                    + "<key>IOProviderClass</key><string>TestBusNub</string><key>IOProbeScore</key><integer>1000</integer></dict>\n"
                    + "</dict>\n",
                    Map.of("com.example.hang.Hang", driver.formatted("Hang", "Hang"),
                            "com.example.hang.Fallback", driver.formatted("Fallback", "Fallback")), null);

            watched.addRepository(dir);

            List<TestBusNub> busNubs = watched.iokit().services().stream().filter(s -> s instanceof TestBusNub)
                    .map(s -> (TestBusNub) s).collect(Collectors.toList());
            String log = watched.logText();
            for (TestBusNub nub : busNubs) {
                IOService client = nub.getClient();
                assertNotNull(client, log);
                assertEquals("com_example_hang_Fallback", client.getMetaClassName(), log);
                assertTrue(client.serviceState().started, log);
            }
            assertTrue(log.contains("com_example_hang_Hang::start("), log);
            assertTrue(log.contains("trying the next candidate in IODefaultMatchCategory"), log);
            assertFalse(watched.hasPanicked(), "a hung start fails its match; it does not panic the kernel");
        } finally {
            watched.shutdown();
        }
    }

    @Test
    void concurrentMatchingOfOneNubStartsOneDriverPerCategory() throws Exception {
        HostedKernel realTime = FooDriverKexts.bootWithTestBus(org.kextkit.harness.scheduler.TimeMode.REAL);
        try {
            writeKexts(false);
            // Registration and several rematches race on real threads; each nub is matched one pass at a time.
            realTime.addRepository(dir);
            for (int round = 0; round < 5; round++) {
                realTime.iokit().rematch();
            }
            List<TestBusNub> busNubs = realTime.iokit().services().stream().filter(s -> s instanceof TestBusNub)
                    .map(s -> (TestBusNub) s).collect(Collectors.toList());
            for (int waited = 0; waited < 100 && busNubs.stream().anyMatch(n -> n.getClients().isEmpty()); waited++) {
                Thread.sleep(20);
            }
            Thread.sleep(200);
            for (TestBusNub nub : busNubs) {
                assertEquals(1, nub.getClients().size(), nub.getName() + "@" + nub.getLocation() + ":\n" + realTime.logText());
            }
        } finally {
            realTime.shutdown();
        }
    }

    @Test
    void theFamilyIsBuiltInAndPublishesItsDevicesFromTheMachine() {
        LoadedKext family = kernel.loadedKext(TestBusFamily.ID).orElseThrow();
        assertTrue(family.isBuiltIn());
        assertTrue(family.tag() > 7, "loaded on demand after the kernel components, with a load tag");
        assertEquals(List.of(0x1234, 0x5678), kernel.hardware(TestBusHardware.class).deviceIds());
        assertEquals(List.of("IOService:/SimMachine/TestBusController/device@0", "IOService:/SimMachine/TestBusController/device@1"),
                nubs().stream().map(n -> n.getPath("IOService")).collect(Collectors.toList()));
        assertEquals("IOKit", kernel.iokit().resources().getProperty("IOKit"));
    }

    @Test
    void aWinningPersonalityLoadsItsKextWithItsLibraryAndStartsADriverPerDevice() {
        writeKexts(false);
        kernel.addRepository(dir);

        assertTrue(kernel.loadedKext("com.example.FooLib").isPresent(), kernel.logText());
        LoadedKext driverKext = kernel.loadedKext(DRIVER_ID).orElseThrow();
        assertTrue(driverKext.linkedAgainst().stream().anyMatch(k -> k.bundleId().equals(TestBusFamily.ID)));
        for (TestBusNub nub : nubs()) {
            IOService driver = nub.getClient();
            assertNotNull(driver, nub.getName() + "@" + nub.getLocation() + " has no driver:\n" + kernel.logText());
            assertEquals("com_example_foo_FooDriver", driver.getMetaClassName());
            assertTrue(driver.serviceState().started);
            assertEquals(DRIVER_ID, driver.getProperty("CFBundleIdentifier"));
            assertEquals(DRIVER_ID, driver.serviceState().bundleIdentifier);
        }
        String log = kernel.logText();
        assertTrue(log.indexOf("Kext " + DRIVER_ID + " loaded.") < log.indexOf("FooDriver init"), log);
        // Each nub is matched on its own kernel thread, so the two sequences may interleave.
        for (String device : List.of("0x1234", "0x5678")) {
            int probe = log.indexOf("FooDriver probe device " + device);
            assertTrue(log.indexOf("FooDriver init") < probe && probe < log.indexOf("FooDriver start device " + device), log);
        }
    }

    @Test
    void unloadingADriverKextTerminatesItsInstancesFirstAndRemovesItsPersonalities() {
        writeKexts(false);
        kernel.addRepository(dir);
        int personalities = kernel.iokit().catalogue().size();

        UnloadReport report = kernel.unload(DRIVER_ID);

        assertTrue(report.isUnloaded(), report.messages().toString());
        assertTrue(nubs().stream().allMatch(n -> n.getClients().isEmpty()));
        assertTrue(nubs().stream().noneMatch(IOService::isInactive), "the nubs belong to the family and stay");
        assertEquals(personalities - 1, kernel.iokit().catalogue().size());
        String log = kernel.logText();
        assertTrue(log.indexOf("FooDriver stop device 0x1234") < log.indexOf("Kext " + DRIVER_ID + " unloaded."), log);
    }

    @Test
    void aDriverThatLeaksItselfKeepsItsKextLoadedWithTheKernelsWording() {
        writeKexts(true);
        kernel.addRepository(dir);

        UnloadReport report = kernel.unload(DRIVER_ID);

        assertEquals(KextReturn.IN_USE, report.result());
        assertEquals(List.of("Can't unload kext " + DRIVER_ID + "; classes have instances:",
                "    Kext " + DRIVER_ID + " class com.example.foo.FooDriver has 2 instances."), report.messages());
        assertTrue(kernel.logText().contains("FooDriver stop device 0x1234"), "the drivers were terminated before the check");
    }

    @Test
    void terminatingPersonalitiesOnlyLeavesTheKextLoaded() {
        writeKexts(false);
        kernel.addRepository(dir);

        assertTrue(kernel.terminateDriversForModule(DRIVER_ID, true));

        assertTrue(kernel.loadedKext(DRIVER_ID).isPresent());
        assertTrue(nubs().stream().allMatch(n -> n.getClients().isEmpty()));
        kernel.iokit().rematch();
        assertTrue(nubs().stream().allMatch(n -> n.getClients().isEmpty()), "no personality is left to match");
    }

    @Test
    void aKextUsingAFamilyClassWithoutDeclaringTheFamilyFailsToLinkWithTheFamilyToAdd() {
        Path bad = TestKexts.write(dir, "Bad", identity("com.example.Bad", "Bad", "1.0.0")
                + libraries("com.apple.kpi.iokit", "8.0.0", "com.apple.kpi.libkern", "8.0.0"),
                Map.of("com.example.bad.Bad", """
                        package com.example.bad;
                        public class Bad extends org.kextkit.kit.iokit.IOService {
                            public int id(org.kextkit.harness.iokit.testfamily.TestBusNub nub) { return nub.deviceId(); }
                        }
                        """), null);
        KextBundle bundle = kernel.addKext(bad).bundle().orElseThrow();

        LoadReport report = kernel.load(bundle);

        assertEquals(KextReturn.LINK_ERROR, report.result());
        assertTrue(report.messages().stream().anyMatch(m -> m.contains("is exported by the family " + TestBusFamily.ID
                + ", which com.example.Bad does not declare; add " + TestBusFamily.ID + " (2.1) to OSBundleLibraries.")),
                report.messages().toString());
    }

    @Test
    void explainMatchGivesTheCataloguesVerdictAndTheLastProbeAndStart() {
        writeKexts(false);
        kernel.addRepository(dir);
        TestBusNub nub = nubs().get(0);

        MatchReport report = kernel.explainMatch(nub, DRIVER_ID);

        assertTrue(report.explanation().entries().stream().anyMatch(e -> e.personalityName().equals("Foo") && e.matched()));
        MatchOutcome last = report.lastMatching().get(report.lastMatching().size() - 1);
        assertEquals(MatchOutcome.Result.STARTED, last.result());
        assertEquals(DRIVER_ID, last.bundleIdentifier());
    }

    @Test
    void shutdownStopsDriversBeforeTheirKextsAndPowersTheHardwareOff() {
        writeKexts(false);
        kernel.addRepository(dir);
        TestBusHardware hardware = kernel.hardware(TestBusHardware.class);

        kernel.shutdown();

        assertTrue(hardware.isPoweredOff());
        String log = kernel.logText();
        assertTrue(log.indexOf("FooDriver stop device 0x5678") < log.indexOf("Kext " + DRIVER_ID + " unloaded."), log);
        assertFalse(log.contains("classes have instances"), log);
    }

    @Test
    void aHotPluggedNubIsMatchedAndASurpriseRemovalStopsItsDriver() {
        writeKexts(false);
        kernel.addRepository(dir);
        IOService controller = nubs().get(0).getProvider();
        TestBusNub[] plugged = new TestBusNub[1];

        kernel.iokit().inKernel(() -> {
            TestBusNub nub = new TestBusNub();
            nub.setName("device");
            nub.setLocation("2");
            nub.setProperty("device-id", 0x9abcL);
            nub.attach(controller);
            nub.registerService();
            nub.release();
            plugged[0] = nub;
        });

        assertTrue(kernel.logText().contains("FooDriver start device 0x9abc"), kernel.logText());
        assertTrue(plugged[0].getRegistryEntryID() > org.kextkit.harness.iokit.IOKitKernel.FIRST_REGISTRY_ENTRY_ID);
        assertTrue(plugged[0].terminate(IOService.kIOServiceRequired | IOService.kIOServiceSynchronous));
        assertTrue(kernel.logText().contains("FooDriver stop device 0x9abc"), kernel.logText());
        assertFalse(controller.isChild(plugged[0], "IOService"));
    }

    @Test
    void explicitLoadKextsSendTheirPersonalitiesOnlyWhenLoaded() {
        TestKexts.write(dir, "FooLib", identity("com.example.FooLib", "FooLib", "1.0.0")
                + "<key>OSBundleCompatibleVersion</key><string>1.0</string>\n"
                + libraries("com.apple.kpi.libkern", "8.0.0"),
                Map.of("com.example.foolib.Counter", FooDriverKexts.LIBRARY_SOURCE), null);
        TestKexts.write(dir, "FooDriver", identity(DRIVER_ID, "FooDriver", "1.0.0")
                + "<key>OSBundleRequireExplicitLoad</key><true/>\n"
                + libraries("com.apple.kpi.iokit", "8.0.0", "com.apple.kpi.libkern", "8.0.0", "com.example.FooLib", "1.0",
                        TestBusFamily.ID, "1.0")
                + "<key>IOKitPersonalities</key><dict><key>Foo</key><dict>\n"
                + "  <key>IOClass</key><string>com_example_foo_FooDriver</string>\n"
                + "  <key>IOProviderClass</key><string>TestBusNub</string>\n"
                + "</dict></dict>\n",
                Map.of("com.example.foo.FooDriver", FooDriverKexts.DRIVER_SOURCE), null);
        kernel.addRepository(dir);
        assertTrue(nubs().stream().allMatch(n -> n.getClients().isEmpty()), "not matched at boot");
        assertFalse(kernel.loadedKext(DRIVER_ID).isPresent());

        LoadReport report = kernel.load(kernel.repository().preferred(DRIVER_ID));

        assertTrue(report.isLoaded(), report.messages().toString());
        assertTrue(nubs().stream().allMatch(n -> n.getClient() != null), "loading sent the personalities:\n" + kernel.logText());
    }

    @Test
    void aDeviceOfAFamilyThatIsNotInstalledIsLeftOutWithALogLineNamingTheEntry() {
        org.kextkit.harness.family.MachineDescription machine = new org.kextkit.harness.family.MachineDescription(
                "/machines/test.plist", "Other", "kextkit2,1", 1, List.of(
                        new org.kextkit.harness.family.MachineDescription.Device("USB", "Devices[0]", Map.of())));
        org.kextkit.harness.lifecycle.KernelSettings settings =
                org.kextkit.harness.lifecycle.KernelSettings.defaults().withMachine(machine);
        HostedKernel other = HostedKernel.boot(settings, new org.kextkit.harness.repository.KextRepository(
                org.kextkit.harness.repository.KernelPseudoKexts.forKernel(settings.kernelVersion(), settings.arch())),
                List.of(new TestBusFamily()));
        try {
            assertTrue(other.logText().contains("/machines/test.plist: Devices[0]: no family \"USB\" is installed"
                    + " (installed: [TESTBUS]); the device is left out of the machine."), other.logText());
            assertEquals("Other", other.iokit().platformExpert().getName());
            assertEquals(List.of(), other.hardware(TestBusHardware.class).deviceIds());
        } finally {
            other.shutdown();
        }
    }
}
