package org.kextkit.harness.version;

/**
 * Choose the digit limits of the kext version grammar.
 *
 * <p>macOS 10.14 widened minor and revision from two digits to four and changed the packing to
 * match; {@link #LEGACY} reproduces the older rules (where {@code 1.100} is invalid).
 */
public enum VersionGrammar {
    /** macOS 10.14 and later: 4-digit major, minor and revision. */
    MODERN(4, 100_000_000L, 10_000L),
    /** macOS 10.6 to 10.13: 4-digit major, 2-digit minor and revision. */
    LEGACY(2, 1_000_000L, 10_000L);

    final int minorRevisionDigits;
    final long minorMultiplier;
    final long revisionMultiplier;

    VersionGrammar(int minorRevisionDigits, long minorMultiplier, long revisionMultiplier) {
        this.minorRevisionDigits = minorRevisionDigits;
        this.minorMultiplier = minorMultiplier;
        this.revisionMultiplier = revisionMultiplier;
    }

    long majorMultiplier() {
        return minorMultiplier * (minorRevisionDigits == 4 ? 10_000L : 100L);
    }

    int maxComponent() {
        return minorRevisionDigits == 4 ? 9999 : 99;
    }
}
