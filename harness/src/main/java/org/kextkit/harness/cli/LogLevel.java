package org.kextkit.harness.cli;

/**
 * Rank a log message the way {@code OSKextLogSpec} levels do; a command prints a message when its
 * level is at or below the command's current filter.
 *
 * <p>By default the kext commands show {@link #WARNING} and above; {@code -v 1} shows {@link #BASIC},
 * {@code -v 2} {@link #PROGRESS}, and so on up to {@link #DEBUG}; {@code -q} shows nothing.
 */
public enum LogLevel {
    /** Something failed. */
    ERROR(1),
    /** Something is suspicious or was ignored ({@code Notice: ...} lines). */
    WARNING(2),
    /** The outcome of an operation ({@code ... loaded successfully ...}). */
    BASIC(3),
    /** Coarse progress. */
    PROGRESS(4),
    /** Individual steps. */
    STEP(5),
    /** Details of each step. */
    DETAIL(6),
    /** Everything. */
    DEBUG(7);

    private final int value;

    LogLevel(int value) {
        this.value = value;
    }

    /** Return the numeric level as in the low nibble of an {@code OSKextLogSpec} (1 to 7). */
    public int value() {
        return value;
    }
}
