package org.kextkit.harness.cli;

import org.kextkit.harness.lifecycle.KextReturn;

/**
 * Spell kextunload's messages exactly as kext_tools' {@code kextunload_main.c} and IOKitUser's
 * {@code OSKextUnloadKextWithIdentifier} print them (each without its newline).
 */
public final class KextunloadMessages {
    /** Printed after any terminate failure. */
    public static final String CHECK_LOGS = "Check the system/kernel logs for error messages from the I/O Kit.";
    /** Printed when nothing to unload was named. */
    public static final String NO_KEXTS = "No kernel extensions specified.";

    private KextunloadMessages() {
    }

    /** Return {@code <id> unloaded and personalities removed.} */
    public static String unloaded(String id) {
        return id + " unloaded and personalities removed.";
    }

    /** Return {@code <id>: services terminated and personalities removed (kext not unloaded).} ({@code -p}). */
    public static String terminated(String id) {
        return id + ": services terminated and personalities removed (kext not unloaded).";
    }

    /** Return {@code Failed to unload <id> - <mach error>.} */
    public static String failedToUnload(String id, KextReturn result) {
        return "Failed to unload " + id + " - " + result.machErrorString() + ".";
    }

    /** Return {@code Terminate for <id> failed - <mach error>.} ({@code -p}). */
    public static String terminateFailed(String id, KextReturn result) {
        return "Terminate for " + id + " failed - " + result.machErrorString() + ".";
    }

    /** Return {@code All instances of class <c> terminated.} ({@code -c}). */
    public static String classTerminated(String className) {
        return "All instances of class " + className + " terminated.";
    }

    /** Return {@code Failed to terminate class <c> - <mach error>.} ({@code -c}). */
    public static String classTerminateFailed(String className, KextReturn result) {
        return "Failed to terminate class " + className + " - " + result.machErrorString() + ".";
    }

    /** Return {@code Can't create <path>.}, printed when a kext named by path cannot be read. */
    public static String cantCreate(String path) {
        return "Can't create " + path + ".";
    }
}
