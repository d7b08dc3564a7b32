package org.kextkit.harness.cli.kextcheck;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

/**
 * Unpack one {@code .kext.zip} (a zipped bundle, as the kext Maven plugin packages it: a single
 * top-level {@code Foo.kext/} folder) into a folder of the caller's, refusing what could harm the
 * machine or is not a kext: entries with absolute paths or {@code ..} (zip slip), symbolic links,
 * more entries, bytes or inflation than {@link ArchiveLimits} allow (counted while inflating, not
 * taken from the headers), corrupt or truncated archives, and archives without exactly one top-level
 * {@code .kext} folder. A top-level {@code __MACOSX/} folder (the Finder's resource forks) is skipped.
 */
public final class KextArchive {
    /** The file name ending that marks a zipped kext. */
    public static final String EXTENSION = ".kext.zip";

    private static final String MAC_RESOURCE_FORKS = "__MACOSX";
    private static final int EOCD_SIGNATURE = 0x06054b50;
    private static final int CENTRAL_SIGNATURE = 0x02014b50;
    private static final int EOCD_SIZE = 22;
    private static final int UNIX_HOST = 3;
    private static final int FILE_TYPE_MASK = 0170000;
    private static final int SYMLINK_TYPE = 0120000;
    private static final long MAX_CENTRAL_DIRECTORY = 64L << 20;

    private KextArchive() {
    }

    /** Return true if {@code path}'s file name ends in {@code .kext.zip} (any case). */
    public static boolean isArchiveName(Path path) {
        Path name = path.getFileName();
        return name != null && name.toString().toLowerCase(Locale.ROOT).endsWith(EXTENSION);
    }

