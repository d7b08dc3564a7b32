package org.kextkit.harness.iokit.matching;

import java.util.Map;

/**
 * A personality that passed passive and family matching for one nub.
 *
 * @param bundleIdentifier the kext that must be loaded to instantiate {@code IOClass}
 * @param personalityName the personality's key in {@code IOKitPersonalities}
 * @param table the personality copy the driver is initialised with: {@code IOProbeScore} holds the
 *     score after family matching, {@code IOMatchCategory} the category (default written out),
 *     {@code IONameMatched} the name that matched if {@code IONameMatch} was used
 * @param score the score after family matching
 * @param category the match category
 * @param ioClass the {@code IOClass} to instantiate
 */
public record MatchCandidate(String bundleIdentifier, String personalityName, Map<String, Object> table, int score,
        String category, String ioClass) {
}
