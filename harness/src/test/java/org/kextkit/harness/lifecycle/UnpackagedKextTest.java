package org.kextkit.harness.lifecycle;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kextkit.harness.testing.TestKexts.identity;
import static org.kextkit.harness.testing.TestKexts.libraries;
import static org.kextkit.harness.testing.TestKexts.plist;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kextkit.harness.bundle.BundleReadResult;
import org.kextkit.harness.bundle.KextBundle;
import org.kextkit.harness.bundle.KextExecutable;
import org.kextkit.harness.bundle.KextExecutableException;
import org.kextkit.harness.check.Finding;
import org.kextkit.harness.link.KextClassLoader;
import org.kextkit.harness.testing.Javac;

/** A kext whose classes come from a build's classes folder, before any jar exists: loaded like a packaged one. */
class UnpackagedKextTest {
    private static final String MODULE = """
            package com.example.raw;
            import org.kextkit.kit.libkern.*;
            import static org.kextkit.kit.libkern.Locks.*;
            import static org.kextkit.kit.libkern.Libkern.printf;
            public class Module implements KextModule {
                static LckGrp grp;
                static LckMtx mtx;
                public int start(KmodInfo ki, Object data) {
                    try {
                        Class.forName("org.kextkit.harness.lifecycle.HostedKernel");
                        printf("harness visible");
                    } catch (ClassNotFoundException e) {
                        printf("harness hidden");
                    }
                    grp = lck_grp_alloc_init("raw", null);
                    mtx = lck_mtx_alloc_init(grp, null);
                    lck_mtx_lock(mtx);
                    return KernReturn.KERN_SUCCESS;
                }
                public int stop(KmodInfo ki, Object data) {
                    return KernReturn.KERN_SUCCESS;
                }
            }
            """;

    @TempDir
    Path dir;
    HostedKernel kernel;

    @BeforeEach
    void boot() {
        kernel = HostedKernel.boot(KernelSettings.defaults());
    }

    @AfterEach
    void shutdown() {
        kernel.shutdown();
    }

    private Path classesFolder() throws Exception {
        Path classes = dir.resolve("target/classes");
        Map<String, byte[]> compiled = Javac.compile(dir.resolve("javac"), Map.of("com.example.raw.Module", MODULE));
        for (Map.Entry<String, byte[]> e : compiled.entrySet()) {
            Path file = classes.resolve(e.getKey().replace('.', '/') + ".class");
            Files.createDirectories(file.getParent());
            Files.write(file, e.getValue());
        }
        Path manifest = classes.resolve("META-INF/MANIFEST.MF");
        Files.createDirectories(manifest.getParent());
        Files.writeString(manifest, "Manifest-Version: 1.0\nKext-Module-Class: com.example.raw.Module\n", UTF_8);
        Files.writeString(classes.resolve("notes.txt"), "not a class");
        return classes;
    }

    private static byte[] infoPlist() {
        return plist(identity("com.example.Raw", "Raw", "1.0.0") + libraries("com.apple.kpi.libkern", "8.0.0"))
                .getBytes(UTF_8);
    }

    @Test
    void aClassesFolderLoadsInItsOwnInstrumentedLoaderAndIsCheckedLikeAJar() throws Exception {
        Path classes = classesFolder();
        KextExecutable executable = KextExecutable.fromClassesDirectory(classes);
        assertEquals(List.of("com.example.raw.Module"), List.copyOf(executable.classNames()), "only class files are kept");
        assertEquals("com.example.raw.Module", executable.moduleClass());

        BundleReadResult read = kernel.addKext(dir.resolve("target/Raw.kext"), dir.resolve("Info.plist"), infoPlist(),
                executable);
        KextBundle bundle = read.bundle().orElseThrow();
        assertTrue(bundle.hasSuppliedExecutable());
        assertEquals(classes, bundle.executablePath());
        assertFalse(bundle.diagnostics().hasFailures(), bundle.diagnostics().toString());

        LoadReport report = kernel.load(bundle);

        assertTrue(report.isLoaded(), report.messages() + "\n" + kernel.logText());
        assertTrue(kernel.logText().contains("harness hidden"), "isolated as a jar's classes are:\n" + kernel.logText());
        LoadedKext loaded = kernel.loadedKext("com.example.Raw").orElseThrow();
        KextClassLoader loader = loaded.classLoader();
        assertEquals(classes, loader.executable().path());
        List<String> checks = kernel.findings().list().stream().map(Finding::checkId).collect(Collectors.toList());
        assertEquals(List.of("LCK-HELD"), checks, "the run-time checks watch it: start returned holding its lock");
        assertEquals("com.example.raw.Module", kernel.findings().list().get(0).primarySite().className());
    }

    @Test
    void theSameClassesGiveTheSameUuidAndAMissingFolderIsNamed() throws Exception {
        Path classes = classesFolder();
        assertEquals(KextExecutable.fromClassesDirectory(classes).uuid(), KextExecutable.fromClassesDirectory(classes).uuid());

        KextExecutableException missing = assertThrows(KextExecutableException.class,
                () -> KextExecutable.fromClassesDirectory(dir.resolve("nowhere")));
        assertTrue(missing.getMessage().contains("nowhere"), missing.getMessage());
        assertTrue(missing.getMessage().contains("no such directory"), missing.getMessage());
    }
}
