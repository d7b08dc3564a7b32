package org.kextkit.harness.bundle;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * Write a kext bundle to disk: {@code <Name>.kext/Contents/Info.plist} and, if there are classes,
 * the executable jar at {@code Contents/MacOS/<executable>}.
 *
 * <p>Jar entries get a fixed timestamp, so the same classes always give the same bytes and so the
 * same executable UUID.
 */
public final class KextBundleWriter {
    private static final FileTime FIXED_TIME = FileTime.fromMillis(946_684_800_000L);

    private KextBundleWriter() {
    }

    /**
     * Write a bundle.
     *
     * @param parent the folder to create {@code <name>.kext} in
     * @param name the bundle's name without {@code .kext}
     * @param infoPlist the Info.plist text, written as is
     * @param executableName the executable's file name, or {@code null} for a codeless kext
     * @param classes binary class name to class bytes
     * @param moduleClass the {@code Kext-Module-Class} manifest attribute, or {@code null}
     * @return the {@code .kext} directory
     */
    public static Path write(Path parent, String name, String infoPlist, String executableName,
                             Map<String, byte[]> classes, String moduleClass) throws IOException {
        Path kext = parent.resolve(name + ".kext");
        Path contents = Files.createDirectories(kext.resolve("Contents"));
        Files.writeString(contents.resolve("Info.plist"), infoPlist, StandardCharsets.UTF_8);
        if (executableName != null) {
            Path macos = Files.createDirectories(contents.resolve("MacOS"));
            Files.write(macos.resolve(executableName), jar(classes, moduleClass));
        }
        return kext;
    }

    /** Return the bytes of a jar holding {@code classes}, with a manifest naming {@code moduleClass}. */
    public static byte[] jar(Map<String, byte[]> classes, String moduleClass) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (moduleClass != null) {
            manifest.getMainAttributes().put(new Attributes.Name(KextBundle.MODULE_CLASS_ATTRIBUTE), moduleClass);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(bytes)) {
            JarEntry manifestEntry = new JarEntry("META-INF/MANIFEST.MF");
            manifestEntry.setLastModifiedTime(FIXED_TIME);
            jar.putNextEntry(manifestEntry);
            manifest.write(jar);
            jar.closeEntry();
            for (Map.Entry<String, byte[]> e : new java.util.TreeMap<>(classes).entrySet()) {
                JarEntry entry = new JarEntry(e.getKey().replace('.', '/') + ".class");
                entry.setLastModifiedTime(FIXED_TIME);
                jar.putNextEntry(entry);
                jar.write(e.getValue());
                jar.closeEntry();
            }
        }
        return bytes.toByteArray();
    }
}
