package org.kextkit.harness.bundle;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipInputStream;

/**
 * Hold a kext's executable: the jar at {@code Contents/MacOS/<CFBundleExecutable>}, read once into
 * memory so that validation, the link check and the class loader all work from the same bytes.
 *
 * <p>Only {@code .class} entries and the manifest are kept. Reading is bounded: at most
 * {@link #MAX_ENTRIES} entries and {@link #MAX_TOTAL_BYTES} uncompressed bytes, so a hostile jar
 * cannot exhaust the kernel's memory.
 *
 * <p>A build that has not packaged its jar yet (a test run straight after {@code compile}) can give
 * its classes folder ({@link #fromClassesDirectory}) or class bytes it holds ({@link #fromClasses})
 * instead: the kernel links, checks, instruments and isolates those classes exactly as a jar's.
 */
public final class KextExecutable {
    /** The largest number of entries a kext jar may have. */
    public static final int MAX_ENTRIES = 65_536;
    /** The largest total uncompressed size of a kext jar's classes. */
    public static final long MAX_TOTAL_BYTES = 256L * 1024 * 1024;

    private final Path path;
    private final long fileSize;
    private final Map<String, byte[]> classes;
    private final String moduleClass;
    private final byte[] digestSource;
    // Derived from the immutable fields above on first use; racing threads compute equal values.
    private volatile String uuid;
    private volatile java.net.URL location;
    private volatile boolean locationUnavailable;

    private KextExecutable(Path path, long fileSize, Map<String, byte[]> classes, String moduleClass, byte[] raw) {
        this.path = path;
        this.fileSize = fileSize;
        this.classes = classes;
        this.moduleClass = moduleClass;
        this.digestSource = raw;
    }

    /**
     * Read a kext executable.
     *
     * @throws KextExecutableException if the file is missing, unreadable, not a jar, or over the limits
     */
    public static KextExecutable read(Path path) throws KextExecutableException {
        byte[] raw;
        try {
            raw = Files.readAllBytes(path);
        } catch (IOException e) {
            throw new KextExecutableException(path, "can't be read (" + e.getMessage() + ")");
        }
        return fromBytes(path, raw);
    }

