package org.kextkit.maven.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * Record a generic kext's {@code Kext-Module-Class} where kextkit looks for it: the manifest of the
 * classes folder (which the JUnit extension loads in {@code mvn test}) and of the executable jar.
 */
public final class ModuleClassManifest {
    /** The manifest attribute that names a kext's start/stop class. */
    public static final String ATTRIBUTE = "Kext-Module-Class";

    private ModuleClassManifest() {
    }

    /** Write {@code moduleClass} into the manifest file {@code manifest}, keeping its other attributes. */
    public static void record(Path manifest, String moduleClass) throws IOException {
        Manifest content = new Manifest();
        if (Files.isRegularFile(manifest)) {
            try (InputStream in = Files.newInputStream(manifest)) {
                content.read(in);
            }
        }
        Attributes main = content.getMainAttributes();
        main.putIfAbsent(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.put(new Attributes.Name(ATTRIBUTE), moduleClass);
        Files.createDirectories(manifest.getParent());
        try (OutputStream out = Files.newOutputStream(manifest)) {
            content.write(out);
        }
    }

    /**
     * Copy the jar {@code from} to {@code to} with {@code moduleClass} in its manifest.
     *
     * @return {@code null} on success, or the different module class the jar already names (then
     *     nothing is written)
     */
    public static String copyWithModuleClass(Path from, Path to, String moduleClass) throws IOException {
        try (JarInputStream in = new JarInputStream(Files.newInputStream(from))) {
            Manifest manifest = in.getManifest() == null ? new Manifest() : new Manifest(in.getManifest());
            Attributes main = manifest.getMainAttributes();
            String existing = main.getValue(ATTRIBUTE);
            if (existing != null && !existing.strip().equals(moduleClass)) {
                return existing.strip();
            }
            main.putIfAbsent(Attributes.Name.MANIFEST_VERSION, "1.0");
            main.put(new Attributes.Name(ATTRIBUTE), moduleClass);
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(to), manifest)) {
                for (JarEntry entry = in.getNextJarEntry(); entry != null; entry = in.getNextJarEntry()) {
                    JarEntry copy = new JarEntry(entry.getName());
                    // keep the jar's own (reproducible) entry times
                    copy.setTime(entry.getTime());
                    out.putNextEntry(copy);
                    in.transferTo(out);
                    out.closeEntry();
                }
            }
        }
        return null;
    }
}
