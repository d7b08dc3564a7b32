package org.kextkit.harness.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kextkit.harness.testing.TestKexts.identity;
import static org.kextkit.harness.testing.TestKexts.libraries;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kextkit.harness.check.Finding;
import org.kextkit.harness.testing.TestKexts;

class PersonalityClassCheckTest {
    @TempDir
    Path dir;
    private final HostedKernel kernel = HostedKernel.boot(KernelSettings.defaults());

    @AfterEach
    void shutdown() {
        kernel.shutdown();
    }

    private static String personality(String name, String provider, String ioClass) {
        return "<key>" + name + "</key>\n<dict>\n"
                + "<key>CFBundleIdentifier</key><string>com.example.Drv</string>\n"
                + "<key>IOClass</key><string>" + ioClass + "</string>\n"
                + "<key>IOProviderClass</key>\n<string>" + provider + "</string>\n"
                + "</dict>\n";
    }

    private Path kext(String personalities) {
        String driver = """
                package com.example.drv;
                public class Driver extends org.kextkit.kit.iokit.IOService {
                }
                """;
        String nub = """
                package com.example.drv;
                public class Nub extends org.kextkit.kit.iokit.IOService {
                }
                """;
        return TestKexts.write(dir, "Drv", identity("com.example.Drv", "Drv", "1.0.0")
                        + libraries("com.apple.kpi.iokit", "8.0.0", "com.apple.kpi.libkern", "8.0.0")
                        + "<key>IOKitPersonalities</key>\n<dict>\n" + personalities + "</dict>\n",
                Map.of("com.example.drv.Driver", driver, "com.example.drv.Nub", nub), null);
    }

    @Test
    void aProviderClassNoOneHasIsReportedAtItsInfoPlistLine() throws Exception {
        Path bundle = kext(personality("Usb", "IOUSBHostDevice", "com_example_drv_Driver"));
        assertTrue(kernel.load(kernel.addKext(bundle).bundle().orElseThrow()).isLoaded(), kernel::logText);

        List<Finding> findings = kernel.findings().list();
        assertEquals(List.of("PER-PROVIDER"), findings.stream().map(Finding::checkId).toList(), findings::toString);
        Finding finding = findings.get(0);
        assertTrue(finding.message().contains("Personality 'Usb' of com.example.Drv names IOProviderClass 'IOUSBHostDevice'"),
                finding.message());
        List<String> lines = Files.readAllLines(bundle.resolve("Contents/Info.plist"));
        assertEquals("<string>IOUSBHostDevice</string>", lines.get(finding.primarySite().line() - 1).strip());
        assertTrue(finding.primarySite().inPropertyList());
    }

    @Test
    void kitAndOwnClassesAreKnownProviders() {
        // (family classes such as IOPCIDevice: the clean samples, which run with the PCI family, show none)
        Path bundle = kext(personality("OnResources", "IOResources", "com_example_drv_Driver")
                + personality("OnOwnNub", "com_example_drv_Nub", "com_example_drv_Driver"));
        assertTrue(kernel.load(kernel.addKext(bundle).bundle().orElseThrow()).isLoaded(), kernel::logText);

        assertEquals(List.of(), kernel.findings().list());
    }

    @Test
    void aDriverClassTheKextDoesNotHaveIsReportedAtItsIOClassLine() throws Exception {
        Path bundle = kext(personality("Typo", "IOResources", "com_example_drv_Drvier"));
        assertTrue(kernel.load(kernel.addKext(bundle).bundle().orElseThrow()).isLoaded(), kernel::logText);

        List<Finding> findings = kernel.findings().list();
        assertEquals(List.of("PER-CLASS"), findings.stream().map(Finding::checkId).toList(), findings::toString);
        Finding finding = findings.get(0);
        assertTrue(finding.message().contains("names IOClass 'com_example_drv_Drvier', but no class of the kext"),
                finding.message());
        List<String> lines = Files.readAllLines(bundle.resolve("Contents/Info.plist"));
        assertTrue(lines.get(finding.primarySite().line() - 1).contains("<string>com_example_drv_Drvier</string>"));
    }

    @Test
    void aCodelessPersonalityMayNameTheDriverOfTheKextItsBundleIdentifierNames() {
        Path library = kext(personality("Own", "IOResources", "com_example_drv_Driver"));
        assertTrue(kernel.load(kernel.addKext(library).bundle().orElseThrow()).isLoaded(), kernel::logText);
        String codelessIdentity = identity("com.example.Injector", "Injector", "1.0.0")
                .replace("<key>CFBundleExecutable</key><string>Injector</string>\n", "");
        Path codeless = TestKexts.write(dir, "Injector", codelessIdentity
                        + "<key>IOKitPersonalities</key>\n<dict>\n"
                        + personality("Injected", "IOResources", "com_example_drv_Driver") + "</dict>\n",
                Map.of(), null);

        assertTrue(kernel.load(kernel.addKext(codeless).bundle().orElseThrow()).isLoaded(), kernel::logText);

        assertEquals(List.of(), kernel.findings().list());
    }
}
