package org.kextkit.harness.resolve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kextkit.harness.diagnostics.DiagnosticGroup.DEPENDENCIES;

import com.dd.plist.NSDictionary;
import com.dd.plist.NSObject;
import com.dd.plist.PropertyListParser;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kextkit.harness.bundle.KextBundle;
import org.kextkit.harness.repository.KernelPseudoKexts;
import org.kextkit.harness.testing.RealKextCorpus;
import org.kextkit.harness.version.VersionGrammar;

/** Resolve real-world Info.plists from the shared corpus, and check the pseudo-kexts against xnu's. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RealKextCorpusTest {
    private static final Path CORPUS = RealKextCorpus.DIRECTORY;
    private long seq;

    @BeforeAll
    void corpusIsPresent() {
        Assumptions.assumeTrue(RealKextCorpus.isPresent(), RealKextCorpus::absenceMessage);
    }

    private KextBundle load(String corpusPath, String arch) throws Exception {
        NSDictionary info = (NSDictionary) PropertyListParser.parse(CORPUS.resolve(corpusPath).toFile());
        String name = Path.of(corpusPath).getParent().getFileName().toString();
        Path dir = Path.of("/Library/Extensions").resolve(name.endsWith(".kext") ? name : name + ".kext");
        return new KextBundle(dir, dir.resolve("Contents/Info.plist"), info, arch, VersionGrammar.MODERN, null, seq++);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"Info.plist", "PlugIns/BSDKernel.kext/Info.plist", "PlugIns/IOKit.kext/Info.plist",
        "PlugIns/Libkern.kext/Info.plist", "PlugIns/MACFramework.kext/Info.plist", "PlugIns/Mach.kext/Info.plist",
        "PlugIns/Private.kext/Info.plist", "PlugIns/Unsupported.kext/Info.plist"})
    void pseudoKextAgreesWithXnuSystemKext(String plist) throws Exception {
        NSDictionary xnu = (NSDictionary) PropertyListParser.parse(CORPUS.resolve("apple-xnu-System").resolve(plist).toFile());
        KernelPseudoKexts kernel = KernelPseudoKexts.create();
        KextBundle ours = kernel.bundle(xnu.objectForKey("CFBundleIdentifier").toJavaObject().toString());
        for (String key : List.of("CFBundleExecutable", "CFBundlePackageType", "OSBundleCompatibleVersion",
                "OSBundleRequired", "OSKernelResource", "OSBundleAllowUserLoad")) {
            NSObject expected = xnu.objectForKey(key);
            Object theirs = expected == null ? null : expected.toJavaObject();
            if ("###KERNEL_VERSION_LONG###".equals(theirs)) {
                theirs = kernel.kernelVersionString();
            }
            NSObject actual = ours.infoDictionary().objectForKey(key);
            assertEquals(theirs, actual == null ? null : actual.toJavaObject(), key);
        }
        String folder = plist.equals("Info.plist") ? "System.kext" : Path.of(plist).getParent().getFileName().toString();
        assertEquals(folder, ours.path().getFileName().toString());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"apple-IOPCIFamily", "apple-IOSerialFamily", "apple-IOStorageFamily"})
    void appleFamilyLinkingAgainstThePrivateKpiResolvesCleanly(String family) throws Exception {
        KextBundle kext = load(family + "/Info.plist", "x86_64");
        Resolution resolution = new DependencyResolver(Kexts.repository(kext)).resolve(kext);
        assertTrue(resolution.isResolved(), kext.diagnostics().format());
        assertTrue(kext.diagnostics().isEmpty(), kext.diagnostics().format());
        assertTrue(resolution.loadList().stream().limit(resolution.loadList().size() - 1)
                .allMatch(KextBundle::isKernelComponent));
        assertTrue(resolution.loadList().stream().anyMatch(k -> "com.apple.kpi.private".equals(k.identifier())));
    }

    @Test
    void liluResolvesOnIntelThroughItsX86LibrariesButNotOnArm() throws Exception {
        KextBundle intel = load("acidanthera-Lilu/Info.plist", "x86_64");
        Resolution onIntel = new DependencyResolver(Kexts.repository(intel)).resolve(intel);
        assertTrue(onIntel.isResolved(), intel.diagnostics().format());
        assertEquals(List.of("com.apple.kpi.bsd", "com.apple.kpi.iokit", "com.apple.kpi.libkern", "com.apple.kpi.mach",
                "com.apple.kpi.dsep", "com.apple.kpi.unsupported", "$(PRODUCT_BUNDLE_IDENTIFIER)"),
                onIntel.loadList().stream().map(KextBundle::identifier).toList());

        KextBundle arm = load("acidanthera-Lilu/Info.plist", "arm64");
        Resolution onArm = new DependencyResolver(Kexts.repository(arm)).resolve(arm);
        assertFalse(onArm.isResolved());
        assertEquals(List.of(DependencyMessages.KERNEL_STYLE_ON_64_BIT), arm.diagnostics().messages(DEPENDENCIES));
    }

    @Test
    void horndisWithoutItsFamiliesNamesBothInDeclarationOrder() throws Exception {
        KextBundle horndis = load("jwise-HoRNDIS/Info.plist", "x86_64");
        Resolution resolution = new DependencyResolver(Kexts.repository(horndis)).resolve(horndis);
        assertFalse(resolution.isResolved());
        assertEquals(List.of("com.apple.iokit.IONetworkingFamily", "com.apple.iokit.IOUSBHostFamily"),
                horndis.diagnostics().values(DEPENDENCIES, DependencyMessages.NO_KEXTS_FOUND));
        assertEquals(List.of(
                "/Library/Extensions/jwise-HoRNDIS.kext - dependency 'com.apple.iokit.IONetworkingFamily' not found.",
                "/Library/Extensions/jwise-HoRNDIS.kext - dependency 'com.apple.iokit.IOUSBHostFamily' not found."),
                resolution.logLines());
    }
}
