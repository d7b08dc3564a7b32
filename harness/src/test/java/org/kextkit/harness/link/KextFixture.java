package org.kextkit.harness.link;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.dd.plist.NSDictionary;
import com.dd.plist.PropertyListParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.kextkit.harness.bundle.KextBundle;
import org.kextkit.harness.bundle.KextExecutable;
import org.kextkit.harness.bundle.KextExecutableException;
import org.kextkit.harness.version.VersionGrammar;

/**
 * Write kext bundles into a test's temporary folder from an Info.plist text plus class bytes, and
 * read them back as {@link KextBundle}s, so each test shows its whole input.
 */
final class KextFixture {
    /** The kernel version the fixture's KPI pseudo-kexts report. */
    static final String KERNEL_VERSION = "25.1.0";

    private final Path root;
    private long order;

    KextFixture(Path root) {
        this.root = root;
    }

    /** Start describing a kext with the given bundle identifier. */
    Builder kext(String id) {
        return new Builder(id);
    }

    /** Return the {@code com.apple.kpi.*} pseudo-kext with the given plug-in name and compatible version. */
    KextBundle kpi(String id, String pluginName, String compatibleVersion) {
        Path dir = root.resolve("System.kext/Contents/PlugIns/" + pluginName + ".kext");
        String xml = plist(
                "CFBundleExecutable", pluginName,
                "CFBundleIdentifier", id,
                "CFBundleName", pluginName,
                "CFBundlePackageType", "KEXT",
                "CFBundleVersion", KERNEL_VERSION,
                "OSBundleCompatibleVersion", compatibleVersion,
                "OSBundleRequired", "Root",
                "OSKernelResource", Boolean.TRUE);
        return parse(dir, xml);
    }

    KextBundle libkern() {
        return kpi("com.apple.kpi.libkern", "Libkern", "8.0.0d0");
    }

    KextBundle iokit() {
        return kpi("com.apple.kpi.iokit", "IOKit", "7.0");
    }

    KextBundle unsupported() {
        return kpi("com.apple.kpi.unsupported", "Unsupported", "8.0.0b1");
    }

    /** Read a bundle's executable from disk, as the kernel would. */
    static KextExecutable executable(KextBundle bundle) {
        try {
            return KextExecutable.read(bundle.executablePath());
        } catch (KextExecutableException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    private KextBundle parse(Path dir, String xml) {
        try {
            NSDictionary info = (NSDictionary) PropertyListParser.parse(xml.getBytes(UTF_8));
            return new KextBundle(dir, dir.resolve("Contents/Info.plist"), info, "x86_64", VersionGrammar.MODERN, null, order++);
        } catch (Exception e) {
            throw new AssertionError("bad fixture plist: " + e, e);
        }
    }

    /** Render key/value pairs as an Info.plist; values are strings, booleans or maps of strings. */
    static String plist(Object... keysAndValues) {
        StringBuilder sb = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n"
                + "<plist version=\"1.0\">\n<dict>\n");
        for (int i = 0; i < keysAndValues.length; i += 2) {
            sb.append("\t<key>").append(keysAndValues[i]).append("</key>\n");
            Object value = keysAndValues[i + 1];
            if (value instanceof Boolean) {
                sb.append((Boolean) value ? "\t<true/>\n" : "\t<false/>\n");
            } else if (value instanceof Map) {
                sb.append("\t<dict>\n");
                for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                    sb.append("\t\t<key>").append(e.getKey()).append("</key>\n");
                    sb.append("\t\t<string>").append(e.getValue()).append("</string>\n");
                }
                sb.append("\t</dict>\n");
            } else {
                sb.append("\t<string>").append(value).append("</string>\n");
            }
        }
        return sb.append("</dict>\n</plist>\n").toString();
    }

    /** Pack classes (binary name to bytes) into a jar, with a manifest naming the module class if given. */
    static byte[] jar(Map<String, byte[]> classes, String moduleClass) {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (moduleClass != null) {
            manifest.getMainAttributes().put(new Attributes.Name(KextBundle.MODULE_CLASS_ATTRIBUTE), moduleClass);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream out = new JarOutputStream(bytes, manifest)) {
            for (Map.Entry<String, byte[]> e : classes.entrySet()) {
                out.putNextEntry(new JarEntry(e.getKey().replace('.', '/') + ".class"));
                out.write(e.getValue());
                out.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Describe one kext; {@link #build()} writes it and returns its bundle. */
    final class Builder {
        private final String id;
        private String version = "1.0";
        private String compatibleVersion;
        private final Map<String, String> libraries = new LinkedHashMap<>();
        private final Map<String, byte[]> classes = new LinkedHashMap<>();
        private String moduleClass;
        private String directory;
        private boolean codeless;

        private Builder(String id) {
            this.id = id;
        }

        Builder version(String v) {
            this.version = v;
            return this;
        }

        /** Make the kext a library with this {@code OSBundleCompatibleVersion}. */
        Builder compatible(String v) {
            this.compatibleVersion = v;
            return this;
        }

        Builder library(String libraryId, String requested) {
            libraries.put(libraryId, requested);
            return this;
        }

        Builder clazz(String binaryName, byte[] bytes) {
            classes.put(binaryName, bytes);
            return this;
        }

        Builder classes(Map<String, byte[]> more) {
            classes.putAll(more);
            return this;
        }

        Builder moduleClass(String name) {
            this.moduleClass = name;
            return this;
        }

        /** Put the bundle in its own folder, so two versions of one identifier can coexist. */
        Builder directory(String name) {
            this.directory = name;
            return this;
        }

        Builder codeless() {
            this.codeless = true;
            return this;
        }

        KextBundle build() {
            String name = id.substring(id.lastIndexOf('.') + 1);
            Path dir = root.resolve((directory == null ? "" : directory + "/") + name + ".kext");
            List<Object> keys = new ArrayList<>();
            if (!codeless) {
                keys.add("CFBundleExecutable");
                keys.add(name);
            }
            keys.addAll(List.of("CFBundleIdentifier", id, "CFBundleInfoDictionaryVersion", "6.0", "CFBundleName", name,
                    "CFBundlePackageType", "KEXT", "CFBundleVersion", version));
            if (compatibleVersion != null) {
                keys.add("OSBundleCompatibleVersion");
                keys.add(compatibleVersion);
            }
            if (!libraries.isEmpty()) {
                keys.add("OSBundleLibraries");
                keys.add(libraries);
            }
            String xml = plist(keys.toArray());
            try {
                Files.createDirectories(dir.resolve("Contents/MacOS"));
                Files.writeString(dir.resolve("Contents/Info.plist"), xml);
                if (!codeless) {
                    Files.write(dir.resolve("Contents/MacOS/" + name), jar(classes, moduleClass));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return parse(dir, xml);
        }
    }
}
