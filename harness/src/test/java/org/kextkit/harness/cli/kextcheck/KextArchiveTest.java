package org.kextkit.harness.cli.kextcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kextkit.harness.cli.kextcheck.KextZips.kext;
import static org.kextkit.harness.cli.kextcheck.KextZips.text;
import static org.kextkit.harness.cli.kextcheck.KextZips.with;
import static org.kextkit.harness.cli.kextcheck.KextZips.zeros;
import static org.kextkit.harness.cli.kextcheck.KextZips.zip;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Unpacking {@code .kext.zip} archives: a good one gives its kext folder; every harmful or malformed
 * kind is refused with one line naming the archive, the entry and what was expected, and nothing is
 * ever written outside the folder given.
 */
class KextArchiveTest {
    @TempDir
    Path tmp;

    private Path into() throws Exception {
        return Files.createDirectories(tmp.resolve("out"));
    }

    private String refusal(Path archive, ArchiveLimits limits) throws Exception {
        Path into = into();
        ArchiveException e = assertThrows(ArchiveException.class, () -> KextArchive.extract(archive, into, limits));
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        assertTrue(e.getMessage().startsWith(archive.getFileName() + ": "), "names the archive: " + e.getMessage());
        return e.getMessage();
    }

    private String refusal(Path archive) throws Exception {
        return refusal(archive, ArchiveLimits.DEFAULT);
    }

    @Test
    void aZippedBundleUnpacksToItsKextFolderAndMacResourceForksAreSkipped() throws Exception {
        Map<String, byte[]> entries = with(kext("Foo.kext"), "Foo.kext/Contents/MacOS/Foo", text("jar"));
        entries.put("__MACOSX/Foo.kext/._Info.plist", text("fork"));
        Path kext = KextArchive.extract(zip(tmp.resolve("Foo.kext.zip"), entries), into(), ArchiveLimits.DEFAULT);
        assertEquals(tmp.resolve("out/Foo.kext"), kext);
        assertEquals("jar", Files.readString(kext.resolve("Contents/MacOS/Foo")));
        assertFalse(Files.exists(tmp.resolve("out/__MACOSX")));
    }

    @Test
    void zipSlipEntriesAreRefusedAndNothingIsWrittenOutside() throws Exception {
        String up = refusal(zip(tmp.resolve("Slip.kext.zip"), with(kext("Slip.kext"), "Slip.kext/../../evil", text("x"))));
        assertTrue(up.contains("entry Slip.kext/../../evil leaves the archive's folder"), up);
        assertFalse(Files.exists(tmp.resolve("evil")));

        String absolute = refusal(zip(tmp.resolve("Abs.kext.zip"), with(kext("Abs.kext"), "/etc/evil", text("x"))));
        assertTrue(absolute.contains("entry /etc/evil is an absolute or Windows path"), absolute);

        String windows = refusal(zip(tmp.resolve("Win.kext.zip"), with(kext("Win.kext"), "Win.kext\\..\\evil", text("x"))));
        assertTrue(windows.contains("is an absolute or Windows path"), windows);
    }

    @Test
    void aSymbolicLinkIsRefused() throws Exception {
        Path archive = zip(tmp.resolve("Link.kext.zip"), with(kext("Link.kext"), "Link.kext/Contents/MacOS", text("/etc")));
        KextZips.markSymlink(archive, "Link.kext/Contents/MacOS");
        assertTrue(refusal(archive).contains("entry Link.kext/Contents/MacOS is a symbolic link; expected only files and folders"));
    }

