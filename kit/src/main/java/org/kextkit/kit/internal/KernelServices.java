package org.kextkit.kit.internal;

/**
 * Receive the calls that kit functions make into the hosted kernel that runs the calling kext.
 *
 * <p>The harness implements this; kexts never see it.
 */
public interface KernelServices {
    /**
     * Append one message to the kernel log.
     *
     * @param caller the kext class that made the call, or {@code null} if not known
     * @param function the kit function that logged ({@code printf}, {@code IOLog}, ...)
     * @param message the formatted message, without a trailing newline
     */
    void log(Class<?> caller, String function, String message);

    /**
     * Count one more live instance of {@code type} (an {@code OSObject} subclass), as
     * {@code OSMetaClass::instanceConstructed} does.
     */
    default void instanceConstructed(Class<?> type) {
    }

    /** Count one instance of {@code type} less, as {@code OSMetaClass::instanceDestructed} does. */
    default void instanceDestructed(Class<?> type) {
    }
}
