package org.kextkit.kit.iokit;

import org.kextkit.kit.internal.KernelRuntime;

/**
 * Call the I/O Kit library functions ({@code IOLib.h}, {@code com.apple.kpi.iokit}).
 *
 * <p>Use with a static import: {@code import static org.kextkit.kit.iokit.IOLib.IOLog;}.
 */
public final class IOLib {
    private IOLib() {
    }

    /**
     * Write a formatted message to the kernel log, like {@code IOLog}.
     *
     * <p>The format is Java's {@link String#format}. Like the real {@code IOLog}, this may block:
     * never call it from a primary-interrupt context or while holding a spin lock.
     */
    @SuppressWarnings("checkstyle:MethodName")
    public static void IOLog(String format, Object... args) {
        KernelRuntime.log(KernelRuntime.callerClass(), "IOLog", String.format(format, args));
    }
}
