package org.kextkit.benchmarks;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.kextkit.harness.bundle.KextBundleWriter;

/**
 * Write the small PCI driver kexts the benchmarks load: an Info.plist with one {@code IOPCIDevice}
 * personality and the driver's source compiled with {@code javax.tools} against the benchmark's
 * class path, as a driver author's build would, into {@code <Name>.kext} in a folder of its own.
 */
final class DriverKexts {
    private DriverKexts() {
    }

    /**
     * Write {@code <name>.kext} into a new temporary folder and return the folder.
     *
     * @param bundleId the kext's identifier
     * @param driverClass the driver's binary class name, also its {@code IOClass}
     * @param source the driver's Java source
     * @param pciMatch the personality's {@code IOPCIMatch}
     */
    static Path writeToNewFolder(String name, String bundleId, String driverClass, String source, String pciMatch) {
        try {
            Path folder = Files.createTempDirectory("kextkit-bench-");
            Map<String, byte[]> classes = compile(folder.resolve("build"), Map.of(driverClass, source));
            KextBundleWriter.write(folder, name, infoPlist(name, bundleId, driverClass, pciMatch), name, classes, null);
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Write a driver module's build output, as Maven leaves it after {@code process-classes}, into a
     * new temporary folder and return the folder: {@code target/classes} and {@code target/kext/Info.plist}.
     */
    static Path writeBuildOutput(String name, String bundleId, String driverClass, String source, String pciMatch) {
        try {
            Path module = Files.createTempDirectory("kextkit-bench-");
            compile(module.resolve("target"), Map.of(driverClass, source));
            Path plist = Files.createDirectories(module.resolve("target/kext")).resolve("Info.plist");
            Files.writeString(plist, infoPlist(name, bundleId, driverClass, pciMatch));
            return module;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Write {@code <name>.kext} with a {@code KextModule} and no personalities into a new temporary
     * folder and return the folder.
     *
     * @param bundleId the kext's identifier
     * @param moduleClass the binary name of the kext's module class
     * @param sources the Java sources of the kext's classes, by binary class name
     */
    static Path writeModuleKext(String name, String bundleId, String moduleClass, Map<String, String> sources) {
        try {
            Path folder = Files.createTempDirectory("kextkit-bench-");
            Map<String, byte[]> classes = compile(folder.resolve("build"), sources);
            String plist = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\">\n<dict>\n"
                    + "  <key>CFBundleIdentifier</key><string>" + bundleId + "</string>\n"
                    + "  <key>CFBundleName</key><string>" + name + "</string>\n"
                    + "  <key>CFBundleExecutable</key><string>" + name + "</string>\n"
                    + "  <key>CFBundlePackageType</key><string>KEXT</string>\n"
                    + "  <key>CFBundleInfoDictionaryVersion</key><string>6.0</string>\n"
                    + "  <key>CFBundleVersion</key><string>1.0.0</string>\n"
                    + "  <key>OSBundleLibraries</key><dict>\n"
                    + "    <key>com.apple.kpi.iokit</key><string>8.0.0</string>\n"
                    + "    <key>com.apple.kpi.libkern</key><string>8.0.0</string>\n"
                    + "  </dict>\n"
                    + "</dict>\n</plist>\n";
            KextBundleWriter.write(folder, name, plist, name, classes, moduleClass);
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Remove a folder written by {@link #writeToNewFolder}. */
    static void delete(Path folder) {
        if (folder == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            System.err.println("could not remove " + folder + ": " + e);
        }
    }

    private static String infoPlist(String name, String bundleId, String driverClass, String pciMatch) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n"
                + "<plist version=\"1.0\">\n<dict>\n"
                + "  <key>CFBundleIdentifier</key><string>" + bundleId + "</string>\n"
                + "  <key>CFBundleName</key><string>" + name + "</string>\n"
                + "  <key>CFBundleExecutable</key><string>" + name + "</string>\n"
                + "  <key>CFBundlePackageType</key><string>KEXT</string>\n"
                + "  <key>CFBundleInfoDictionaryVersion</key><string>6.0</string>\n"
                + "  <key>CFBundleVersion</key><string>1.0.0</string>\n"
                + "  <key>OSBundleLibraries</key><dict>\n"
                + "    <key>com.apple.iokit.IOPCIFamily</key><string>2.9</string>\n"
                + "    <key>com.apple.kpi.iokit</key><string>8.0.0</string>\n"
                + "    <key>com.apple.kpi.libkern</key><string>8.0.0</string>\n"
                + "  </dict>\n"
                + "  <key>IOKitPersonalities</key><dict>\n"
                + "    <key>" + name + "</key><dict>\n"
                + "      <key>IOClass</key><string>" + driverClass + "</string>\n"
                + "      <key>IOProviderClass</key><string>IOPCIDevice</string>\n"
                + "      <key>IOPCIMatch</key><string>" + pciMatch + "</string>\n"
                + "    </dict>\n"
                + "  </dict>\n"
                + "</dict>\n</plist>\n";
    }

    // Compile against this JVM's class path (the benchmarks jar holds the kit and the PCI family).
    private static Map<String, byte[]> compile(Path dir, Map<String, String> sources) throws IOException {
        Path src = Files.createDirectories(dir.resolve("src"));
        Path out = Files.createDirectories(dir.resolve("classes"));
        List<String> args = new ArrayList<>(List.of("--release", "17", "-proc:none", "-d", out.toString(),
                "-classpath", System.getProperty("java.class.path")));
        for (Map.Entry<String, String> e : sources.entrySet()) {
            Path file = src.resolve(e.getKey().replace('.', '/') + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, e.getValue());
            args.add(file.toString());
        }
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        if (compiler == null) {
            throw new IllegalStateException("this JVM has no Java compiler (javax.tools); run the benchmarks on a JDK");
        }
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        if (compiler.run(null, diagnostics, diagnostics, args.toArray(new String[0])) != 0) {
            throw new IllegalStateException("javac failed for " + sources.keySet() + ":\n" + diagnostics);
        }
        Map<String, byte[]> classes = new LinkedHashMap<>();
        try (Stream<Path> files = Files.walk(out)) {
            for (Path file : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".class")).sorted()::iterator) {
                String name = out.relativize(file).toString().replace(File.separatorChar, '.');
                classes.put(name.substring(0, name.length() - ".class".length()), Files.readAllBytes(file));
            }
        }
        return classes;
    }
}
