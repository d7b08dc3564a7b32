package org.kextkit.kit.libkern;

/**
 * Mach {@code kern_return_t} codes that a kext's start and stop routines return.
 *
 * <p>Any value other than {@link #KERN_SUCCESS} makes the kernel treat the routine as failed,
 * exactly as XNU does.
 */
public final class KernReturn {
    /** The routine succeeded. */
    public static final int KERN_SUCCESS = 0;
    /** A generic failure; the conventional value for a start routine that refuses to start. */
    public static final int KERN_FAILURE = 5;
    /** A resource the routine needed could not be obtained. */
    public static final int KERN_RESOURCE_SHORTAGE = 6;
    /** An argument was invalid. */
    public static final int KERN_INVALID_ARGUMENT = 4;

    private KernReturn() {
    }
}
