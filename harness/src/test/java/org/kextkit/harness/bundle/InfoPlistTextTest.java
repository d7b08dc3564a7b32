package org.kextkit.harness.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class InfoPlistTextTest {
    private static final List<String> PLIST = List.of(
            "<plist version=\"1.0\">",                                  // 1
            "<dict>",                                                   // 2
            "  <key>CFBundleIdentifier</key>",                          // 3
            "  <string>com.example.A&amp;B</string>",                   // 4
            "  <key>IOKitPersonalities</key>",                          // 5
            "  <dict>",                                                 // 6
            "    <key>First</key>",                                     // 7
            "    <dict><key>IOClass</key><string>Shared</string></dict>",  // 8
            "    <key>Second</key>",                                    // 9
            "    <dict>",                                               // 10
            "      <key>IOClass</key>",                                 // 11
            "      <string>Shared</string>",                            // 12
            "    </dict>",
            "  </dict>",
            "</dict>",
            "</plist>");

    @Test
    void aTopLevelValueIsFoundEscapedAsXmlWritesIt() {
        assertEquals(new InfoPlistText.Location(3, 4), InfoPlistText.find(PLIST, List.of("CFBundleIdentifier"), "com.example.A&B"));
    }

    @Test
    void aPersonalitysKeyIsFoundAfterThePersonalityNotInAnEarlierOne() {
        assertEquals(new InfoPlistText.Location(11, 12), InfoPlistText.find(PLIST, List.of("Second", "IOClass"), "Shared"));
        assertEquals(new InfoPlistText.Location(8, 8), InfoPlistText.find(PLIST, List.of("First", "IOClass"), "Shared"));
    }

    @Test
    void aValueNotThereLeavesTheKeysLineAsTheBestOne() {
        InfoPlistText.Location missing = InfoPlistText.find(PLIST, List.of("CFBundleIdentifier"), "com.example.Other");
        assertEquals(new InfoPlistText.Location(3, -1), missing);
        assertEquals(3, missing.bestLine());
        assertEquals(-1, InfoPlistText.find(PLIST, List.of("NoSuchKey"), "x").bestLine());
    }
}
