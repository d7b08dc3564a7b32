package org.kextkit.harness.resolve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kextkit.harness.diagnostics.DiagnosticGroup.DEPENDENCIES;
import static org.kextkit.harness.diagnostics.DiagnosticGroup.WARNINGS;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.kextkit.harness.bundle.KextBundle;
import org.kextkit.harness.repository.KernelPseudoKexts;
import org.kextkit.harness.repository.KextRepository;

/** The rules for kernel libraries: KPI versions, com.apple.kernel, legacy IDs, private KPIs, interfaces. */
class KpiRulesTest {
    private final Kexts kexts = new Kexts();
    private final KextRepository repository = new KextRepository();

    private Resolution resolve(String dictBody) {
        KextBundle kext = kexts.kext("/L/Driver.kext", dictBody);
        repository.add(kext);
        return new DependencyResolver(repository).resolve(kext);
    }

    private static String driver(String libraries) {
        return """
                <key>CFBundleIdentifier</key><string>com.example.Driver</string>
                <key>CFBundleVersion</key><string>1.0</string>
                <key>CFBundleExecutable</key><string>Driver</string>
                <key>OSBundleLibraries</key><dict>%s</dict>
                """.formatted(libraries);
    }

    @ParameterizedTest(name = "com.apple.kpi.iokit {0} on a 25.1.0 kernel: resolved={1}")
    @CsvSource(delimiter = '|', value = {
        "8.0.0 | true  | ",
        "15.0  | true  | ",
        "25.1  | true  | ",
        "26.0  | false | com.apple.kpi.iokit - requested 26.0; candidates: 25.1.0 at"
                + " /System/Library/Extensions/System.kext/Contents/PlugIns/IOKit.kext (its version 25.1.0 is older"
                + " than the requested 26.0)",
        "6.0   | false | com.apple.kpi.iokit - requested 6.0; candidates: 25.1.0 at"
                + " /System/Library/Extensions/System.kext/Contents/PlugIns/IOKit.kext (it is compatible back to 7.0"
                + " only, which is newer than the requested 6.0)",
    })
    void kpiRequestsAreCheckedAgainstTheRunningKernel(String requested, boolean resolved, String why) {
        Resolution resolution = resolve(driver("<key>com.apple.kpi.iokit</key><string>" + requested + "</string>"));
        assertEquals(resolved, resolution.isResolved());
        KextBundle kext = resolution.root();
        if (resolved) {
            assertEquals(List.of(repository.kernel().bundle("com.apple.kpi.iokit"), kext), resolution.loadList());
        } else {
            assertEquals(List.of(why), kext.diagnostics().values(DEPENDENCIES, DependencyMessages.ONLY_INCOMPATIBLE));
        }
    }

    @Test
    void kpiVersionsFollowTheConfiguredKernel() {
        KextRepository older = new KextRepository(KernelPseudoKexts.forKernel("20.5.0", "x86_64"));
        KextBundle kext = kexts.kext("/L/Driver.kext", driver("<key>com.apple.kpi.libkern</key><string>21.0</string>"));
        older.add(kext);
        assertFalse(new DependencyResolver(older).resolve(kext).isResolved());
    }

    @Test
    void rawKernelDependencyIsForbidden() {
        Resolution resolution = resolve(driver("""
                <key>com.apple.kernel</key><string>25.1.0</string>
                <key>com.apple.kpi.libkern</key><string>8.0</string>
                """));
        assertFalse(resolution.isResolved());
        assertTrue(resolution.root().diagnostics().has(DEPENDENCIES, DependencyMessages.RAW_KERNEL));
    }

