package org.kextkit.harness.cli.support;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;

/**
 * Write kext bundles to disk for tests: an Info.plist built from a few readable calls, an optional
 * executable jar, and optional symbol lists for the test link checker.
 */
public final class Kexts {
    private final String bundleName;
    private final Map<String, String> keys = new LinkedHashMap<>();
    private final Map<String, String> libraries = new LinkedHashMap<>();
    private final List<String> extraXml = new ArrayList<>();
    private final List<String> personalities = new ArrayList<>();
    private final Map<String, List<String>> resources = new LinkedHashMap<>();
    private String executable;
    private byte[] executableBytes;
    private boolean missingExecutable;

    private Kexts(String bundleName) {
        this.bundleName = bundleName;
    }

    /** Start a kext bundle named {@code bundleName} (for example {@code Foo.kext}). */
    public static Kexts kext(String bundleName) {
        return new Kexts(bundleName).string("CFBundlePackageType", "KEXT").string("CFBundleInfoDictionaryVersion", "6.0");
    }

    /**
     * Write the kernel's KPI pseudo-kexts ({@code OSKernelResource}, compatible back to 8.0, version
     * {@code kernelVersion}, {@code OSBundleRequired Root}) into {@code folder}; each exports the symbols
     * {@code _<last id component>_*} listed in {@code exports}.
     */
    public static void kpis(Path folder, String kernelVersion, String... identifiers) {
        for (String id : identifiers) {
            String shortName = id.substring(id.lastIndexOf('.') + 1);
            kext(shortName + ".kext").id(id).version(kernelVersion).compatible("8.0.0").executable(shortName)
                    .bool("OSKernelResource", true).string("OSBundleRequired", "Root")
                    .resource("exports.txt", "_" + shortName + "_a", "_" + shortName + "_b")
                    .writeTo(folder);
        }
    }

    public Kexts id(String identifier) {
        return string("CFBundleIdentifier", identifier);
    }

    public Kexts version(String version) {
        return string("CFBundleVersion", version);
    }

    public Kexts compatible(String version) {
        return string("OSBundleCompatibleVersion", version);
    }

    public Kexts name(String name) {
        return string("CFBundleName", name);
    }

    public Kexts required(String value) {
        return string("OSBundleRequired", value);
    }

    /** Declare an executable; it is written as a small jar. */
    public Kexts executable(String name) {
        this.executable = name;
        return string("CFBundleExecutable", name);
    }

    /** Declare an executable whose file holds exactly {@code bytes}. */
    public Kexts executable(String name, byte[] bytes) {
        this.executable = name;
        this.executableBytes = bytes;
        return string("CFBundleExecutable", name);
    }

    /** Declare an executable but write no file for it. */
    public Kexts missingExecutable(String name) {
        this.missingExecutable = true;
        return string("CFBundleExecutable", name);
    }


    public Kexts library(String identifier, String version) {
        libraries.put(identifier, version);
        return this;
    }

    public Kexts string(String key, String value) {
        keys.put(key, "<string>" + value + "</string>");
        return this;
    }

    public Kexts integer(String key, long value) {
        keys.put(key, "<integer>" + value + "</integer>");
        return this;
    }

    public Kexts bool(String key, boolean value) {
        keys.put(key, value ? "<true/>" : "<false/>");
        return this;
    }

    /** Add raw plist XML ({@code <key>..</key><value/>}) to the top-level dictionary. */
    public Kexts xml(String keyAndValue) {
        extraXml.add(keyAndValue);
        return this;
    }

    /** Add a personality with an IOClass, an IOProviderClass and extra raw XML entries. */
    public Kexts personality(String name, String ioClass, String provider, String... extraEntries) {
        StringBuilder sb = new StringBuilder("<key>" + name + "</key><dict>");
        sb.append("<key>IOClass</key><string>").append(ioClass).append("</string>");
        sb.append("<key>IOProviderClass</key><string>").append(provider).append("</string>");
        for (String e : extraEntries) {
            sb.append(e);
        }
        sb.append("</dict>");
        personalities.add(sb.toString());
        return this;
    }

    /** Write {@code Contents/Resources/<file>} with one line per entry (the test link checker reads these). */
    public Kexts resource(String file, String... lines) {
        resources.put(file, List.of(lines));
        return this;
    }

    /** Return the Info.plist XML. */
    public String infoPlist() {
        StringBuilder sb = new StringBuilder();
        sb.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        sb.append("<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n");
        sb.append("<plist version=\"1.0\">\n<dict>\n");
        keys.forEach((k, v) -> sb.append("  <key>").append(k).append("</key>").append(v).append('\n'));
        if (!libraries.isEmpty()) {
            sb.append("  <key>OSBundleLibraries</key><dict>");
            libraries.forEach((k, v) -> sb.append("<key>").append(k).append("</key><string>").append(v).append("</string>"));
            sb.append("</dict>\n");
        }
        if (!personalities.isEmpty()) {
            sb.append("  <key>IOKitPersonalities</key><dict>");
            personalities.forEach(sb::append);
            sb.append("</dict>\n");
        }
        extraXml.forEach(x -> sb.append("  ").append(x).append('\n'));
        sb.append("</dict>\n</plist>\n");
        return sb.toString();
    }

    /** Write the bundle into {@code folder} and return its path. */
    public Path writeTo(Path folder) {
        Path kext = folder.resolve(bundleName);
        try {
            Path contents = kext.resolve("Contents");
            Files.createDirectories(contents);
            Files.writeString(contents.resolve("Info.plist"), infoPlist(), StandardCharsets.UTF_8);
            if (executable != null && !missingExecutable) {
                Path macos = Files.createDirectories(contents.resolve("MacOS"));
                if (executableBytes != null) {
                    Files.write(macos.resolve(executable), executableBytes);
                } else {
                    writeJar(macos.resolve(executable), keys.get("CFBundleIdentifier"));
                }
            }
            if (!resources.isEmpty()) {
                Path res = Files.createDirectories(contents.resolve("Resources"));
                for (Map.Entry<String, List<String>> e : resources.entrySet()) {
                    Files.writeString(res.resolve(e.getKey()), String.join("\n", e.getValue()) + "\n");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return kext;
    }

    /** Write the bundle as a plug-in of {@code container}. */
    public Path writeAsPluginOf(Path container) {
        try {
            return writeTo(Files.createDirectories(container.resolve("Contents").resolve("PlugIns")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeJar(Path file, String seed) throws IOException {
        // Fixed entry times keep the jar, and so the UUID kextstat shows, the same on every run.
        try (OutputStream os = Files.newOutputStream(file); JarOutputStream jar = new JarOutputStream(os)) {
            ZipEntry manifest = new ZipEntry("META-INF/MANIFEST.MF");
            manifest.setTime(0);
            jar.putNextEntry(manifest);
            jar.write("Manifest-Version: 1.0\r\n\r\n".getBytes(StandardCharsets.UTF_8));
            jar.closeEntry();
            ZipEntry entry = new ZipEntry("com/example/Module.class");
            entry.setTime(0);
            jar.putNextEntry(entry);
            // Not a loadable class: the commands only read the jar's bytes (for its UUID).
            jar.write(("kext module of " + seed).getBytes(StandardCharsets.UTF_8));
            jar.closeEntry();
        }
    }
}
