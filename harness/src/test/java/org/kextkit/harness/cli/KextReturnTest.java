package org.kextkit.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.kextkit.harness.lifecycle.KextReturn;

class KextReturnTest {
    @Test
    void codesNamedInTheReferenceHaveTheirXnuValues() {
        assertEquals(0xdc00800e, KextReturn.DEPENDENCIES.code());
        assertEquals(0xdc008015, KextReturn.DEPENDENCY_LOAD_ERROR.code());
        assertEquals(0xdc008017, KextReturn.START_STOP_ERROR.code());
        assertEquals(0xdc008018, KextReturn.IN_USE.code());
        assertEquals("0xdc008017", KextReturn.START_STOP_ERROR.hex());
    }

    @Test
    void machErrorStringsAreTheOnesKextToolsPrint() {
        assertEquals("(libkern/kext) dependency resolution failure", KextReturn.DEPENDENCIES.machErrorString());
        assertEquals("(libkern/kext) kext (kmod) start/stop routine failed", KextReturn.START_STOP_ERROR.machErrorString());
        assertEquals("(libkern/kext) link error", KextReturn.LINK_ERROR.machErrorString());
        assertEquals("(libkern/kext) validation failure (plist/executable)", KextReturn.VALIDATION.machErrorString());
        assertEquals("(libkern/kext) not found", KextReturn.NOT_FOUND.machErrorString());
        assertEquals("(libkern/kext) kext is in use or retained (cannot unload)", KextReturn.IN_USE.machErrorString());
    }

    @Test
    void everyKextCodeIsInTheLibkernKextSubsystemAndUnique() {
        Set<Integer> seen = new HashSet<>();
        for (KextReturn r : KextReturn.values()) {
            assertEquals(true, seen.add(r.code()), r + " repeats a code");
            assertEquals(r, KextReturn.fromCode(r.code()));
            if (r != KextReturn.SUCCESS && r != KextReturn.ERROR) {
                assertEquals(0xdc008000, r.code() & 0xffffff00, r + " is outside (libkern/kext)");
                assertEquals(true, r.machErrorString().startsWith("(libkern/kext) "), r.machErrorString());
            }
        }
    }

    @Test
    void unknownCodesPrintAsUnknown() {
        assertNull(KextReturn.fromCode(0xdc0080ff));
        assertEquals("(unknown)", KextReturn.machErrorString(0xdc0080ff));
        assertEquals("(libkern/kext) link error", KextReturn.machErrorString(0xdc008016));
    }
}
