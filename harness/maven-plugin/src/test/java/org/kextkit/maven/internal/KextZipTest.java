package org.kextkit.maven.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KextZipTest {
    @TempDir
    Path dir;

    private Path bundle() throws IOException {
        Path contents = Files.createDirectories(dir.resolve("src/Foo.kext/Contents"));
        Files.writeString(contents.resolve("Info.plist"), "<plist/>");
        Files.createDirectories(contents.resolve("MacOS"));
        Files.write(contents.resolve("MacOS/Foo"), new byte[] {1, 2, 3});
        return contents.getParent();
    }

    @Test
    void zipHoldsTheBundleFolderInNameOrder() throws IOException {
        Path zip = dir.resolve("foo.kext.zip");
        KextZip.write(bundle(), zip, Instant.parse("2026-01-01T00:00:00Z"));
        List<String> names = new ArrayList<>();
        try (ZipFile z = new ZipFile(zip.toFile())) {
            z.stream().forEach(e -> names.add(e.getName()));
        }
        assertEquals(List.of("Foo.kext/", "Foo.kext/Contents/", "Foo.kext/Contents/Info.plist", "Foo.kext/Contents/MacOS/",
                "Foo.kext/Contents/MacOS/Foo"), names);
    }

    @Test
    void sameContentAndTimestampGiveTheSameBytes() throws IOException {
        Path bundle = bundle();
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        KextZip.write(bundle, dir.resolve("a.zip"), t);
        Files.setLastModifiedTime(bundle.resolve("Contents/Info.plist"), java.nio.file.attribute.FileTime.from(Instant.now()));
        KextZip.write(bundle, dir.resolve("b.zip"), t);
        assertArrayEquals(Files.readAllBytes(dir.resolve("a.zip")), Files.readAllBytes(dir.resolve("b.zip")));
    }

    @Test
    void unpackReturnsTheKextsAndRoundTrips() throws IOException {
        Path zip = dir.resolve("foo.kext.zip");
        KextZip.write(bundle(), zip, Instant.EPOCH.plusSeconds(86_400 * 365 * 20));
        List<Path> kexts = KextZip.unpack(zip, dir.resolve("out"));
        assertEquals(List.of(dir.resolve("out/Foo.kext").toAbsolutePath().normalize()), kexts);
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(kexts.get(0).resolve("Contents/MacOS/Foo")));
    }

    @Test
    void unpackRefusesEntriesOutsideTheTarget() throws IOException {
        Path zip = dir.resolve("evil.kext.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry("../escaped.txt"));
            out.write(1);
            out.closeEntry();
        }
        IOException e = assertThrows(IOException.class, () -> KextZip.unpack(zip, dir.resolve("out")));
        assertTrue(e.getMessage().contains("'../escaped.txt' points outside"), e.getMessage());
        assertTrue(Files.notExists(dir.resolve("escaped.txt")));
    }

    @Test
    void outputTimestampAcceptsSecondsAndIsoAndRejectsTheRest() {
        assertEquals(Optional.of(Instant.ofEpochSecond(1_700_000_000)), KextZip.parseOutputTimestamp("1700000000"));
        assertEquals(Optional.of(Instant.parse("2026-01-01T00:00:00Z")), KextZip.parseOutputTimestamp("2026-01-01T00:00:00Z"));
        assertEquals(Optional.empty(), KextZip.parseOutputTimestamp(null));
        assertEquals(Optional.empty(), KextZip.parseOutputTimestamp("a"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KextZip.parseOutputTimestamp("yesterday"));
        assertTrue(e.getMessage().contains("expected seconds since 1970 or an ISO-8601"), e.getMessage());
    }
}