    /**
     * Unpack {@code archive} into {@code folder} (which must exist and be empty) and return the kext
     * folder it held, {@code folder/Foo.kext}.
     *
     * @throws ArchiveException naming the archive, the entry at fault and what was expected; whatever
     *     was unpacked before the fault stays in {@code folder} for the caller to remove
     */
    public static Path extract(Path archive, Path folder, ArchiveLimits limits) throws ArchiveException {
        String name = String.valueOf(archive.getFileName());
        int listed = centralDirectory(archive, name);
        Path root = folder.toAbsolutePath().normalize();
        String top = null;
        int entries = 0;
        long total = 0;
        try (CountingStream counted = new CountingStream(new BufferedInputStream(Files.newInputStream(archive)));
                ZipInputStream zip = new ZipInputStream(counted)) {
            byte[] buffer = new byte[8192];
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                entries++;
                if (entries > limits.maxEntries()) {
                    throw new ArchiveException(name + ": holds more than " + limits.maxEntries()
                            + " entries; expected a kext bundle (refused as a possible zip bomb)");
                }
                String path = entry.getName();
                String first = checkPath(name, path);
                if (first.equals(MAC_RESOURCE_FORKS)) {
                    continue;
                }
                if (top == null) {
                    if (!first.toLowerCase(Locale.ROOT).endsWith(".kext")) {
                        throw new ArchiveException(name + ": its top-level entry " + first
                                + " is not a .kext folder; expected one top-level Foo.kext folder");
                    }
                    top = first;
                } else if (!top.equals(first)) {
                    throw new ArchiveException(name + ": holds several top-level entries (" + top + " and " + first
                            + "); expected one top-level .kext folder");
                }
                Path target = root.resolve(path).normalize();
                if (!target.startsWith(root)) {
                    throw new ArchiveException(name + ": entry " + path + " leaves the archive's folder; "
                            + "expected paths inside one top-level .kext folder");
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                    continue;
                }
                if (!path.contains("/")) {
                    throw new ArchiveException(name + ": " + path + " is a file; expected a top-level .kext folder");
                }
                Files.createDirectories(target.getParent());
                try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW)) {
                    for (int n = zip.read(buffer); n > 0; n = zip.read(buffer)) {
                        total += n;
                        if (total > limits.maxTotalBytes()) {
                            throw new ArchiveException(name + ": inflates to more than " + limits.maxTotalBytes()
                                    + " bytes (at entry " + path + "); expected a kext bundle (refused as a zip bomb)");
                        }
                        if (total > ArchiveLimits.RATIO_FLOOR_BYTES && total > limits.maxRatio() * counted.count) {
                            throw new ArchiveException(name + ": inflates more than " + limits.maxRatio()
                                    + " times its compressed size (at entry " + path
                                    + "); expected a kext bundle (refused as a zip bomb)");
                        }
                        out.write(buffer, 0, n);
                    }
                } catch (FileAlreadyExistsException e) {
                    throw new ArchiveException(name + ": entry " + path + " appears twice; expected each path once");
                }
            }
        } catch (ZipException | java.io.EOFException e) {
            throw corrupt(name, e);
        } catch (IOException e) {
            throw new ArchiveException(name + ": could not be unpacked - " + describe(e));
        }
        if (top == null) {
            throw new ArchiveException(name + ": holds no .kext folder; expected one top-level Foo.kext folder");
        }
        if (listed >= 0 && listed != entries) {
            throw new ArchiveException(name + ": its central directory lists " + listed + " entries but it holds "
                    + entries + "; expected a well-formed zip archive");
        }
        Path kext = root.resolve(top);
        if (!Files.isDirectory(kext)) {
            throw new ArchiveException(name + ": " + top + " is a file; expected a top-level .kext folder");
        }
        return kext;
    }

    /** Check one entry name and return its first path segment. */
    private static String checkPath(String name, String path) throws ArchiveException {
        if (path.isEmpty() || path.indexOf('\0') >= 0) {
            throw new ArchiveException(name + ": holds an entry with an empty or malformed name; expected a well-formed "
                    + "zip archive");
        }
        if (path.startsWith("/") || path.indexOf('\\') >= 0 || path.matches("^[A-Za-z]:.*")) {
            throw new ArchiveException(name + ": entry " + path + " is an absolute or Windows path; expected relative "
                    + "paths with / inside one top-level .kext folder");
        }
        for (String segment : path.split("/")) {
            if (segment.equals("..")) {
                throw new ArchiveException(name + ": entry " + path + " leaves the archive's folder (..); expected "
                        + "paths inside one top-level .kext folder");
            }
        }
        int slash = path.indexOf('/');
        return slash < 0 ? path : path.substring(0, slash);
    }

    /**
     * Read the central directory: refuse a symbolic link, and return how many entries it lists (-1 for
     * a ZIP64 archive, whose listing is not read).
     */
    private static int centralDirectory(Path archive, String name) throws ArchiveException {
        try (FileChannel channel = FileChannel.open(archive, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < EOCD_SIZE) {
                throw new ArchiveException(name + ": is not a zip archive (" + size + " bytes; too short); "
                        + "expected a zipped .kext");
            }
            int tailLength = (int) Math.min(size, EOCD_SIZE + 0xFFFF);
            ByteBuffer tail = read(channel, size - tailLength, tailLength);
            int eocd = -1;
            for (int i = tailLength - EOCD_SIZE; i >= 0; i--) {
                if (tail.getInt(i) == EOCD_SIGNATURE) {
                    eocd = i;
                    break;
                }
            }
            if (eocd < 0) {
                throw new ArchiveException(name + ": is corrupt or truncated (no end-of-central-directory record); "
                        + "expected a complete zip archive");
            }
            int count = Short.toUnsignedInt(tail.getShort(eocd + 10));
            long cdSize = Integer.toUnsignedLong(tail.getInt(eocd + 12));
            long cdOffset = Integer.toUnsignedLong(tail.getInt(eocd + 16));
            if (count == 0xFFFF || cdOffset == 0xFFFFFFFFL || cdSize == 0xFFFFFFFFL) {
                return -1;
            }
            if (cdSize > MAX_CENTRAL_DIRECTORY || cdOffset + cdSize > size) {
                throw new ArchiveException(name + ": is corrupt or truncated (its central directory lies past the end "
                        + "of the file); expected a complete zip archive");
            }
            ByteBuffer cd = read(channel, cdOffset, (int) cdSize);
            int at = 0;
            for (int i = 0; i < count; i++) {
                if (at + 46 > cdSize || cd.getInt(at) != CENTRAL_SIGNATURE) {
                    throw new ArchiveException(name + ": is corrupt (central directory entry " + (i + 1)
                            + " is malformed); expected a complete zip archive");
                }
                int madeBy = Short.toUnsignedInt(cd.getShort(at + 4)) >> 8;
                int nameLength = Short.toUnsignedInt(cd.getShort(at + 28));
                int extraLength = Short.toUnsignedInt(cd.getShort(at + 30));
                int commentLength = Short.toUnsignedInt(cd.getShort(at + 32));
                int mode = cd.getInt(at + 38) >>> 16;
                if (at + 46 + nameLength > cdSize) {
                    throw new ArchiveException(name + ": is corrupt (central directory entry " + (i + 1)
                            + " is malformed); expected a complete zip archive");
                }
                if (madeBy == UNIX_HOST && (mode & FILE_TYPE_MASK) == SYMLINK_TYPE) {
                    byte[] entryName = new byte[nameLength];
                    cd.get(at + 46, entryName);
                    throw new ArchiveException(name + ": entry " + new String(entryName, StandardCharsets.UTF_8)
                            + " is a symbolic link; expected only files and folders");
                }
                at += 46 + nameLength + extraLength + commentLength;
            }
            return count;
        } catch (IOException e) {
            throw new ArchiveException(name + ": could not be read - " + describe(e));
        }
    }

    private static ByteBuffer read(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new java.io.EOFException("unexpected end of file");
            }
        }
        return buffer.flip();
    }

    private static ArchiveException corrupt(String name, IOException e) {
        return new ArchiveException(name + ": is corrupt or truncated (" + describe(e) + "); expected a complete zip archive");
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    /** Count the compressed bytes the inflater has taken, to judge the inflation ratio. */
    private static final class CountingStream extends FilterInputStream {
        long count;

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count += skipped;
            return skipped;
        }
    }
}