    /** Read a kext executable from bytes already in memory; {@code path} is used in messages. */
    public static KextExecutable fromBytes(Path path, byte[] raw) throws KextExecutableException {
        Map<String, byte[]> classes = new LinkedHashMap<>();
        Manifest manifest = null;
        int entries = 0;
        long total = 0;
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(raw))) {
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                if (++entries > MAX_ENTRIES) {
                    throw new KextExecutableException(path, "has more than " + MAX_ENTRIES + " entries");
                }
                String name = entry.getName();
                boolean isClass = name.endsWith(".class") && !entry.isDirectory() && !name.startsWith("META-INF/");
                boolean isManifest = JarFile.MANIFEST_NAME.equalsIgnoreCase(name);
                if (!isClass && !isManifest) {
                    continue;
                }
                byte[] bytes = readBounded(zip, MAX_TOTAL_BYTES - total, path);
                total += bytes.length;
                if (isManifest) {
                    manifest = new Manifest(new ByteArrayInputStream(bytes));
                } else {
                    String className = name.substring(0, name.length() - ".class".length()).replace('/', '.');
                    if (!className.equals("module-info")) {
                        classes.put(className, bytes);
                    }
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new KextExecutableException(path, "is not a valid jar (" + e.getMessage() + ")");
        }
        if (entries == 0) {
            throw new KextExecutableException(path, "is not a valid jar (no entries)");
        }
        String moduleClass = manifest == null ? null : moduleClassOf(manifest);
        return new KextExecutable(path, raw.length, Collections.unmodifiableMap(classes), moduleClass, raw);
    }

    /**
     * Read a build's classes folder (such as {@code target/classes}) as a kext executable: every
     * {@code .class} file below it, and {@code META-INF/MANIFEST.MF} for {@code Kext-Module-Class},
     * within the same limits as a jar.
     *
     * @throws KextExecutableException if the folder is missing or unreadable, or over the limits
     */
    public static KextExecutable fromClassesDirectory(Path directory) throws KextExecutableException {
        if (!Files.isDirectory(directory)) {
            throw new KextExecutableException(directory, "is not a classes folder (no such directory)");
        }
        Map<String, byte[]> classes = new java.util.TreeMap<>();
        String moduleClass = null;
        long total = 0;
        List<Path> files;
        try (Stream<Path> walk = Files.walk(directory)) {
            files = walk.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new KextExecutableException(directory, "can't be listed (" + e.getMessage() + ")");
        }
        if (files.size() > MAX_ENTRIES) {
            throw new KextExecutableException(directory, "has more than " + MAX_ENTRIES + " files");
        }
        try {
            for (Path file : files) {
                String name = directory.relativize(file).toString().replace(java.io.File.separatorChar, '/');
                boolean isManifest = JarFile.MANIFEST_NAME.equalsIgnoreCase(name);
                if (!isManifest && (!name.endsWith(".class") || name.startsWith("META-INF/"))) {
                    continue;
                }
                total += Files.size(file);
                if (total > MAX_TOTAL_BYTES) {
                    throw new KextExecutableException(directory, "holds more than " + MAX_TOTAL_BYTES + " bytes of classes");
                }
                byte[] bytes = Files.readAllBytes(file);
                if (isManifest) {
                    moduleClass = moduleClassOf(new Manifest(new ByteArrayInputStream(bytes)));
                } else {
                    String className = name.substring(0, name.length() - ".class".length()).replace('/', '.');
                    if (!className.equals("module-info")) {
                        classes.put(className, bytes);
                    }
                }
            }
        } catch (IOException e) {
            throw new KextExecutableException(directory, "can't be read (" + e.getMessage() + ")");
        }
        return fromClasses(directory, classes, moduleClass);
    }

    /**
     * Make a kext executable of class bytes already in memory, as if they were a jar's entries.
     *
     * @param location where the classes came from (a classes folder, a test's class path), used in
     *     messages and as the classes' code source
     * @param classes class bytes by binary name ({@code com.example.Foo$Bar})
     * @param moduleClass the {@code Kext-Module-Class}, or {@code null}
     */
    public static KextExecutable fromClasses(Path location, Map<String, byte[]> classes, String moduleClass) {
        Map<String, byte[]> sorted = new java.util.TreeMap<>(classes);
        // The UUID stands for the executable's contents: here every class's name and bytes, in name order.
        java.io.ByteArrayOutputStream digest = new java.io.ByteArrayOutputStream();
        long size = 0;
        for (Map.Entry<String, byte[]> e : sorted.entrySet()) {
            digest.writeBytes(e.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            digest.writeBytes(e.getValue());
            size += e.getValue().length;
        }
        Map<String, byte[]> kept = new LinkedHashMap<>(sorted);
        return new KextExecutable(location, size, Collections.unmodifiableMap(kept),
                moduleClass == null ? null : moduleClass.trim(), digest.toByteArray());
    }

    private static String moduleClassOf(Manifest manifest) {
        String value = manifest.getMainAttributes().getValue(new Attributes.Name(KextBundle.MODULE_CLASS_ATTRIBUTE));
        return value == null ? null : value.trim();
    }

    private static byte[] readBounded(InputStream in, long budget, Path path) throws IOException, KextExecutableException {
        byte[] buffer = new byte[8192];
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int n;
        long read = 0;
        while ((n = in.read(buffer)) > 0) {
            read += n;
            if (read > budget) {
                throw new KextExecutableException(path, "expands to more than " + MAX_TOTAL_BYTES + " bytes");
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    /** Return the jar's path (or the classes folder or location it was made from). */
    public Path path() {
        return path;
    }

    /** Return the jar's size on disk in bytes. */
    public long fileSize() {
        return fileSize;
    }

    /** Return the binary names ({@code com.example.Foo$Bar}) of the classes in the jar. */
    public Set<String> classNames() {
        return classes.keySet();
    }

    /** Return a class's bytes, or {@code null} if the jar has no such class. */
    public byte[] classBytes(String binaryName) {
        return classes.get(binaryName);
    }

    /** Return true if the jar defines at least one class: the Java form of having {@code kmod_info}. */
    public boolean hasKernelCode() {
        return !classes.isEmpty();
    }

    /** Return the {@code Kext-Module-Class} manifest attribute, or {@code null} if absent. */
    public String moduleClass() {
        return moduleClass;
    }

    /** Return the raw jar bytes, or for classes given without a jar their names and bytes (for the executable's UUID). */
    public byte[] rawBytes() {
        return digestSource.clone();
    }

    /** Return a name-based UUID of the jar bytes, upper case, as kextstat prints a Mach-O UUID. */
    public String uuid() {
        String known = uuid;
        if (known == null) {
            // The bytes never change: digest them once, not at every load into every kernel.
            known = java.util.UUID.nameUUIDFromBytes(digestSource).toString().toUpperCase(java.util.Locale.ROOT);
            uuid = known;
        }
        return known;
    }

    /**
     * Return the executable's location as a URL ({@code path().toUri()}, which asks the file system
     * whether it is a folder), for the {@code CodeSource} of the classes defined from it; {@code null}
     * if the path has no URL form.
     */
    public java.net.URL location() {
        java.net.URL known = location;
        if (known == null && !locationUnavailable) {
            // Found once per executable, not once per class loader: each kernel that loads it makes one.
            try {
                known = path.toUri().toURL();
                location = known;
            } catch (java.net.MalformedURLException | IllegalArgumentException e) {
                locationUnavailable = true;
            }
        }
        return known;
    }
}
