package org.kextkit.harness.version;

/**
 * Decide whether a library kext satisfies a dependent's requested version.
 *
 * <p>kextkit applies the user-space rule that kextutil, kextload and kextd use
 * ({@code OSKextIsCompatibleWithVersion}): a library at version {@code L} with compatible version
 * {@code C} satisfies a request for {@code V} iff {@code C > 0 && C <= V && L >= V}. The kernel's own
 * check omits {@code C <= V}; since user space picks the candidate first, the stricter rule decides.
 */
public final class Compatibility {
    private Compatibility() {
    }

    /** Return true if a library with the given versions satisfies {@code requested}. */
    public static boolean isCompatible(KextVersion libraryVersion, KextVersion compatibleVersion, KextVersion requested) {
        if (compatibleVersion == null || !compatibleVersion.isValid() || requested == null || !requested.isValid()) {
            return false;
        }
        return compatibleVersion.packed() <= requested.packed() && libraryVersion.packed() >= requested.packed();
    }

    /**
     * Explain in one phrase why a library does not satisfy {@code requested}, or return {@code null}
     * when it does.
     */
    public static String whyIncompatible(KextVersion libraryVersion, KextVersion compatibleVersion, KextVersion requested) {
        if (compatibleVersion == null || !compatibleVersion.isValid()) {
            return "it has no valid OSBundleCompatibleVersion, so it is not a library";
        }
        if (requested == null || !requested.isValid()) {
            return "the requested version is not a valid version string";
        }
        if (libraryVersion.packed() < requested.packed()) {
            return "its version " + libraryVersion + " is older than the requested " + requested;
        }
        if (compatibleVersion.packed() > requested.packed()) {
            return "it is compatible back to " + compatibleVersion + " only, which is newer than the requested " + requested;
        }
        return null;
    }
}
