package org.kextkit.harness.cli;

import org.kextkit.harness.lifecycle.KextReturn;

/**
 * Spell kextload's messages exactly as kext_tools' {@code kextload_main.c} prints them (each without
 * its newline). {@code target} is a kext path or a bundle identifier.
 */
public final class KextloadMessages {
    /** The answer to any kextutil-only option, such as {@code -n}. */
    public static final String USE_KEXTUTIL = "Use kextutil(8) for development loading of kexts.";
    /** The notice for {@code -t}. */
    public static final String NOTICE_PRINT_DIAGNOSTICS = "Notice: -print-diagnostics (-t) ignored; use kextutil(8) to test kexts.";
    /** The notice for {@code -c}. */
    public static final String NOTICE_NO_CACHES = "Notice: -no-caches (-c) ignored; use kextutil(8) to test kexts.";
    /** The notice for {@code -D}. */
    public static final String NOTICE_NO_LOADED_CHECK = "Notice: -no-loaded-check (-D) ignored.";
    /** The complaint when no kext is named; note the embedded newline, as in kext_tools. */
    public static final String NO_KEXTS = "No kernel extensions specified; name kernel extension bundles\n"
            + "    following options, or use -bundle-id (-b).";

    private KextloadMessages() {
    }

    /** Return the verbose line before a request: {@code Requesting load of <target>.} */
    public static String requesting(String target) {
        return "Requesting load of " + target + ".";
    }

    /** Return the success line: {@code <target> loaded successfully (or already loaded).} */
    public static String loaded(String target) {
        return target + " loaded successfully (or already loaded).";
    }

    /**
     * Return the failure line: {@code <target> failed to load - <mach error>; check the system/kernel
     * logs for errors or try kextutil(8).}
     */
    public static String failed(String target, KextReturn result) {
        return target + " failed to load - " + result.machErrorString()
                + "; check the system/kernel logs for errors or try kextutil(8).";
    }

    /** Return kextload's exit status for a failed load, as {@code exitStatusForOSReturn}: 77 or 71. */
    public static int exitStatusFor(KextReturn result) {
        if (result.isSuccess()) {
            return ExitCodes.EX_OK;
        }
        return result == KextReturn.NOT_PRIVILEGED ? ExitCodes.EX_NOPERM : ExitCodes.EX_OSERR;
    }
}
