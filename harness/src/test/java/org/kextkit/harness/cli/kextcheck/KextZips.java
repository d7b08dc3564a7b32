package org.kextkit.harness.cli.kextcheck;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Build {@code .kext.zip} archives for tests, good ones and the harmful kinds kextcheck must refuse. */
public final class KextZips {
    private KextZips() {
    }

    /** Write a zip of {@code entries} (name to contents; a name ending in / is a folder), in order. */
    public static Path zip(Path zip, Map<String, byte[]> entries) {
        try (OutputStream file = Files.newOutputStream(zip); ZipOutputStream out = new ZipOutputStream(file)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(e.getKey()));
                if (!e.getKey().endsWith("/")) {
                    out.write(e.getValue());
                }
                out.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return zip;
    }

    /** Zip the bundle folder {@code kext} as the kext Maven plugin does: one top-level Foo.kext/ folder. */
    public static Path zipBundle(Path kext, Path zip) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        Path base = kext.getParent();
        try (Stream<Path> walk = Files.walk(kext)) {
            for (Path p : walk.sorted().toList()) {
                String name = base.relativize(p).toString().replace('\\', '/');
                entries.put(Files.isDirectory(p) ? name + "/" : name, Files.isDirectory(p) ? new byte[0] : Files.readAllBytes(p));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return zip(zip, entries);
    }

    /** Return {@code size} zero bytes: they compress about a thousand times. */
    public static byte[] zeros(int size) {
        return new byte[size];
    }

    /** Return the text's UTF-8 bytes. */
    public static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Mark {@code entry} of {@code zip} as a Unix symbolic link in the central directory, as {@code zip -y} does. */
    public static void markSymlink(Path zip, String entry) throws IOException {
        byte[] bytes = Files.readAllBytes(zip);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        byte[] wanted = entry.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i + 46 < bytes.length; i++) {
            if (b.getInt(i) == 0x02014b50 && Short.toUnsignedInt(b.getShort(i + 28)) == wanted.length
                    && java.util.Arrays.equals(bytes, i + 46, i + 46 + wanted.length, wanted, 0, wanted.length)) {
                b.putShort(i + 4, (short) (3 << 8 | 20));
                b.putInt(i + 38, 0120777 << 16);
                Files.write(zip, bytes);
                return;
            }
        }
        throw new IllegalArgumentException(entry + " is not in " + zip);
    }

    /** Cut {@code zip} to {@code keep} of its bytes. */
    public static void truncate(Path zip, int keep) throws IOException {
        byte[] bytes = Files.readAllBytes(zip);
        Files.write(zip, java.util.Arrays.copyOf(bytes, keep));
    }

    /** A minimal Info.plist, enough for the archive checks (the bundle reader judges the rest). */
    public static final byte[] PLIST = text("<plist><dict/></plist>");

    /** The entries of a small kext folder called {@code name}. */
    public static Map<String, byte[]> kext(String name) {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put(name + "/", new byte[0]);
        m.put(name + "/Contents/", new byte[0]);
        m.put(name + "/Contents/Info.plist", PLIST);
        return m;
    }

    /** {@code base} with {@code more} entries after it. */
    public static Map<String, byte[]> with(Map<String, byte[]> base, String name, byte[] contents) {
        Map<String, byte[]> m = new LinkedHashMap<>(base);
        m.put(name, contents);
        return m;
    }

}
