package org.kextkit.harness.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.kextkit.harness.bundle.KextFixtures.APPLE_DOCTYPE;
import static org.kextkit.harness.bundle.KextFixtures.plist;
import static org.kextkit.harness.bundle.KextFixtures.str;

import com.dd.plist.BinaryPropertyListWriter;
import com.dd.plist.NSArray;
import com.dd.plist.NSDictionary;
import com.dd.plist.NSNumber;
import com.dd.plist.NSObject;
import com.dd.plist.NSString;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pin down how Info.plist files are parsed, and how unsafe or broken ones are refused. */
class InfoPlistReaderTest {
    @TempDir
    Path dir;

    private final InfoPlistReader reader = new InfoPlistReader();

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, bytes);
        return file;
    }

    private InfoPlistException refused(Path file) {
        return assertThrows(InfoPlistException.class, () -> reader.read(file));
    }

    // ---- the three formats ----

    @Test
    void theSameBytesReadAgainGiveAnEqualDictionaryOfTheirOwn() throws Exception {
        Path file = write("Info.plist", plist(str("CFBundleIdentifier", "com.example.Again")
                + "\t<key>OSBundleLibraries</key>\n\t<dict>\n\t\t<key>com.apple.kpi.iokit</key>\n\t\t<string>8.0</string>\n\t</dict>\n"));
        NSDictionary first = reader.read(file);
        ((NSDictionary) first.objectForKey("OSBundleLibraries")).put("com.example.Added", "1.0");
        first.put("CFBundleIdentifier", "changed by the first reader");

        NSDictionary second = reader.read(file);
        assertEquals("com.example.Again", second.objectForKey("CFBundleIdentifier").toString());
        assertEquals(1, ((NSDictionary) second.objectForKey("OSBundleLibraries")).count(), "nested containers are not shared");
        assertFalse(second == reader.read(file));

        Files.writeString(file, plist(str("CFBundleIdentifier", "com.example.Changed")), StandardCharsets.UTF_8);
        assertEquals("com.example.Changed", reader.read(file).objectForKey("CFBundleIdentifier").toString());
    }

    @Test
    void aFileTooDeepForAStricterReaderIsRefusedEvenAfterALaxerOneReadIt() throws Exception {
        Path file = write("Info.plist", plist("\t<key>A</key>\n\t<dict>\n\t\t<key>B</key>\n\t\t<dict/>\n\t</dict>\n"));
        reader.read(file);
        InfoPlistException e = assertThrows(InfoPlistException.class, () -> new InfoPlistReader(1 << 20, 2, 1000).read(file));
        assertTrue(e.getMessage().contains("nested"), e.getMessage());
    }

    @Test
    void readsAnXmlPlistWithTheAppleDoctype() throws Exception {
        NSDictionary info = reader.read(write("Info.plist", plist(str("CFBundleIdentifier", "com.example.Foo")
                + "\t<key>OSKernelResource</key>\n\t<true/>\n\t<key>IOProbeScore</key>\n\t<integer>900</integer>\n")));
        assertEquals("com.example.Foo", info.objectForKey("CFBundleIdentifier").toString());
        assertTrue(((NSNumber) info.objectForKey("OSKernelResource")).boolValue());
        assertEquals(900, ((NSNumber) info.objectForKey("IOProbeScore")).intValue());
    }

    @Test
    void readsTheOlderAppleComputerDoctypeAndFilesWithoutAnXmlDeclaration() throws Exception {
        String body = "<plist version=\"1.0\">\n<dict>\n" + str("CFBundleIdentifier", "org.virtualbox.kext.VBoxDrv") + "</dict>\n</plist>\n";
        String old = "<!DOCTYPE plist PUBLIC \"-//Apple Computer//DTD PLIST 1.0//EN\" "
                + "\"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n" + body;
        assertEquals("org.virtualbox.kext.VBoxDrv",
                reader.read(write("old.plist", old)).objectForKey("CFBundleIdentifier").toString());
        assertEquals("org.virtualbox.kext.VBoxDrv",
                reader.read(write("new.plist", APPLE_DOCTYPE + "\n" + body)).objectForKey("CFBundleIdentifier").toString());
    }

    @Test
    void keepsTheKeysInDocumentOrder() throws Exception {
        NSDictionary info = reader.read(write("Info.plist", plist(str("Zeta", "1") + str("Alpha", "2") + str("Mid", "3"))));
        assertEquals("[Zeta, Alpha, Mid]", info.keySet().toString());
    }

    @Test
    void readsABinaryPlistWrittenByDdPlist() throws Exception {
        NSDictionary original = new NSDictionary();
        original.put("CFBundleIdentifier", "com.example.Binary");
        original.put("OSBundleLibraries", new NSDictionary());
        ((NSDictionary) original.get("OSBundleLibraries")).put("com.apple.kpi.libkern", "8.0.0");
        original.put("IOKitDebug", 65535);
        Path file = dir.resolve("Info.plist");
        BinaryPropertyListWriter.write(original, file);
        assertEquals(InfoPlistFormat.BINARY, InfoPlistFormat.detect(Files.readAllBytes(file)));
        NSDictionary info = reader.read(file);
        assertEquals(original, info);
    }

    @Test
    void readsAnOpenStepAsciiPlistWithGnustepTypedValues() throws Exception {
        Path file = write("Info.plist", "// an old-style plist\n{\n  CFBundleIdentifier = com.example.Ascii;\n"
                + "  CFBundleVersion = \"1.0 (build 7)\";\n  OSKernelResource = <*BY>;\n  IOProbeScore = <*I900>;\n"
                + "  OSBundleLibraries = { \"com.apple.kpi.iokit\" = \"8.0\"; };\n}\n");
        assertEquals(InfoPlistFormat.ASCII, InfoPlistFormat.detect(Files.readAllBytes(file)));
        NSDictionary info = reader.read(file);
        assertEquals("1.0 (build 7)", info.objectForKey("CFBundleVersion").toString());
        assertTrue(((NSNumber) info.objectForKey("OSKernelResource")).boolValue());
        assertEquals(900, ((NSNumber) info.objectForKey("IOProbeScore")).intValue());
        assertEquals("8.0", ((NSDictionary) info.objectForKey("OSBundleLibraries")).objectForKey("com.apple.kpi.iokit").toString());
    }

    @Test
    void readsXmlEncodedAsUtf16WithAByteOrderMark() throws Exception {
        byte[] bytes = plist(str("CFBundleIdentifier", "com.example.Wide")).replace("UTF-8", "UTF-16")
                .getBytes(StandardCharsets.UTF_16);
        assertEquals(InfoPlistFormat.XML, InfoPlistFormat.detect(bytes));
        assertEquals("com.example.Wide", reader.read(write("Info.plist", bytes)).objectForKey("CFBundleIdentifier").toString());
    }

    @Test
    void parsesCorrectlyFromManyThreadsAtOnce() throws Exception {
        int files = 64;
        Path[] paths = new Path[files];
        for (int i = 0; i < files; i++) {
            paths[i] = write("Info" + i + ".plist", plist(str("CFBundleIdentifier", "com.example.K" + i)
                    + str("Padding", "x".repeat(i * 37))));
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            java.util.List<java.util.concurrent.Future<String>> results = new java.util.ArrayList<>();
            for (int round = 0; round < 8; round++) {
                for (int i = 0; i < files; i++) {
                    Path path = paths[i];
                    results.add(pool.submit(() -> reader.read(path).objectForKey("CFBundleIdentifier").toString()));
                }
            }
            for (int n = 0; n < results.size(); n++) {
                assertEquals("com.example.K" + (n % files), results.get(n).get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    // ---- hostile input ----

    @Test
    void refusesAnExternalEntityDeclarationBeforeParsing() throws Exception {
        Path secret = write("secret.txt", "TOP SECRET");
        Path file = write("Info.plist", "<?xml version=\"1.0\"?>\n<!DOCTYPE plist [\n  <!ENTITY xxe SYSTEM \""
                + secret.toUri() + "\">\n]>\n<plist><dict><key>CFBundleIdentifier</key><string>&xxe;</string></dict></plist>\n");
        InfoPlistException e = refused(file);
        assertTrue(e.getMessage().startsWith(file + ", line 2, column 17: the DOCTYPE declares an internal subset"), e.getMessage());
        assertFalse(e.getMessage().contains("TOP SECRET"));
    }

    @Test
    void refusesABillionLaughsDocumentQuickly() throws Exception {
        StringBuilder doc = new StringBuilder("<?xml version=\"1.0\"?>\n<!DOCTYPE plist [\n <!ENTITY lol \"lol\">\n");
        for (int i = 1; i <= 9; i++) {
            doc.append(" <!ENTITY lol").append(i).append(" \"");
            for (int j = 0; j < 10; j++) {
                doc.append("&lol").append(i == 1 ? "" : String.valueOf(i - 1)).append(';');
            }
            doc.append("\">\n");
        }
        doc.append("]>\n<plist><dict><key>CFBundleIdentifier</key><string>&lol9;</string></dict></plist>\n");
        InfoPlistException e = refused(write("Info.plist", doc.toString()));
        assertEquals("line 2, column 17", e.location());
        assertTrue(e.problem().contains("internal subset"), e.problem());
    }

    @Test
    void refusesAReferenceToAnEntityFromAnExternalDtdInsteadOfDroppingIt() throws Exception {
        // The external DTD is never loaded, so dd-plist alone would return "ab" and lose the reference.
        Path file = write("Info.plist", "<!DOCTYPE plist SYSTEM \"file:///etc/passwd\">\n<plist><dict>\n"
                + "<key>CFBundleIdentifier</key><string>a&passwd;b</string>\n</dict></plist>\n");
        InfoPlistException e = refused(file);
        assertTrue(e.problem().startsWith("entity reference &passwd; is not allowed"), e.problem());
        assertTrue(e.location().contains("key path CFBundleIdentifier"), e.location());
        assertTrue(e.location().startsWith("line 3, "), e.location());
    }

    @Test
    void refusesXmlNestedSixHundredDeep() throws Exception {
        String deep = "<array>".repeat(600) + "</array>".repeat(600);
        InfoPlistException e = refused(write("Info.plist", plist("\t<key>Deep</key>\n" + deep + "\n")));
        assertTrue(e.problem().startsWith("containers are nested more than 128 levels deep"), e.problem());
        assertTrue(e.location().contains("key path Deep[0][0]"), e.location());
    }

    @Test
    void refusesAsciiNestedSixHundredDeepWithoutOverflowingTheStack() throws Exception {
        InfoPlistException e = refused(write("Info.plist", "{ Deep = " + "(".repeat(600) + ")".repeat(600) + "; }"));
        // The top-level { is level 1, so the 128th ( opens level 129.
        assertEquals("line 1, column 137", e.location());
        assertTrue(e.problem().startsWith("containers are nested more than 128 levels deep"));
    }

    @Test
    void refusesABinaryPlistNestedDeeperThanTheLimit() throws Exception {
        NSObject value = new NSString("leaf");
        for (int i = 0; i < 200; i++) {
            value = new NSArray(value);
        }
        NSDictionary root = new NSDictionary();
        root.put("Deep", value);
        InfoPlistException e = refused(write("Info.plist", BinaryPropertyListWriter.writeToArray(root)));
        assertEquals("containers are nested 201 levels deep, more than the 128 allowed; an Info.plist never needs that, "
                + "so the file is refused", e.problem());
    }

    @Test
    void refusesABinaryPlistWhoseSharedReferencesExpandExponentially() throws Exception {
        // 40 arrays, each holding the next one twice: 246 bytes that describe 2^41 objects.
        InfoPlistException e = refused(write("Info.plist", sharedReferenceBomb(40)));
        assertTrue(e.problem().startsWith("shared references expand the property list to more than 1000000 objects"),
                e.problem());
    }

    @Test
    void refusesAFileOverTheSizeCapWithoutReadingIt() throws Exception {
        Path file = dir.resolve("Info.plist");
        try (RandomAccessFile sparse = new RandomAccessFile(file.toFile(), "rw")) {
            sparse.setLength(InfoPlistReader.DEFAULT_MAX_BYTES + 1);
        }
        InfoPlistException e = refused(file);
        assertEquals(file + ": the file is 8388609 bytes, more than the 8388608-byte limit for an Info.plist; "
                + "large data belongs in the kext's Resources folder", e.getMessage());
    }

    @Test
    void appliesASmallerConfiguredCap() throws Exception {
        InfoPlistReader small = new InfoPlistReader(64, 8, 100);
        Path file = write("Info.plist", plist(str("CFBundleIdentifier", "com.example.Foo")));
        InfoPlistException e = assertThrows(InfoPlistException.class, () -> small.read(file));
        assertTrue(e.problem().contains("more than the 64-byte limit"), e.problem());
    }

    @Test
    void reportsATruncatedBinaryPlistAsCorrupt() throws Exception {
        NSDictionary root = new NSDictionary();
        root.put("CFBundleIdentifier", "com.example.Truncated");
        byte[] bytes = BinaryPropertyListWriter.writeToArray(root);
        InfoPlistException e = refused(write("Info.plist", Arrays.copyOf(bytes, bytes.length - 20)));
        assertTrue(e.problem().startsWith("not a valid binary property list: "), e.problem());
        assertTrue(e.problem().endsWith("; the file may be truncated or corrupt, so regenerate it"), e.problem());
    }

    @Test
    void refusesATopLevelThatIsNotADictionary() throws Exception {
        InfoPlistException e = refused(write("Info.plist", "<?xml version=\"1.0\"?>\n" + APPLE_DOCTYPE
                + "\n<plist><array><string>x</string></array></plist>\n"));
        assertEquals("the top level is <array>, but an Info.plist must be a <dict> of keys such as CFBundleIdentifier",
                e.problem());
        assertEquals("the XML is not a property list: its root element is <html>, where <plist> was expected",
                refused(write("page.plist", "<html><body/></html>")).problem());
    }

    @Test
    void reportsMalformedXmlWithItsLineAndColumn() throws Exception {
        InfoPlistException e = refused(write("Info.plist", plist(str("CFBundleIdentifier", "com.example.Foo")
                + "\t<key>Broken</key>\n\t<string>never closed\n")));
        assertEquals("line 9, column 3", e.location());
        assertTrue(e.problem().startsWith("the XML is not well-formed ("), e.problem());
    }

    @Test
    void reportsABadIntegerWithLineXPathAndKeyPath() throws Exception {
        InfoPlistException e = refused(write("Info.plist", plist(str("CFBundleIdentifier", "com.example.Foo")
                + "\t<key>IOKitPersonalities</key>\n\t<dict>\n\t\t<key>Foo</key>\n\t\t<dict>\n"
                + "\t\t\t<key>IOProbeScore</key>\n\t\t\t<integer>high</integer>\n\t\t</dict>\n\t</dict>\n")));
        assertEquals("line 12, column 13, XPath /plist/dict/*[4]/*[2]/*[2], key path IOKitPersonalities.Foo.IOProbeScore",
                e.location());
        assertEquals("not a valid property list: The integer node could not be parsed; fix the value or regenerate "
                + "the file with plutil -convert xml1", e.problem());
    }

    @Test
    void refusesStructuresDdPlistWouldSilentlyDrop() throws Exception {
        assertEquals("unknown element <strin>; a property list holds only <dict>, <array>, <string>, <integer>, <real>, "
                + "<true/>, <false/>, <data> and <date>",
                refused(write("a.plist", plist("\t<key>A</key>\n\t<strin>x</strin>\n"))).problem());
        assertEquals("the key 'A' has no value; add one after it or remove the key",
                refused(write("b.plist", plist("\t<key>A</key>\n"))).problem());
        assertEquals("<string> where a <key> was expected; every value in a <dict> must follow its <key>",
                refused(write("c.plist", plist("\t<string>orphan</string>\n"))).problem());
        assertEquals("the key 'A' appears twice in the same <dict>; only one value can be kept, so remove the duplicate",
                refused(write("d.plist", plist(str("A", "1") + str("A", "2")))).problem());
        assertEquals("element <b> inside <string>; a <string> holds only text",
                refused(write("e.plist", plist("\t<key>A</key>\n\t<string>x<b>y</b></string>\n"))).problem());
        assertEquals("stray text 'junk' between elements; text belongs inside <key> or <string>",
                refused(write("f.plist", plist("junk\n" + str("A", "1")))).problem());
    }

    @Test
    void namesAPreprocessorDirectiveAsAnUnbuiltTemplate() throws Exception {
        InfoPlistException e = refused(write("Info.plist", plist(str("A", "1") + "#if TARGET_OS_OSX\n" + str("B", "2")
                + "#endif\n")));
        assertEquals("line 7, column 1", e.location());
        assertTrue(e.problem().startsWith("C-preprocessor directive '#if TARGET_OS_OSX' between elements: this Info.plist "
                + "is an unbuilt template"), e.problem());
    }

    @Test
    void reportsMissingEmptyAndDirectoryPathsPlainly() throws Exception {
        assertEquals(dir.resolve("none.plist") + ": the file does not exist; every kext needs an Info.plist",
                refused(dir.resolve("none.plist")).getMessage());
        assertEquals("the file is empty; it should hold a property list whose top level is a <dict>",
                refused(write("empty.plist", new byte[0])).problem());
        assertEquals("this is a directory, not a property list file",
                refused(Files.createDirectory(dir.resolve("folder.plist"))).problem());
    }

    @Test
    void turnsEveryMutationOfAValidPlistIntoAResultOrAnInfoPlistException() throws Exception {
        NSDictionary root = new NSDictionary();
        root.put("CFBundleIdentifier", "com.example.Fuzz");
        root.put("Numbers", new NSArray(new NSNumber(1), new NSNumber(2.5), new NSNumber(true)));
        NSDictionary nested = new NSDictionary();
        nested.put("IOClass", "Foo");
        root.put("IOKitPersonalities", nested);
        byte[][] seeds = {
            BinaryPropertyListWriter.writeToArray(root),
            root.toXMLPropertyList().getBytes(StandardCharsets.UTF_8),
            root.toASCIIPropertyList().getBytes(StandardCharsets.UTF_8),
        };
        Random random = new Random(20260101);
        Path file = dir.resolve("Info.plist");
        int refusedCount = 0;
        for (byte[] seed : seeds) {
            for (int round = 0; round < 700; round++) {
                byte[] mutated = seed.clone();
                int flips = 1 + random.nextInt(4);
                for (int i = 0; i < flips; i++) {
                    mutated[random.nextInt(mutated.length)] = (byte) random.nextInt(256);
                }
                if (random.nextInt(5) == 0) {
                    mutated = Arrays.copyOf(mutated, random.nextInt(mutated.length));
                }
                Files.write(file, mutated);
                try {
                    reader.read(file);
                } catch (InfoPlistException expected) {
                    refusedCount++;
                    assertTrue(expected.getMessage().startsWith(file.toString()), expected.getMessage());
                } catch (RuntimeException | Error e) {
                    fail("mutation " + round + " escaped as " + e, e);
                }
            }
        }
        assertTrue(refusedCount > 500, "most mutations should be refused, got " + refusedCount);
    }

    /** Build a binary plist by hand: object 0 is a dict {k: obj1}, object i an array [i+1, i+1], the last a string. */
    private static byte[] sharedReferenceBomb(int levels) throws IOException {
        int objects = levels + 3; // dict, key string, arrays, leaf string
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write("bplist00".getBytes(StandardCharsets.US_ASCII));
        int[] offsets = new int[objects];
        offsets[0] = out.size();
        out.write(new byte[] {(byte) 0xD1, 1, 2}); // dict of 1: key ref 1, value ref 2
        offsets[1] = out.size();
        out.write(new byte[] {0x51, 'k'});
        for (int i = 0; i < levels; i++) {
            int id = 2 + i;
            offsets[id] = out.size();
            out.write(new byte[] {(byte) 0xA2, (byte) (id + 1), (byte) (id + 1)});
        }
        offsets[objects - 1] = out.size();
        out.write(new byte[] {0x54, 'l', 'e', 'a', 'f'});
        int tableOffset = out.size();
        for (int offset : offsets) {
            out.write(new byte[] {(byte) (offset >> 8), (byte) offset});
        }
        ByteBuffer trailer = ByteBuffer.allocate(32);
        trailer.position(6);
        trailer.put((byte) 2).put((byte) 1).putLong(objects).putLong(0).putLong(tableOffset);
        out.write(trailer.array());
        return out.toByteArray();
    }
}