    @Test
    void zipBombsAreRefusedByWhatTheyInflateToNotByTheirHeaders() throws Exception {
        // 8 MiB of zeros compress to a few KiB: far past 100 times.
        Path ratio = zip(tmp.resolve("Bomb.kext.zip"), with(kext("Bomb.kext"), "Bomb.kext/Contents/zeros", zeros(8 << 20)));
        assertTrue(refusal(ratio).contains("inflates more than 100 times its compressed size (at entry Bomb.kext/Contents/zeros)"));

        Path big = zip(tmp.resolve("Big.kext.zip"), with(kext("Big.kext"), "Big.kext/Contents/data", zeros(4096)));
        assertTrue(refusal(big, new ArchiveLimits(100, 1000, 100)).contains("inflates to more than 1000 bytes"));

        Map<String, byte[]> many = new LinkedHashMap<>(kext("Many.kext"));
        for (int i = 0; i < 20; i++) {
            many.put("Many.kext/Contents/f" + i, text("x"));
        }
        assertTrue(refusal(zip(tmp.resolve("Many.kext.zip"), many), new ArchiveLimits(10, 1 << 20, 100))
                .contains("holds more than 10 entries"));
    }

    @Test
    void corruptAndTruncatedArchivesAreRefused() throws Exception {
        Path junk = tmp.resolve("Junk.kext.zip");
        Files.writeString(junk, "this is not a zip archive at all, just text that is long enough");
        assertTrue(refusal(junk).contains("is corrupt or truncated (no end-of-central-directory record)"));

        Path cut = zip(tmp.resolve("Cut.kext.zip"), with(kext("Cut.kext"), "Cut.kext/Contents/MacOS/Cut", zeros(10_000)));
        KextZips.truncate(cut, (int) Files.size(cut) / 2);
        assertTrue(refusal(cut).contains("is corrupt or truncated"));

        Path tiny = tmp.resolve("Tiny.kext.zip");
        Files.writeString(tiny, "PK");
        assertTrue(refusal(tiny).contains("is not a zip archive (2 bytes; too short)"));
    }

    @Test
    void archivesThatAreNotOneKextFolderAreRefused() throws Exception {
        Map<String, byte[]> two = new LinkedHashMap<>(kext("A.kext"));
        two.putAll(kext("B.kext"));
        assertTrue(refusal(zip(tmp.resolve("Two.kext.zip"), two)).contains("holds several top-level entries (A.kext and B.kext)"));

        assertTrue(refusal(zip(tmp.resolve("Plain.kext.zip"), kext("Plain")))
                .contains("its top-level entry Plain is not a .kext folder; expected one top-level Foo.kext folder"));

        assertTrue(refusal(zip(tmp.resolve("Empty.kext.zip"), Map.of())).contains("holds no .kext folder"));

        assertTrue(refusal(zip(tmp.resolve("File.kext.zip"), Map.of("File.kext", text("x"))))
                .contains("File.kext is a file; expected a top-level .kext folder"));
    }

    @Test
    void anEntryTwiceIsRefused() throws Exception {
        // ZipOutputStream refuses a name twice, so use two spellings of one path.
        Map<String, byte[]> entries = with(kext("Dup.kext"), "Dup.kext/Contents/./Info.plist", text("again"));
        assertTrue(refusal(zip(tmp.resolve("Dup.kext.zip"), entries)).contains("entry Dup.kext/Contents/./Info.plist appears twice"));
    }

    @Test
    void onlyArchiveNamesEndInKextZip() {
        assertTrue(KextArchive.isArchiveName(Path.of("a/Foo.kext.zip")));
        assertTrue(KextArchive.isArchiveName(Path.of("Foo.KEXT.ZIP")));
        assertFalse(KextArchive.isArchiveName(Path.of("Foo.zip")));
        assertFalse(KextArchive.isArchiveName(Path.of("Foo.kext")));
    }

    @Test
    void nothingIsLeftOutsideTheFolderWhenARefusalComesHalfWay() throws Exception {
        Map<String, byte[]> entries = with(kext("Half.kext"), "Half.kext/../Half2.kext/x", text("x"));
        refusal(zip(tmp.resolve("Half.kext.zip"), entries));
        try (Stream<Path> files = Files.list(tmp)) {
            assertEquals(2, files.count(), "only the archive and out/");
        }
    }
}
