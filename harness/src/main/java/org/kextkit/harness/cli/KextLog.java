package org.kextkit.harness.cli;

/**
 * Receive the messages the kext reader, validator and resolver log while a command inspects kexts,
 * for example {@code /tmp/Foo.kext - dependency 'com.example.Lib' not found.}; the command prints
 * those that pass its {@code -v}/{@code -q} filter to stderr.
 */
@FunctionalInterface
public interface KextLog {
    /** A log that drops everything. */
    KextLog NONE = (level, message) -> { };

    /** Log one message, without a trailing newline. */
    void log(LogLevel level, String message);
}
