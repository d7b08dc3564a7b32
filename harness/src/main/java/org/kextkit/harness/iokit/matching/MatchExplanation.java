package org.kextkit.harness.iokit.matching;

import java.util.List;

/**
 * The answer to "why did (or didn't) this personality match this nub": one entry per personality
 * considered, each with the verdict on every key it has.
 *
 * @param nubDescription the nub: name, location, class and registry path
 * @param entries one per personality, winners first, in the order matching considered them
 */
public record MatchExplanation(String nubDescription, List<Entry> entries) {
    /** Copy the entries. */
    public MatchExplanation {
        entries = List.copyOf(entries);
    }

    /**
     * One personality.
     *
     * @param bundleIdentifier its kext
     * @param personalityName its key in {@code IOKitPersonalities}
     * @param matched true if it passed every key and family matching
     * @param initialScore {@code IOProbeScore} as read (0 if absent or not a number)
     * @param finalScore the score after family matching, or the initial score if it failed earlier
     * @param category its match category
     * @param keys the verdict on each key, in the order checked
     * @param outcome a one-line summary: "matched, score 1000, rank 1 of 3 in IODefaultMatchCategory",
     *     "failed IOPCIMatch", "category IODefaultMatchCategory already has a client", ...
     */
    public record Entry(String bundleIdentifier, String personalityName, boolean matched, int initialScore,
            int finalScore, String category, List<KeyVerdict> keys, String outcome) {
        /** Copy the verdicts. */
        public Entry {
            keys = List.copyOf(keys);
        }
    }

    /**
     * The verdict on one key.
     *
     * @param key the key, such as {@code IOPCIMatch}
     * @param passed true if the key matched
     * @param detail what was compared: the personality's value and the nub's, and why it failed
     */
    public record KeyVerdict(String key, boolean passed, String detail) {
    }
}
