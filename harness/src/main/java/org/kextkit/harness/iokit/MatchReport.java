package org.kextkit.harness.iokit;

import java.util.List;
import org.kextkit.harness.iokit.matching.MatchExplanation;

/**
 * The answer to "why did (or didn't) this kext's personality match this nub": the catalogue's
 * key-by-key explanation, and what the last matching of the nub did with each candidate.
 *
 * @param explanation the passive and family matching verdicts, personality by personality
 * @param lastMatching the probe/start outcomes of the nub's last matching, in the order they
 *     happened; empty if the nub has never been matched or its last matching found no candidate
 * @param nubMatched true if the nub has been through matching, even one that found no candidate
 */
public record MatchReport(MatchExplanation explanation, List<MatchOutcome> lastMatching, boolean nubMatched) {
    /** Copy the outcomes. */
    public MatchReport {
        lastMatching = List.copyOf(lastMatching);
    }

    /** Create a report for a nub that has been matched exactly when {@code lastMatching} is not empty. */
    public MatchReport(MatchExplanation explanation, List<MatchOutcome> lastMatching) {
        this(explanation, lastMatching, !lastMatching.isEmpty());
    }
}
