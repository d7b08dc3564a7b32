package org.kextkit.harness.version;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CompatibilityTest {

    @ParameterizedTest(name = "library {0} (compatible {1}) for request {2}: {3}")
    @CsvSource({
        // com.apple.kpi.iokit on a 20.5.0 kernel, compatible back to 7.0
        "20.5.0, 7.0, 8.0, true",
        "20.5.0, 7.0, 20.5.0, true",
        "20.5.0, 7.0, 21.0, false",
        "20.5.0, 7.0, 6.0, false",
        "20.5.0, 8.0.0b1, 8.0.0, true",
        "20.5.0, 8.0.0b1, 8.0.0a1, false",
        "1.0, 1.0, 1.0, true",
        "1.0.1, 1.0, 1.0d1, false",
        "2.0, , 1.0, false",
        "2.0, 1.0, not-a-version, false",
    })
    void userSpaceRuleDecides(String version, String compatible, String requested, boolean expected) {
        KextVersion lib = KextVersion.parse(version);
        KextVersion compat = compatible == null ? KextVersion.MISSING : KextVersion.parse(compatible);
        KextVersion req = KextVersion.parse(requested);
        assertEquals(expected, Compatibility.isCompatible(lib, compat, req));
        if (expected) {
            assertNull(Compatibility.whyIncompatible(lib, compat, req));
        } else {
            assertTrue(Compatibility.whyIncompatible(lib, compat, req).length() > 10);
        }
    }
}
