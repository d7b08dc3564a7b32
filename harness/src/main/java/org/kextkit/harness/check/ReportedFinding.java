package org.kextkit.harness.check;

import java.util.Objects;

/**
 * A finding as reports show it: the first occurrence's details, how many times the same check fired
 * for the same kext at the same primary site, and the suppression that accepted it, if any.
 *
 * @param finding the first occurrence
 * @param occurrences how many times it was reported (at least 1)
 * @param suppression the suppression covering it, or {@code null} if it stands
 */
public record ReportedFinding(Finding finding, int occurrences, Suppression suppression) {
    /** Check the parts. */
    public ReportedFinding {
        Objects.requireNonNull(finding, "finding");
        if (occurrences < 1) {
            throw new IllegalArgumentException("occurrences must be at least 1, got " + occurrences);
        }
    }

    /** Return true if a suppression accepted this finding. */
    public boolean suppressed() {
        return suppression != null;
    }

    /** Return this finding accepted by {@code s}. */
    public ReportedFinding suppressedBy(Suppression s) {
        return new ReportedFinding(finding, occurrences, s);
    }

    /**
     * Return the key findings are deduplicated by: check id, kext and primary site (class, method,
     * file, line). Stable across runs, so it serves as a fingerprint.
     */
    public static String dedupKey(Finding f) {
        CodeSite s = f.primarySite();
        return f.checkId() + "|" + (f.bundleId() == null ? "" : f.bundleId()) + "|"
                + (s == null ? "" : s.className() + "." + s.methodName() + "(" + s.fileName() + ":" + s.line() + ")");
    }
}
