package org.kextkit.harness.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kextkit.harness.bundle.KextFixtures.Info;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kextkit.harness.version.VersionGrammar;

/** Pin down which folders read as kexts, how plug-ins are found, and how failures are reported. */
class KextBundleReaderTest {
    @TempDir
    Path dir;

    private final KextBundleReader reader = KextFixtures.reader();

    private static Info withId(String id) {
        return Info.valid().string("CFBundleIdentifier", id);
    }

    private static List<String> ids(List<KextBundle> bundles) {
        return bundles.stream().map(KextBundle::identifier).collect(Collectors.toList());
    }

    @Test
    void readsTheContentsLayout() throws Exception {
        Path kext = KextFixtures.kext(dir, "Foo.kext", withId("com.example.Foo").xml());
        BundleReadResult result = reader.read(kext);
        assertEquals(List.of(), result.problems());
        KextBundle bundle = result.bundle().orElseThrow();
        assertEquals("com.example.Foo", bundle.identifier());
        assertEquals(kext.resolve("Contents/Info.plist"), bundle.infoPlistPath());
        assertEquals(kext.resolve("Contents/MacOS/Foo"), bundle.executablePath());
        assertFalse(bundle.isShallow());
        assertEquals("x86_64", bundle.arch());
    }

    @Test
    void readsAShallowBundle() throws Exception {
        Path kext = dir.resolve("Shallow.kext");
        KextFixtures.write(kext.resolve("Info.plist"), withId("com.example.Shallow").xml().getBytes(StandardCharsets.UTF_8));
        KextFixtures.write(kext.resolve("PlugIns/Inner.kext/Info.plist"), withId("com.example.Inner").xml().getBytes(StandardCharsets.UTF_8));
        BundleReadResult result = reader.read(kext);
        assertEquals(List.of(), result.problems());
        assertTrue(result.bundle().orElseThrow().isShallow());
        assertEquals(List.of("com.example.Shallow", "com.example.Inner"), ids(result.bundles()));
    }

    @Test
    void findsPlugInsOneLevelDeepInNameOrder() throws Exception {
        Path outer = KextFixtures.kext(dir, "Outer.kext", withId("com.example.Outer").xml());
        Path plugIns = outer.resolve("Contents/PlugIns");
        KextFixtures.kext(plugIns, "Zed.kext", withId("com.example.Zed").xml());
        Path alpha = KextFixtures.kext(plugIns, "Alpha.kext", withId("com.example.Alpha").xml());
        KextFixtures.kext(alpha.resolve("Contents/PlugIns"), "TooDeep.kext", withId("com.example.TooDeep").xml());
        Files.createDirectories(plugIns.resolve("NotAKext.bundle"));

        BundleReadResult result = reader.read(outer);
        assertEquals(List.of(), result.problems());
        assertEquals(List.of("com.example.Outer", "com.example.Alpha", "com.example.Zed"), ids(result.bundles()));
        KextBundle parent = result.bundle().orElseThrow();
        assertEquals(List.of("com.example.Alpha", "com.example.Zed"), ids(parent.plugins()));
        assertSame(parent, parent.plugins().get(0).parent());
        assertTrue(parent.plugins().get(0).plugins().isEmpty());
    }

    @Test
    void doesNotScanThePlugInsOfAKextThatIsItselfAPlugIn() throws Exception {
        Path outer = KextFixtures.kext(dir, "Outer.kext", withId("com.example.Outer").xml());
        Path inner = KextFixtures.kext(outer.resolve("Contents/PlugIns"), "Inner.kext", withId("com.example.Inner").xml());
        KextFixtures.kext(inner.resolve("Contents/PlugIns"), "TooDeep.kext", withId("com.example.TooDeep").xml());
        BundleReadResult result = reader.read(inner);
        assertEquals(List.of("com.example.Inner"), ids(result.bundles()));
        assertNull(result.bundle().orElseThrow().parent());
    }

