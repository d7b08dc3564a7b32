package org.kextkit.harness.iokit.matching;

import java.util.List;
import java.util.Map;

/**
 * Implemented by a family (typically by its {@link org.kextkit.harness.family.MatchIndexer}) to
 * report, when a kext's personalities are added to the catalogue, family matching keys that I/O Kit
 * would misread: a malformed {@code IOPCIMatch} mask, a USB {@code idVendor} given as a string, and
 * so on. The catalogue turns each problem into a warning that names the Info.plist, the personality
 * and the key.
 */
@FunctionalInterface
public interface ChecksFamilyKeys {
    /**
     * One family key I/O Kit cannot use as written.
     *
     * @param key the key, such as {@code IOPCIMatch}
     * @param message what was expected, what was found and what the family does with it, such as
     *     {@code expected hex values with optional &mask, found "0x1234&zz"; IOPCIFamily stops reading at that item}
     */
    record Problem(String key, String message) {
    }

    /** Return the problems of the family keys in {@code personality} (empty if none). */
    List<Problem> checkFamilyKeys(Map<String, Object> personality);
}
