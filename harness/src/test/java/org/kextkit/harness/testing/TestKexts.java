package org.kextkit.harness.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import org.kextkit.harness.bundle.KextBundleWriter;

/** Write kexts for tests from Info.plist dictionary entries and Java sources, so a test shows its whole input. */
public final class TestKexts {
    private TestKexts() {
    }

    /** Wrap dictionary entries (XML {@code <key>}/value lines) into a complete Info.plist. */
    public static String plist(String entries) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n"
                + "<plist version=\"1.0\">\n<dict>\n" + entries + "\n</dict>\n</plist>\n";
    }

    /** Return the usual identity keys of a kext with an executable named {@code name}. */
    public static String identity(String bundleId, String name, String version) {
        return "<key>CFBundleIdentifier</key><string>" + bundleId + "</string>\n"
                + "<key>CFBundleName</key><string>" + name + "</string>\n"
                + "<key>CFBundleExecutable</key><string>" + name + "</string>\n"
                + "<key>CFBundlePackageType</key><string>KEXT</string>\n"
                + "<key>CFBundleInfoDictionaryVersion</key><string>6.0</string>\n"
                + "<key>CFBundleVersion</key><string>" + version + "</string>\n";
    }

    /** Return an {@code OSBundleLibraries} dictionary of id/version pairs. */
    public static String libraries(String... idsAndVersions) {
        StringBuilder sb = new StringBuilder("<key>OSBundleLibraries</key><dict>\n");
        for (int i = 0; i < idsAndVersions.length; i += 2) {
            sb.append("  <key>").append(idsAndVersions[i]).append("</key><string>").append(idsAndVersions[i + 1]).append("</string>\n");
        }
        return sb.append("</dict>\n").toString();
    }

    /**
     * Compile {@code sources} (binary name to source text) and write {@code <name>.kext} into
     * {@code dir}; {@code moduleClass} may be null. Classes of kexts written earlier into the same
     * folder are on the compiler's class path.
     */
    public static Path write(Path dir, String name, String plistEntries, Map<String, String> sources, String moduleClass) {
        try {
            // Kexts written earlier into the same folder are on the class path, as libraries would be.
            java.util.List<Path> classPath = new java.util.ArrayList<>();
            try (java.util.stream.Stream<Path> builds = java.nio.file.Files.list(dir)) {
                builds.filter(p -> p.getFileName().toString().startsWith("build-")).map(p -> p.resolve("classes")).forEach(classPath::add);
            } catch (java.nio.file.NoSuchFileException e) {
                // nothing written yet
            }
            Map<String, byte[]> classes = sources.isEmpty() ? Map.of()
                    : Javac.compile(dir.resolve("build-" + name), sources, classPath);
            String executable = sources.isEmpty() ? null : name;
            return KextBundleWriter.write(dir, name, plist(plistEntries), executable, classes, moduleClass);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
