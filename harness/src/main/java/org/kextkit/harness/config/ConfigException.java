package org.kextkit.harness.config;

/**
 * Report a configuration that cannot be used: an unreadable or malformed file, an unknown key, a bad
 * value or a malformed {@code --set}. The message names the place, what was expected, what was found
 * and what to do, and is meant to be printed as it is.
 */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Create an exception whose message is complete and ready for the user. */
    public ConfigException(String message) {
        super(message);
    }

    /** Create an exception whose message is complete and ready for the user, keeping the cause for logs. */
    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
