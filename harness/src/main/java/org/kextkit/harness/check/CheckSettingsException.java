package org.kextkit.harness.check;

/**
 * Report check settings that cannot be used: an unknown check id, a malformed suppression or one
 * without a reason. The message names the entry, what was expected and what was found; configuration
 * and the command line add where the entry came from.
 */
public final class CheckSettingsException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String entry;

    /** Create an exception about {@code entry} whose message says what is wrong and what was expected. */
    public CheckSettingsException(String entry, String message) {
        super(message);
        this.entry = entry;
    }

    /** Return the entry as it was written. */
    public String entry() {
        return entry;
    }
}
