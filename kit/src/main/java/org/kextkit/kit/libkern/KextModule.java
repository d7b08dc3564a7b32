package org.kextkit.kit.libkern;

/**
 * Implement a generic kext's module start and stop routines (the Java form of a kmod's
 * {@code MODULE_START} and {@code MODULE_STOP}).
 *
 * <p>A kext names its implementation with the {@code Kext-Module-Class} attribute in the manifest of
 * its executable jar ({@code Contents/MacOS/<CFBundleExecutable>}), just as Xcode compiles the
 * {@code MODULE_START}/{@code MODULE_STOP} build settings into the executable's {@code kmod_info}.
 * The class must be public, implement this interface and have a public no-argument constructor.
 * A kext without the attribute gets the default routines, which succeed, as a pure I/O Kit driver's
 * do.
 *
 * <p>Both routines run in thread context with the kernel's locks released. Returning anything other
 * than {@link KernReturn#KERN_SUCCESS}, or throwing, fails the routine: a failed start unloads the
 * kext again; a failed stop aborts the unload and leaves the kext loaded.
 */
public interface KextModule {
    /**
     * Start the kext after it has been linked and before its personalities are sent to the
     * catalogue.
     *
     * @param kmodInfo the kext's own load information
     * @param data always {@code null}, as in XNU
     * @return {@link KernReturn#KERN_SUCCESS} to stay loaded, anything else to be unloaded again
     */
    int start(KmodInfo kmodInfo, Object data);

    /**
     * Stop the kext before it is unlinked. Release everything {@link #start} acquired.
     *
     * @param kmodInfo the kext's own load information
     * @param data always {@code null}, as in XNU
     * @return {@link KernReturn#KERN_SUCCESS} to allow the unload, anything else to refuse it
     */
    int stop(KmodInfo kmodInfo, Object data);
}