    @Test
    void numbersBundlesFromTheSharedSequence() throws Exception {
        AtomicLong sequence = new AtomicLong(41);
        KextBundleReader first = new KextBundleReader("x86_64", VersionGrammar.MODERN, sequence);
        KextBundleReader second = new KextBundleReader("arm64", VersionGrammar.MODERN, sequence);
        Path outer = KextFixtures.kext(dir, "Outer.kext", withId("com.example.Outer").xml());
        KextFixtures.kext(outer.resolve("Contents/PlugIns"), "Inner.kext", withId("com.example.Inner").xml());
        Path other = KextFixtures.kext(dir, "Other.kext", withId("com.example.Other").xml());

        List<KextBundle> a = first.read(outer).bundles();
        List<KextBundle> b = second.read(other).bundles();
        assertEquals(42, a.get(0).order());
        assertEquals(43, a.get(1).order());
        assertEquals(44, b.get(0).order());
        assertEquals("arm64", b.get(0).arch());
    }

    @Test
    void refusesAFolderWhoseNameDoesNotEndInKext() throws Exception {
        Path bundle = KextFixtures.kext(dir, "Foo.bundle", withId("com.example.Foo").xml());
        BundleReadResult result = reader.read(bundle);
        assertFalse(result.isRead());
        assertEquals(List.of(new BundleProblem(bundle, bundle + ": not a kext bundle: the folder name must end in .kext "
                + "(found 'Foo.bundle'); point at the Foo.kext folder itself")), result.problems());
    }

    @Test
    void refusesAFileNamedLikeAKext() throws Exception {
        Path file = Files.writeString(dir.resolve("Foo.kext"), "not a folder");
        assertEquals(file + ": not a kext bundle: a kext is a folder holding Contents/Info.plist, but this is a file",
                reader.read(file).problems().get(0).message());
    }

    @Test
    void reportsAMissingPathAndAMissingInfoPlist() throws Exception {
        Path missing = dir.resolve("Gone.kext");
        assertEquals(missing + ": no such kext; check the path", reader.read(missing).problems().get(0).message());
        Path empty = Files.createDirectories(dir.resolve("Empty.kext/Contents"));
        assertEquals(dir.resolve("Empty.kext") + ": missing Contents/Info.plist; every kext needs its info dictionary at "
                + "Foo.kext/Contents/Info.plist (or Foo.kext/Info.plist for a shallow bundle)",
                reader.read(empty.getParent()).problems().get(0).message());
    }

    @Test
    void reportsAnUnparseableInfoPlistWithTheFileAndPlace() throws Exception {
        Path kext = KextFixtures.kext(dir, "Broken.kext", KextFixtures.plist("\t<key>A</key>\n\t<string>open\n"));
        BundleReadResult result = reader.read(kext);
        assertFalse(result.isRead());
        String message = result.problems().get(0).message();
        assertTrue(message.startsWith(kext.resolve("Contents/Info.plist") + ", line 7, column 3: the XML is not well-formed"), message);
    }

    @Test
    void keepsAKextWhosePlugInIsBroken() throws Exception {
        Path outer = KextFixtures.kext(dir, "Outer.kext", withId("com.example.Outer").xml());
        Path plugIns = outer.resolve("Contents/PlugIns");
        KextFixtures.kext(plugIns, "Good.kext", withId("com.example.Good").xml());
        Files.createDirectories(plugIns.resolve("Bad.kext"));
        BundleReadResult result = reader.read(outer);
        assertEquals(List.of("com.example.Outer", "com.example.Good"), ids(result.bundles()));
        assertEquals(1, result.problems().size());
        assertEquals(plugIns.resolve("Bad.kext"), result.problems().get(0).path());
    }

    @Test
    void appliesTheArchitectureRuleToBundleFacts() throws Exception {
        Info info = Info.valid()
                .raw("OSBundleLibraries_arm64", "<dict><key>com.apple.kpi.libkern</key><string>20.0</string></dict>");
        Path kext = KextFixtures.kext(dir, "Arch.kext", info.xml());
        KextBundle x86 = reader.read(kext).bundle().orElseThrow();
        KextBundle arm = new KextBundleReader("arm64", VersionGrammar.MODERN, new AtomicLong()).read(kext).bundle().orElseThrow();
        assertEquals("OSBundleLibraries", x86.librariesKey());
        assertEquals("{com.apple.kpi.iokit=8.0.0}", x86.libraries().toString());
        assertEquals("OSBundleLibraries_arm64", arm.librariesKey());
        assertEquals("{com.apple.kpi.libkern=20.0}", arm.libraries().toString());
    }
}
