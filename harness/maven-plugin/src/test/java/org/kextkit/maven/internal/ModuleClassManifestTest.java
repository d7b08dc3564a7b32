package org.kextkit.maven.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModuleClassManifestTest {
    @TempDir
    Path dir;

    @Test
    void theClassesFolderManifestGainsTheModuleClassAndKeepsItsOtherAttributes() throws Exception {
        Path manifest = dir.resolve("classes/META-INF/MANIFEST.MF");
        Files.createDirectories(manifest.getParent());
        Files.writeString(manifest, "Manifest-Version: 1.0\nBuilt-By: acme\n\n");

        ModuleClassManifest.record(manifest, "com.acme.FooModule");

        Manifest read;
        try (InputStream in = Files.newInputStream(manifest)) {
            read = new Manifest(in);
        }
        assertEquals("com.acme.FooModule", read.getMainAttributes().getValue("Kext-Module-Class"));
        assertEquals("acme", read.getMainAttributes().getValue("Built-By"));
    }

    @Test
    void theExecutableCopyCarriesTheModuleClassAndEveryEntry() throws Exception {
        Path jar = jar(null);
        Path copy = dir.resolve("Foo");

        assertNull(ModuleClassManifest.copyWithModuleClass(jar, copy, "com.acme.FooModule"));

        try (JarFile read = new JarFile(copy.toFile())) {
            assertEquals("com.acme.FooModule", read.getManifest().getMainAttributes().getValue("Kext-Module-Class"));
            assertArrayEquals("class bytes".getBytes(StandardCharsets.UTF_8),
                    read.getInputStream(read.getEntry("com/acme/FooModule.class")).readAllBytes());
        }
    }

    @Test
    void aJarNamingAnotherModuleClassIsAConflictAndNothingIsWritten() throws Exception {
        Path jar = jar("com.acme.Other");
        Path copy = dir.resolve("Foo");

        assertEquals("com.acme.Other", ModuleClassManifest.copyWithModuleClass(jar, copy, "com.acme.FooModule"));
        assertFalse(Files.exists(copy));
    }

    private Path jar(String moduleClass) throws Exception {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (moduleClass != null) {
            manifest.getMainAttributes().putValue("Kext-Module-Class", moduleClass);
        }
        Path jar = dir.resolve("foo.jar");
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
            out.putNextEntry(new JarEntry("com/acme/FooModule.class"));
            out.write("class bytes".getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        return jar;
    }
}
