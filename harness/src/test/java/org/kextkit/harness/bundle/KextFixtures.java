package org.kextkit.harness.bundle;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.kextkit.harness.version.VersionGrammar;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;

/**
 * Build kext bundles in a temp folder from Info.plist text and generated classes, so that a test
 * shows its whole input on one screen.
 */
final class KextFixtures {
    static final String APPLE_DOCTYPE =
            "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">";

    private KextFixtures() {
    }

    /** Wrap the body of the top-level dict in a complete XML plist. */
    static String plist(String dictBody) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + APPLE_DOCTYPE + "\n<plist version=\"1.0\">\n<dict>\n"
                + dictBody + "</dict>\n</plist>\n";
    }

    /** Return {@code <key>k</key><string>v</string>} lines. */
    static String str(String key, String value) {
        return "\t<key>" + key + "</key>\n\t<string>" + value + "</string>\n";
    }

    /** Write {@code dir/name/Contents/Info.plist} and return the kext folder. */
    static Path kext(Path dir, String name, String infoPlist) throws IOException {
        Path kext = dir.resolve(name);
        Path contents = Files.createDirectories(kext.resolve("Contents"));
        Files.writeString(contents.resolve("Info.plist"), infoPlist, StandardCharsets.UTF_8);
        return kext;
    }

    /** Write {@code dir/name} with {@code Contents/Info.plist} and a jar {@code Contents/MacOS/exec} holding one class. */
    static Path kextWithJar(Path dir, String name, String infoPlist, String executable) throws IOException {
        Path kext = kext(dir, name, infoPlist);
        writeJar(kext.resolve("Contents/MacOS").resolve(executable), null, "com.example.driver.Foo");
        return kext;
    }

    /** Write a jar holding generated classes, with a {@code Kext-Module-Class} attribute unless it is {@code null}. */
    static void writeJar(Path file, String moduleClass, String... classNames) throws IOException {
        Files.createDirectories(file.getParent());
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (String className : classNames) {
            entries.put(className.replace('.', '/') + ".class", classBytes(className));
        }
        Files.write(file, jar(moduleClass, entries));
    }

    /** Return jar bytes with the given entries and an optional {@code Kext-Module-Class}. */
    static byte[] jar(String moduleClass, Map<String, byte[]> entries) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (moduleClass != null) {
            manifest.getMainAttributes().put(new Attributes.Name(KextBundle.MODULE_CLASS_ATTRIBUTE), moduleClass);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream out = new JarOutputStream(bytes, manifest)) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                out.putNextEntry(new JarEntry(entry.getKey()));
                out.write(entry.getValue());
                out.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    /** Return the bytes of an empty public class with the given binary name. */
    static byte[] classBytes(String binaryName) {
        ClassWriter writer = new ClassWriter(0);
        writer.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, binaryName.replace('.', '/'), null,
                "java/lang/Object", null);
        writer.visitEnd();
        return writer.toByteArray();
    }

    /** Write raw bytes to a file, creating folders. */
    static void write(Path file, byte[] bytes) throws IOException {
        Files.createDirectories(file.getParent());
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(bytes);
        }
    }

    /** Build the top-level dict of an Info.plist key by key, starting from a valid library kext. */
    static final class Info {
        private final Map<String, String> entries = new LinkedHashMap<>();

        /** Start from a valid kext: identifier, version, package type, executable Foo, compatible version, one library. */
        static Info valid() {
            return new Info()
                    .string("CFBundleIdentifier", "com.example.driver.Foo")
                    .string("CFBundleVersion", "1.2.3")
                    .string("CFBundlePackageType", "KEXT")
                    .string("CFBundleExecutable", "Foo")
                    .string("OSBundleCompatibleVersion", "1.0")
                    .raw("OSBundleLibraries", "<dict><key>com.apple.kpi.iokit</key><string>8.0.0</string></dict>");
        }

        /** Set a key to a string value. */
        Info string(String key, String value) {
            return raw(key, "<string>" + value + "</string>");
        }

        /** Set a key to a raw XML value such as {@code <integer>5</integer>}. */
        Info raw(String key, String xmlValue) {
            entries.put(key, xmlValue);
            return this;
        }

        /** Remove a key. */
        Info remove(String key) {
            entries.remove(key);
            return this;
        }

        /** Return the Info.plist text. */
        String xml() {
            StringBuilder body = new StringBuilder();
            entries.forEach((key, value) -> body.append("\t<key>").append(key).append("</key>\n\t").append(value).append('\n'));
            return plist(body.toString());
        }
    }

    /** Return a reader for x86_64 with the modern grammar and a fresh counter. */
    static KextBundleReader reader() {
        return new KextBundleReader("x86_64", VersionGrammar.MODERN, new AtomicLong());
    }
}