    @Test
    void legacyKernelLibraryFailsAKextWithCodeOnA64BitHost() {
        Resolution resolution = resolve(driver("""
                <key>com.apple.kernel.6.0</key><string>7.9.9</string>
                <key>com.apple.kpi.libkern</key><string>8.0</string>
                """));
        KextBundle kext = resolution.root();
        assertFalse(resolution.isResolved());
        assertEquals(List.of(DependencyMessages.KERNEL_STYLE_ON_64_BIT), kext.diagnostics().messages(DEPENDENCIES));
        assertEquals(List.of(DependencyMessages.MIXED_STYLES), kext.diagnostics().messages(WARNINGS));
    }

    @Test
    void legacyKernelLibrariesAloneFailWithoutTheNoKpiWarning() {
        Resolution resolution = resolve(driver("<key>com.apple.kernel.iokit</key><string>1.0</string>"));
        assertFalse(resolution.isResolved());
        assertFalse(resolution.root().diagnostics().has(WARNINGS), resolution.root().diagnostics().format());
    }

    @Test
    void architectureSpecificLibrariesWinOverPlainOnes() {
        String lilu = """
                <key>CFBundleIdentifier</key><string>as.vit9696.Lilu</string>
                <key>CFBundleVersion</key><string>1.7.2</string>
                <key>OSBundleCompatibleVersion</key><string>1.2.0</string>
                <key>CFBundleExecutable</key><string>Lilu</string>
                <key>OSBundleLibraries</key><dict>
                    <key>com.apple.kpi.libkern</key><string>8.0.0</string>
                    <key>com.apple.kernel.6.0</key><string>7.9.9</string>
                </dict>
                <key>OSBundleLibraries_x86_64</key><dict>
                    <key>com.apple.kpi.libkern</key><string>10.0.0</string>
                    <key>com.apple.kpi.dsep</key><string>10.0.0</string>
                </dict>
                """;
        KextBundle onIntel = new Kexts("x86_64").kext("/L/Lilu.kext", lilu);
        KextBundle onArm = new Kexts("arm64").kext("/L/Lilu.kext", lilu);
        KernelPseudoKexts kernel = repository.kernel();
        Resolution intel = new DependencyResolver(Kexts.repository(onIntel)).resolve(onIntel);
        assertTrue(intel.isResolved(), onIntel.diagnostics().format());
        assertEquals(List.of("com.apple.kpi.libkern", "com.apple.kpi.dsep", "as.vit9696.Lilu"),
                intel.loadList().stream().map(KextBundle::identifier).toList());
        Resolution arm = new DependencyResolver(Kexts.repository(onArm)).resolve(onArm);
        assertFalse(arm.isResolved());
        assertTrue(onArm.diagnostics().has(DEPENDENCIES, DependencyMessages.KERNEL_STYLE_ON_64_BIT));
        assertTrue(kernel.bundle("com.apple.kernel.6.0").isKernelComponent());
    }

    @Test
    void noteNamesTheArchitectureVariantThatMadeTheRequest() {
        Resolution resolution = resolve("""
                <key>CFBundleIdentifier</key><string>com.example.Driver</string>
                <key>CFBundleVersion</key><string>1.0</string>
                <key>CFBundleExecutable</key><string>Driver</string>
                <key>OSBundleLibraries</key><dict><key>com.apple.kpi.iokit</key><string>8.0</string></dict>
                <key>OSBundleLibraries_x86_64</key><dict><key>com.apple.kpi.iokit</key><string>26.0</string></dict>
                """);
        assertFalse(resolution.isResolved());
        assertTrue(resolution.root().diagnostics().values(DEPENDENCIES, DependencyMessages.ONLY_INCOMPATIBLE).get(0)
                .startsWith("com.apple.kpi.iokit - requested 26.0 in OSBundleLibraries_x86_64; candidates: 25.1.0 at"));
    }

    @Test
    void privateKpiIsRefusedToANonAppleKext() {
        Resolution resolution = resolve(driver("<key>com.apple.kpi.private</key><string>8.0</string>"));
        assertFalse(resolution.isResolved());
        assertEquals(List.of("/L/Driver.kext has an Apple prefix but no copyright."), resolution.logLines());
        assertTrue(resolution.root().diagnostics().has(DEPENDENCIES, DependencyMessages.PRIVATE_KPI));
    }

