package org.kextkit.maven.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Write a kext bundle folder to a {@code .kext.zip} and read one back.
 *
 * <p>The zip holds the bundle folder itself ({@code Foo.kext/Contents/...}), entries in name order,
 * each stamped with the same time, so two builds of the same sources give the same bytes. The time
 * is written as a local date and time without a zone, so the machine's time zone does not change it.
 */
public final class KextZip {
    /** Unpacking stops past this many bytes, so a hostile dependency cannot fill the disk. */
    static final long MAX_UNPACKED_BYTES = 512L * 1024 * 1024;

    private KextZip() {
    }

    /**
     * Parse Maven's {@code project.build.outputTimestamp}: seconds since the epoch, or an ISO-8601
     * date and time with an offset; empty when unset (or a single character, Maven's "not set").
     *
     * @throws IllegalArgumentException if it is neither, with what was expected
     */
    public static Optional<Instant> parseOutputTimestamp(String value) {
        if (value == null || value.strip().length() < 2) {
            return Optional.empty();
        }
        String text = value.strip();
        if (text.chars().allMatch(Character::isDigit)) {
            return Optional.of(Instant.ofEpochSecond(Long.parseLong(text)));
        }
        try {
            return Optional.of(OffsetDateTime.parse(text).toInstant());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("project.build.outputTimestamp '" + value + "' is not a time: expected "
                    + "seconds since 1970 or an ISO-8601 date and time with an offset, such as 2026-01-01T00:00:00Z");
        }
    }

    /** Zip {@code bundle} (a {@code Foo.kext} folder) to {@code zip}, every entry stamped {@code time}. */
    public static void write(Path bundle, Path zip, Instant time) throws IOException {
        LocalDateTime stamp = LocalDateTime.ofInstant(time, ZoneOffset.UTC);
        Path root = bundle.getParent();
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(bundle)) {
            paths = new ArrayList<>(walk.toList());
        }
        paths.sort((a, b) -> entryName(root, a).compareTo(entryName(root, b)));
        Files.createDirectories(zip.toAbsolutePath().getParent());
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            for (Path path : paths) {
                boolean directory = Files.isDirectory(path);
                ZipEntry entry = new ZipEntry(entryName(root, path) + (directory ? "/" : ""));
                entry.setTimeLocal(stamp);
                out.putNextEntry(entry);
                if (!directory) {
                    Files.copy(path, out);
                }
                out.closeEntry();
            }
        }
    }

    private static String entryName(Path root, Path path) {
        return root.relativize(path).toString().replace('\\', '/');
    }

    /**
     * Unpack {@code zip} into {@code target} and return the {@code .kext} folders found at its top.
     *
     * @throws IOException if the zip cannot be read, or an entry would land outside {@code target} or
     *     the content is larger than {@link #MAX_UNPACKED_BYTES}; the message names the zip and the entry
     */
    public static List<Path> unpack(Path zip, Path target) throws IOException {
        Path base = target.toAbsolutePath().normalize();
        List<Path> kexts = new ArrayList<>();
        long total = 0;
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                Path out = base.resolve(entry.getName()).normalize();
                if (!out.startsWith(base) || out.equals(base)) {
                    throw new IOException(zip + ": entry '" + entry.getName() + "' points outside the bundle; "
                            + "a .kext.zip holds only Foo.kext/...");
                }
                Path top = base.resolve(base.relativize(out).getName(0));
                if (top.getFileName().toString().endsWith(".kext") && !kexts.contains(top)) {
                    kexts.add(top);
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                    continue;
                }
                Files.createDirectories(out.getParent());
                total += copy(in, out, MAX_UNPACKED_BYTES - total, zip, entry);
            }
        }
        return kexts;
    }

    private static long copy(InputStream in, Path file, long budget, Path zip, ZipEntry entry) throws IOException {
        byte[] buffer = new byte[8192];
        long written = 0;
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                written += n;
                if (written > budget) {
                    throw new IOException(zip + ": entry '" + entry.getName() + "' unpacks past "
                            + MAX_UNPACKED_BYTES / (1024 * 1024) + " MB in all; not a kext");
                }
                out.write(buffer, 0, n);
            }
        }
        return written;
    }
}
