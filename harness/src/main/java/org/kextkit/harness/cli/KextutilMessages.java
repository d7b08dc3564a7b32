package org.kextkit.harness.cli;

import org.kextkit.harness.lifecycle.KextReturn;

/**
 * Spell kextutil's messages exactly as kext_tools' {@code kextutil_main.c} prints them (each without
 * its newline); {@code path} is the kext path as the user typed it.
 */
public final class KextutilMessages {
    /** Printed after a link failure. */
    public static final String CHECK_LIBRARIES = "Check library declarations for your kext with kextlibs(8).";
    /** Printed when nothing to process was named; note the embedded newline, as in kext_tools. */
    public static final String NO_KEXTS = "No kernel extensions specified; name kernel extension bundles\n"
            + "    following options, or use -bundle-id (-b) and -address (-a).";
    /** Printed when the search set holds no kext at all. */
    public static final String NO_KEXTS_FOUND = "No kernel extensions found.";
    /** Printed when {@code -l}, {@code -m} and {@code -n} are combined. */
    public static final String ONE_OF_LMN = "Only one of -load-only (-l), -match-only (-m), or -no-load (-n) is allowed;\n"
            + "-address (-a) and -use-load-addresses (-A) imply -no-load (-n).";
    /** Printed when {@code -z} is combined with loading or matching. */
    public static final String NO_AUTHENTICATION_ONLY_WITHOUT_LOAD =
            "-no-authentication (-z) is allowed only when not loading or sending personalities.";
    /** Printed when {@code -Z} is combined with loading (kext_tools' wording, missing hyphen included). */
    public static final String NO_RESOLVE_ONLY_WITHOUT_LOAD =
            "Use -no-resolve-dependencies (-Z) only with -no-load (-n) or match-only (-m), and not with -symbols (-s).";
    /** Printed when {@code -b} is used and no kext or repository is named and system extensions are off. */
    public static final String NO_KEXTS_TO_SEARCH = "No kexts to search for bundle IDs; "
            + "-bundle-id (-b) requires kexts or repository directories be named by path.";
    /** Printed when the kernel runs in safe boot and {@code -x} was not given. */
    public static final String NOTICE_SAFE_BOOT_SYSTEM = "Notice: system is in safe boot mode; kernel may refuse loads.";

    private KextutilMessages() {
    }

    /** Return {@code Diagnostics for <path>:}, printed before the diagnostics of a kext that fails its checks. */
    public static String diagnosticsFor(String path) {
        return "Diagnostics for " + path + ":";
    }

    /**
     * Return {@code <path> appears to be loadable (including linkage for on-disk libraries).}, with
     * {@code not } before {@code including} when no trial link was done.
     */
    public static String appearsLoadable(String path, boolean linked) {
        return path + " appears to be loadable (" + (linked ? "" : "not ") + "including linkage for on-disk libraries).";
    }

    /** Return {@code Loading <path>.} */
    public static String loading(String path) {
        return "Loading " + path + ".";
    }

    /** Return {@code <path> successfully loaded (or already loaded).} */
    public static String loaded(String path) {
        return path + " successfully loaded (or already loaded).";
    }

    /** Return {@code Failed to load <path> - <mach error>.} */
    public static String failedToLoad(String path, KextReturn result) {
        return "Failed to load " + path + " - " + result.machErrorString() + ".";
    }

    /**
     * Return the safe-boot line; {@code [Notice: ]<path> is not eligible for loading during safe boot.}
     * It is a notice when the kext is only being checked, not loaded.
     */
    public static String notEligibleInSafeBoot(String path, boolean loading) {
        return (loading ? "" : "Notice: ") + path + " is not eligible for loading during safe boot.";
    }

    /** Return {@code Notice: <path> has debug properties set.} */
    public static String debugProperties(String path) {
        return "Notice: " + path + " has debug properties set.";
    }

    /** Return {@code Can't find extension with identifier <id>.} */
    public static String cantFindIdentifier(String id) {
        return "Can't find extension with identifier " + id + ".";
    }

    /** Return {@code Specified architecture <a> does not match running kernel architecture <k>.} */
    public static String archMismatch(String requested, String kernelArch) {
        return "Specified architecture " + requested + " does not match running kernel architecture " + kernelArch + ".";
    }
}
