package org.kextkit.harness.cli.internal;

import java.io.PrintWriter;
import java.util.List;
import org.kextkit.harness.cli.KernelMessage;
import org.kextkit.harness.cli.KextLog;
import org.kextkit.harness.cli.LogLevel;

/**
 * Print a command's log messages to stderr, filtered by level the way kext_tools' {@code tool_log}
 * filters them, and the kernel's lines with their {@code (kernel) } prefix.
 */
public final class ToolLog implements KextLog {
    /** The filter of a command with no {@code -v}: errors and warnings. */
    public static final int DEFAULT_THRESHOLD = LogLevel.WARNING.value();
    /** The filter of a command with {@code -q}. */
    public static final int SILENT = 0;

    private final PrintWriter err;
    private final int threshold;

    /** Create a log printing to {@code err} the messages at or below {@code threshold} (0 to 7). */
    public ToolLog(PrintWriter err, int threshold) {
        this.err = err;
        this.threshold = threshold;
    }

    /** Return the current threshold. */
    public int threshold() {
        return threshold;
    }

    /** Return true if a message at {@code level} would be printed. */
    public boolean enabled(LogLevel level) {
        return level.value() <= threshold;
    }

    @Override
    public void log(LogLevel level, String message) {
        if (enabled(level)) {
            // '\n', not println: output must be byte-identical on every platform.
            err.print(message);
            err.print('\n');
        }
    }

    /** Log at error level. */
    public void error(String message) {
        log(LogLevel.ERROR, message);
    }

    /** Log at warning level. */
    public void warning(String message) {
        log(LogLevel.WARNING, message);
    }

    /** Log at basic level. */
    public void basic(String message) {
        log(LogLevel.BASIC, message);
    }

    /** Print the kernel's lines for a request, each as {@code (kernel) <text>}. */
    public void kernel(List<KernelMessage> messages) {
        for (KernelMessage m : messages) {
            log(m.level(), "(kernel) " + m.text());
        }
    }

    /** Print a block of text that already ends in a newline (diagnostics), if {@code level} passes. */
    public void block(LogLevel level, String text) {
        if (enabled(level) && !text.isEmpty()) {
            err.print(text);
        }
    }
}
