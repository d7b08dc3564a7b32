package org.kextkit.harness.cli;

import java.util.List;
import java.util.Objects;

/**
 * Describe one loaded kext as kextstat prints it: the fields of the kernel's
 * {@code OSKextCopyLoadedKextInfo} dictionary that kextstat reads.
 *
 * <p>A numeric field the kernel did not report is {@link #UNKNOWN}, printed as {@code ??} (index,
 * refs, linked-against tags) or {@code ????} (address, sizes); an absent identifier or version prints
 * {@code ????}, an absent UUID {@code no UUID}, an absent architecture {@code ????/????}.
 *
 * @param tag the load tag ({@code OSBundleLoadTag}); 0 is the kernel itself and is never printed
 * @param refs the retain count kextstat shows as {@code Refs} ({@code OSBundleRetainCount})
 * @param address the unslid load address; 0 for interfaces and kernel components
 * @param size the load size in bytes
 * @param wired the wired size in bytes
 * @param bundleId {@code CFBundleIdentifier}, or {@code null}
 * @param version {@code CFBundleVersion} exactly as in the Info.plist, or {@code null}
 * @param uuid the executable's UUID, or {@code null}; printed in upper case
 * @param linkedAgainst the load tags of the kext's direct link dependencies, in any order
 * @param arch the executable's architecture name ({@code x86_64}), or {@code null}
 * @param kernelComponent true if the kext has {@code OSKernelResource} (hidden by {@code kextstat -k})
 */
public record KextstatRow(int tag, int refs, long address, long size, long wired, String bundleId, String version,
                          String uuid, List<Integer> linkedAgainst, String arch, boolean kernelComponent) {
    /** The value of a numeric field the kernel did not report. */
    public static final int UNKNOWN = -1;

    /** Copy {@code linkedAgainst} (a {@code null} list means none). */
    public KextstatRow {
        linkedAgainst = linkedAgainst == null ? List.of() : List.copyOf(linkedAgainst);
    }

    @Override
    public String toString() {
        return Objects.toString(bundleId, "????") + " (" + Objects.toString(version, "????") + ") tag " + tag;
    }
}
