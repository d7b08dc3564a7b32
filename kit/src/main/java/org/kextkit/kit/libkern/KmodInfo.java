package org.kextkit.kit.libkern;

/**
 * Describe a loaded kext to its own start and stop routines: the Java form of {@code kmod_info_t}.
 *
 * <p>The kernel fills this in when it links the kext; a kext only reads it.
 */
public interface KmodInfo {
    /** Return the load tag ({@code kmod_info.id}); kextstat's {@code Index} column. */
    int id();

    /** Return the bundle identifier ({@code kmod_info.name}). */
    String name();

    /** Return the {@code CFBundleVersion} string exactly as written in the Info.plist. */
    String version();

    /** Return how many loaded kexts link against this one ({@code kmod_info.reference_count}). */
    int referenceCount();

    /** Return the simulated load address; kextstat's {@code Address} column. */
    long address();

    /** Return the simulated load size in bytes; kextstat's {@code Size} column. */
    long size();
}
