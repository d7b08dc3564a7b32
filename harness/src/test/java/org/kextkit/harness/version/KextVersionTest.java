package org.kextkit.harness.version;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class KextVersionTest {

    @ParameterizedTest(name = "\"{0}\" packs to {1} and prints as {2}")
    @CsvSource(delimiter = '|', value = {
        "1.2.3d4          | 1000200031004  | 1.2.3d4",
        "2.0.0b1          | 2000000005001  | 2.0b1",
        "1.0fc1           | 1000000007001  | 1.0f1",
        "1.0f1            | 1000000007001  | 1.0f1",
        "24.4.0           | 24000400009000 | 24.4",
        "0                | 9000           | 0.0",
        "0.0              | 9000           | 0.0",
        "1d3              | 1000000001003  | 1.0d3",
        "1.2d3            | 1000200001003  | 1.2d3",
        "1.0d0            | 1000000001000  | 1.0d0",
        "8.0.0d0          | 8000000001000  | 8.0d0",
        "8.0.0b1          | 8000000005001  | 8.0b1",
        "01.02            | 1000200009000  | 1.2",
        "1.               | 1000000009000  | 1.0",
        "1..2             | 1000000029000  | 1.0.2",
        "9999.9999.9999   | 9999999999999000    | 9999.9999.9999",
        "1.2.3b255        | 1000200035255  | 1.2.3b255",
        "1.0a7            | 1000000003007  | 1.0a7",
        "1.1fc6           | 1000100007006  | 1.1f6",
        "3.5.0a25         | 3000500003025  | 3.5a25",
        "10.0.0d3         | 10000000001003 | 10.0d3",
    })
    void validVersionsPackAndFormatLikeOSKextVersion(String text, long packed, String canonical) {
        KextVersion version = KextVersion.parse(text);
        assertTrue(version.isValid(), text);
        assertEquals(packed, version.packed(), text);
        assertEquals(canonical, version.canonical(), text);
    }

    @Test
    void everythingAfterWhitespaceIsIgnored() {
        assertEquals(KextVersion.parse("1.2.3").packed(), KextVersion.parse("1.2.3 (build 7)").packed());
        assertEquals(KextVersion.parse("1.2.3b4").packed(), KextVersion.parse("1.2.3b4\tanything").packed());
        assertEquals(KextVersion.parse("2.0").packed(), KextVersion.parse("2.0\n").packed());
    }

    @ParameterizedTest(name = "\"{0}\" is invalid")
    @ValueSource(strings = {"", "a", "10000", "1.10000", "1.2.10000", "1.0b", "1.2.3b256", "1.2.3d1000",
        "1.2.3e1", "1.2.3-1", "1.0fc0", "1.0f0", "1.0.0.1", " 1.0", ".1", "1.0b1x", "1.0bb1", "v1.0",
        "$(MODULE_VERSION)", "${MODULE_VERSION}", "@VBOX_VERSION_STRING@", "IOUSBFAMILY_VERSION",
        "###KERNEL_VERSION_LONG###", "\u0661.0"})
    void invalidVersionsAreRejected(String text) {
        KextVersion version = KextVersion.parse(text);
        assertFalse(version.isValid());
        assertEquals(KextVersion.INVALID_VALUE, version.packed());
        assertEquals("(invalid)", version.canonical());
    }

    @Test
    void nullIsInvalidAndMissingFormatsAsMissing() {
        assertFalse(KextVersion.parse(null).isValid());
        assertEquals("(missing)", KextVersion.MISSING.canonical());
    }

    @Test
    void preReleasesSortBelowTheReleaseOfTheSameNumber() {
        List<String> ascending = List.of("1.0d1", "1.0a1", "1.0b1", "1.0f1", "1.0", "1.0.1", "1.1d1", "1.1", "2.0");
        for (int i = 1; i < ascending.size(); i++) {
            KextVersion lower = KextVersion.parse(ascending.get(i - 1));
            KextVersion higher = KextVersion.parse(ascending.get(i));
            assertTrue(lower.compareTo(higher) < 0, lower + " < " + higher);
        }
        assertEquals(0, KextVersion.parse("1.0fc1").compareTo(KextVersion.parse("1.0f1")));
    }

    @Test
    void legacyGrammarAllowsOnlyTwoDigitMinorAndRevision() {
        assertFalse(KextVersion.parse("1.100", VersionGrammar.LEGACY).isValid());
        assertFalse(KextVersion.parse("1.0.100", VersionGrammar.LEGACY).isValid());
        assertTrue(KextVersion.parse("1.100", VersionGrammar.MODERN).isValid());
        KextVersion legacy = KextVersion.parse("10.4.11b2", VersionGrammar.LEGACY);
        assertEquals(10L * 100_000_000 + 4L * 1_000_000 + 11L * 10_000 + 5 * 1000 + 2, legacy.packed());
        assertEquals("10.4.11b2", legacy.canonical());
    }

    @Test
    void originalStringIsKeptForDisplay() {
        KextVersion v = KextVersion.parse("2.0.0b1");
        assertEquals("2.0.0b1", v.toString());
        assertEquals("2.0b1", v.canonical());
        assertNull(KextVersion.MISSING.source());
    }
}
