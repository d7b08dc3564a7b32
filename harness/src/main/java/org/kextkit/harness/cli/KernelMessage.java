package org.kextkit.harness.cli;

import java.util.Objects;

/**
 * Carry one line the kernel logged while handling a request; the commands print it prefixed with
 * {@code (kernel) } when its level passes their filter, as kext_tools do with kernel log messages.
 *
 * @param level the level the kernel logged it at
 * @param text the line without a trailing newline, for example
 *     {@code Kext com.example.Foo start failed (result 0x5).}
 */
public record KernelMessage(LogLevel level, String text) {
    /** Check that both fields are present. */
    public KernelMessage {
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(text, "text");
    }

    /** Create an error-level line. */
    public static KernelMessage error(String text) {
        return new KernelMessage(LogLevel.ERROR, text);
    }

    /** Create a basic-level line (shown only with {@code -v}). */
    public static KernelMessage basic(String text) {
        return new KernelMessage(LogLevel.BASIC, text);
    }
}