    @Test
    void privateKpiIsRefusedToAnAppleIdentifierWithoutAnAppleCopyright() {
        Resolution resolution = resolve("""
                <key>CFBundleIdentifier</key><string>com.apple.driver.Fake</string>
                <key>CFBundleVersion</key><string>1.0</string>
                <key>CFBundleExecutable</key><string>Fake</string>
                <key>NSHumanReadableCopyright</key><string>Copyright © 2024 Example Corp. All rights reserved.</string>
                <key>OSBundleLibraries</key><dict><key>com.apple.kpi.private</key><string>8.0</string></dict>
                """);
        assertFalse(resolution.isResolved());
        assertTrue(resolution.root().diagnostics().has(DEPENDENCIES, DependencyMessages.PRIVATE_KPI));
    }

    @Test
    void privateKpiIsAllowedToAnAppleKextWithAnAppleCopyright() {
        Resolution resolution = resolve("""
                <key>CFBundleIdentifier</key><string>com.apple.driver.Real</string>
                <key>CFBundleVersion</key><string>1.0</string>
                <key>CFBundleExecutable</key><string>Real</string>
                <key>CFBundleGetInfoString</key><string>1.0, Copyright © 2000-2011, 2024 Apple Inc. All rights reserved.</string>
                <key>OSBundleLibraries</key><dict><key>com.apple.kpi.private</key><string>8.0</string></dict>
                """);
        assertTrue(resolution.isResolved(), resolution.root().diagnostics().format());
    }

    @Test
    void kextWithCodeButNoKpiIsWarned() {
        Resolution resolution = resolve(driver(""));
        assertTrue(resolution.isResolved());
        assertEquals(List.of(DependencyMessages.NO_KPI), resolution.root().diagnostics().messages(WARNINGS));
    }

    @Test
    void codelessKextWithoutKpiIsNotWarned() {
        Resolution resolution = resolve("""
                <key>CFBundleIdentifier</key><string>com.example.Injector</string>
                <key>CFBundleVersion</key><string>1.0</string>
                """);
        assertTrue(resolution.isResolved());
        assertTrue(resolution.root().diagnostics().isEmpty());
    }

    @Test
    void interfaceKextWithOneDependencyResolves() {
        Resolution resolution = resolve("""
                <key>CFBundleIdentifier</key><string>com.example.Interface</string>
                <key>CFBundleVersion</key><string>1.0</string>
                <key>OSBundleCompatibleVersion</key><string>1.0</string>
                <key>CFBundleExecutable</key><string>Interface</string>
                <key>OSBundleIsInterface</key><true/>
                <key>OSBundleLibraries</key><dict><key>com.apple.kpi.iokit</key><string>8.0</string></dict>
                """);
        assertTrue(resolution.isResolved());
    }

    @Test
    void interfaceKextWithTwoDependenciesIsRefused() {
        Resolution resolution = resolve("""
                <key>CFBundleIdentifier</key><string>com.example.Interface</string>
                <key>CFBundleVersion</key><string>1.0</string>
                <key>OSBundleCompatibleVersion</key><string>1.0</string>
                <key>CFBundleExecutable</key><string>Interface</string>
                <key>OSBundleIsInterface</key><true/>
                <key>OSBundleLibraries</key><dict>
                    <key>com.apple.kpi.iokit</key><string>8.0</string>
                    <key>com.apple.kpi.libkern</key><string>8.0</string>
                </dict>
                """);
        assertFalse(resolution.isResolved());
        assertEquals(List.of("/L/Driver.kext - Interface kext must have exactly one dependency."), resolution.logLines());
        assertTrue(resolution.root().diagnostics().has(DEPENDENCIES, DependencyMessages.INTERFACE_NEEDS_ONE_DEPENDENCY));
    }
}
