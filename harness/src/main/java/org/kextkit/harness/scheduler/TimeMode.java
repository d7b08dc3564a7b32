package org.kextkit.harness.scheduler;

import java.util.Locale;
import java.util.Optional;

/** How a hosted kernel keeps time. */
public enum TimeMode {
    /**
     * Discrete-event time for tests: one kernel thread runs at a time, the clock moves only when
     * every thread waits or a test advances it, and the order of events is reproducible from a seed.
     */
    VIRTUAL,
    /** The host's clock and freely running threads, as the kernel daemon uses. */
    REAL;

    /** Return the name used in configuration ({@code virtual} or {@code real}). */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Return the mode a configuration value names, ignoring case; empty if it names none. */
    public static Optional<TimeMode> byConfigName(String value) {
        for (TimeMode mode : values()) {
            if (mode.configName().equalsIgnoreCase(value.trim())) {
                return Optional.of(mode);
            }
        }
        return Optional.empty();
    }
}
