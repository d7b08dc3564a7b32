package org.kextkit.kit.internal;

/**
 * Thrown out of a blocking kit call when the kernel stops the waiting thread (the kernel shuts down
 * or the thread was interrupted), so that the thread unwinds instead of waiting forever.
 *
 * <p>An {@link Error}, like {@link KernelPanic}, so a kext's {@code catch (Exception e)} lets it pass.
 */
public class KernelThreadStopped extends Error {
    private static final long serialVersionUID = 1L;

    /** Create one naming what the thread was waiting for. */
    public KernelThreadStopped(String message) {
        super(message);
    }
}
