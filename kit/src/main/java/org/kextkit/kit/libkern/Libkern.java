package org.kextkit.kit.libkern;

import org.kextkit.kit.internal.KernelRuntime;

/**
 * Call the libkern functions that have no object of their own ({@code com.apple.kpi.libkern}).
 *
 * <p>Use with a static import: {@code import static org.kextkit.kit.libkern.Libkern.printf;}.
 */
public final class Libkern {
    private Libkern() {
    }

    /**
     * Write a formatted line to the kernel log, like the kernel's {@code printf}.
     *
     * <p>The format is Java's {@link String#format}; a missing trailing newline is added, since the
     * kernel log is line-oriented.
     */
    public static void printf(String format, Object... args) {
        KernelRuntime.log(KernelRuntime.callerClass(), "printf", String.format(format, args));
    }
}
