package org.kextkit.harness.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kextkit.harness.bundle.KextFixtures.Info;

import com.dd.plist.BinaryPropertyListWriter;
import com.dd.plist.NSDictionary;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a bundle keeps of the files it was read from, so that loading it never reads them again. */
class BundleSourceKeptTest {
    @TempDir
    Path dir;

    private final KextBundleReader reader = KextFixtures.reader();

    @Test
    void infoPlistLinesAreTheTextTheBundleWasReadFromNotTheFileNow() throws Exception {
        String xml = Info.valid().string("CFBundleIdentifier", "com.example.Foo").xml();
        Path kext = KextFixtures.kext(dir, "Foo.kext", xml);
        KextBundle bundle = reader.read(kext).bundle().orElseThrow();
        List<String> expected = Files.readAllLines(bundle.infoPlistPath(), StandardCharsets.UTF_8);

        // Changed, then gone: the bundle still answers with what it parsed.
        Files.writeString(bundle.infoPlistPath(), "<plist/>\n", StandardCharsets.UTF_8);
        Files.delete(bundle.infoPlistPath());

        assertEquals(Optional.of(expected), bundle.infoPlistLines());
        assertTrue(expected.stream().anyMatch(line -> line.contains("com.example.Foo")), expected.toString());
    }

    @Test
    void aBinaryInfoPlistHasNoLines() throws Exception {
        NSDictionary info = new NSDictionary();
        info.put("CFBundleIdentifier", "com.example.Binary");
        info.put("CFBundleVersion", "1.0");
        info.put("CFBundleName", "Binary\u00e9");
        Path kext = dir.resolve("Binary.kext");
        KextFixtures.write(kext.resolve("Contents/Info.plist"), BinaryPropertyListWriter.writeToArray(info));
        KextBundle bundle = reader.read(kext).bundle().orElseThrow();

        assertEquals("com.example.Binary", bundle.identifier());
        assertEquals(Optional.empty(), bundle.infoPlistLines());
    }

    @Test
    void aBundleMadeElsewhereReadsItsFileOnceOnFirstUse() throws Exception {
        Path kext = KextFixtures.kext(dir, "Made.kext", Info.valid().string("CFBundleIdentifier", "com.example.Made").xml());
        Path plist = kext.resolve("Contents/Info.plist");
        NSDictionary info = new InfoPlistReader().read(plist);
        KextBundle bundle = new KextBundle(kext, plist, info, "x86_64", org.kextkit.harness.version.VersionGrammar.MODERN,
                null, 1);
        List<String> first = bundle.infoPlistLines().orElseThrow();
        Files.delete(plist);

        assertEquals(first, bundle.infoPlistLines().orElseThrow());
        KextBundle missing = new KextBundle(dir.resolve("None.kext"), dir.resolve("None.kext/Contents/Info.plist"), info,
                "x86_64", org.kextkit.harness.version.VersionGrammar.MODERN, null, 2);
        assertEquals(Optional.empty(), missing.infoPlistLines());
    }

    @Test
    void anExecutableKeepsItsUuidAndItsLocation() throws Exception {
        Path kext = KextFixtures.kextWithJar(dir, "Jar.kext", Info.valid().string("CFBundleIdentifier", "com.example.Jar").xml(),
                "Foo");
        KextBundle bundle = reader.read(kext).bundle().orElseThrow();
        KextExecutable executable = bundle.executable();

        assertEquals(executable.path().toUri().toURL(), executable.location());
        assertSame(executable.location(), executable.location());
        String uuid = executable.uuid();
        assertEquals(java.util.UUID.nameUUIDFromBytes(executable.rawBytes()).toString().toUpperCase(java.util.Locale.ROOT), uuid);
        assertSame(uuid, executable.uuid());
        Path classes = Files.createDirectories(dir.resolve("classes/com/example"));
        Files.write(classes.resolve("Bar.class"), KextFixtures.classBytes("com.example.Bar"));
        KextExecutable folder = KextExecutable.fromClassesDirectory(dir.resolve("classes"));
        // A folder's URL ends in '/', as toUri gives it.
        assertTrue(folder.location().toString().endsWith("/"), folder.location().toString());
        assertNotEquals(executable.location(), folder.location());
    }
}
