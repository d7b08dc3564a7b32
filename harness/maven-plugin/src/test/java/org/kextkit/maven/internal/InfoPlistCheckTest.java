package org.kextkit.maven.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InfoPlistCheckTest {
    @TempDir
    Path dir;

    private InfoPlistCheck.Outcome check(String body) throws IOException {
        Path plist = dir.resolve("Info.plist");
        Files.writeString(plist, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\">\n<dict>\n" + body
                + "</dict>\n</plist>\n");
        return InfoPlistCheck.check(plist, dir.resolve("Foo.kext"), "x86_64");
    }

    private static final String GOOD = "<key>CFBundleIdentifier</key><string>com.acme.Foo</string>\n"
            + "<key>CFBundleVersion</key><string>1.0.0</string>\n"
            + "<key>CFBundleInfoDictionaryVersion</key><string>6.0</string>\n"
            + "<key>CFBundlePackageType</key><string>KEXT</string>\n"
            + "<key>CFBundleExecutable</key><string>Foo</string>\n"
            + "<key>OSBundleLibraries</key><dict><key>com.apple.kpi.libkern</key><string>8.0.0</string></dict>\n";

    @Test
    void aGoodPlistPassesBeforeTheExecutableExists() throws IOException {
        InfoPlistCheck.Outcome o = check(GOOD);
        assertTrue(o.failure().isEmpty(), () -> o.failure().get());
        assertEquals("com.acme.Foo", o.bundleIdentifier());
        assertEquals("Foo", o.executable());
    }

    @Test
    void aBadVersionGivesKextutilsDiagnostics() throws IOException {
        InfoPlistCheck.Outcome o = check(GOOD.replace("<string>1.0.0</string>", "<string>1.0-SNAPSHOT</string>"));
        String text = o.failure().orElseThrow();
        assertTrue(text.startsWith("Diagnostics for " + dir.resolve("Foo.kext") + ":"), text);
        assertTrue(text.contains("CFBundleVersion"), text);
    }

    @Test
    void aMissingIdentifierIsNamed() throws IOException {
        String text = check(GOOD.replace("<key>CFBundleIdentifier</key><string>com.acme.Foo</string>\n", ""))
                .failure().orElseThrow();
        assertTrue(text.contains("CFBundleIdentifier"), text);
    }

    @Test
    void malformedXmlNamesTheFileAndLine() throws IOException {
        String text = check("<key>CFBundleIdentifier</key><string>com.acme.Foo\n").failure().orElseThrow();
        assertTrue(text.startsWith(dir.resolve("Info.plist") + ", line "), text);
        assertTrue(text.contains("not well-formed"), text);
    }
}
