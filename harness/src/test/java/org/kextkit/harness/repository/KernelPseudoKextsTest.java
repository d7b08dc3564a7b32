package org.kextkit.harness.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.kextkit.harness.bundle.KextBundle;

class KernelPseudoKextsTest {

    private final KernelPseudoKexts kernel = KernelPseudoKexts.create();

    @Test
    void defaultKernelIsDarwin25_1_0OnX86_64() {
        assertEquals("25.1.0", kernel.kernelVersionString());
        assertEquals("x86_64", kernel.arch());
        for (KextBundle kext : kernel.bundles()) {
            if (!kext.identifier().startsWith("com.apple.kernel.")) {
                assertEquals("25.1.0", kext.versionString(), kext.identifier());
            }
        }
    }

    @ParameterizedTest(name = "{0} at {1}: executable {2}, compatible back to {3}")
    @CsvSource({
        "com.apple.kernel,          System.kext,                             ,             25.1.0",
        "com.apple.kpi.bsd,         System.kext/Contents/PlugIns/BSDKernel.kext,    BSDKernel,    8.0.0b1",
        "com.apple.kpi.dsep,        System.kext/Contents/PlugIns/MACFramework.kext, MACFramework, 8.0.0b1",
        "com.apple.kpi.iokit,       System.kext/Contents/PlugIns/IOKit.kext,        IOKit,        7.0",
        "com.apple.kpi.libkern,     System.kext/Contents/PlugIns/Libkern.kext,      Libkern,      8.0.0d0",
        "com.apple.kpi.mach,        System.kext/Contents/PlugIns/Mach.kext,         Mach,         8.0.0d0",
        "com.apple.kpi.private,     System.kext/Contents/PlugIns/Private.kext,      Private,      8.0.0b1",
        "com.apple.kpi.unsupported, System.kext/Contents/PlugIns/Unsupported.kext,  Unsupported,  8.0.0b1",
        "com.apple.kernel.6.0,      System.kext/Contents/PlugIns/System6.0.kext,    kernel.6.0,   7.9.9",
        "com.apple.kernel.bsd,      System.kext/Contents/PlugIns/BSDKernel6.0.kext, ,             1.1",
        "com.apple.kernel.iokit,    System.kext/Contents/PlugIns/IOKit6.0.kext,     ,             1.0.0b1",
        "com.apple.kernel.libkern,  System.kext/Contents/PlugIns/Libkern6.0.kext,   ,             1.0.0b1",
        "com.apple.kernel.mach,     System.kext/Contents/PlugIns/Mach6.0.kext,      ,             1.0.0b1",
    })
    void pseudoKextMatchesXnuSystemKext(String id, String path, String executable, String compatible) {
        KextBundle kext = kernel.bundle(id);
        assertEquals(Path.of("/System/Library/Extensions").resolve(path), kext.path());
        assertEquals(executable, kext.executableName());
        assertEquals(compatible, kext.stringValue("OSBundleCompatibleVersion"));
        assertTrue(kext.isKernelComponent(), "OSKernelResource");
        assertTrue(kext.isLibrary());
        assertEquals("Root", kext.osBundleRequired());
        assertTrue(kext.libraries().isEmpty(), "kernel components declare no libraries");
        assertTrue(kext.diagnostics().isEmpty());
        assertTrue(kext.order() < 0, "a kext from disk must win a version tie");
    }

    @Test
    void currentPseudoKextsAllowUserLoadAndLegacyOnesAreFrozenAt7_9_9() {
        for (KextBundle kext : kernel.bundles()) {
            boolean legacy = kext.identifier().startsWith("com.apple.kernel.");
            assertEquals(!legacy, kext.booleanValue("OSBundleAllowUserLoad"), kext.identifier());
            if (legacy) {
                assertEquals("7.9.9", kext.versionString());
            }
        }
    }

    @Test
    void plugInsHangUnderSystemKext() {
        KextBundle system = kernel.kernel();
        assertEquals("com.apple.kernel", system.identifier());
        assertFalse(system.declaresExecutable());
        assertNull(system.parent());
        assertEquals(kernel.bundles().size() - 1, system.plugins().size());
        assertSame(system, kernel.bundle("com.apple.kpi.iokit").parent());
    }

    @Test
    void kernelVersionIsConfigurable() {
        KernelPseudoKexts older = KernelPseudoKexts.forKernel("20.5.0", "arm64");
        assertEquals("20.5.0", older.bundle("com.apple.kpi.iokit").versionString());
        assertEquals("20.5.0", older.kernel().stringValue("OSBundleCompatibleVersion"));
        assertEquals("arm64", older.bundle("com.apple.kpi.iokit").arch());
        assertEquals("7.9.9", older.bundle("com.apple.kernel.6.0").versionString());
    }

    @Test
    void invalidKernelVersionIsRefusedWithTheFix() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KernelPseudoKexts.forKernel("25.1.0.1", "x86_64"));
        assertEquals("The running-kernel version '25.1.0.1' is not a valid kext version: expected"
                + " major[.minor[.revision]] with an optional stage such as b1 (for example 25.1.0, Darwin's"
                + " kern.osrelease for macOS 26.1); fix the kernel version setting.", e.getMessage());
    }

    @Test
    void kernelOlderThanTheKpisIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KernelPseudoKexts.forKernel("7.9", "x86_64"));
        assertTrue(e.getMessage().contains("older than Darwin 8"), e.getMessage());
        assertTrue(e.getMessage().contains("use 8.0.0 or later"), e.getMessage());
    }

    @Test
    void emptyKernelVersionAndThirtyTwoBitHostsAreRefused() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> KernelPseudoKexts.forKernel(" ", "x86_64"))
                .getMessage().contains("is empty"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> KernelPseudoKexts.forKernel("25.1.0", "i386"))
                .getMessage().contains("use x86_64 or arm64"));
    }

    @Test
    void identifiersAreTheThirteenOfSection6_1() {
        List<String> ids = kernel.bundles().stream().map(KextBundle::identifier).collect(Collectors.toList());
        assertEquals(List.of("com.apple.kernel", "com.apple.kpi.bsd", "com.apple.kpi.dsep", "com.apple.kpi.iokit",
                "com.apple.kpi.libkern", "com.apple.kpi.mach", "com.apple.kpi.private", "com.apple.kpi.unsupported",
                "com.apple.kernel.6.0", "com.apple.kernel.bsd", "com.apple.kernel.iokit", "com.apple.kernel.libkern",
                "com.apple.kernel.mach"), ids);
    }
}
