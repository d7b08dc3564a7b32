package org.kextkit.harness.cli;

/**
 * Choose what an unload request does, as {@code IOCatalogueTerminate} options do for kextunload.
 */
public enum UnloadMode {
    /** Terminate the kext's services, remove its personalities, then stop and unload it. */
    UNLOAD,
    /** Terminate the kext's services and remove its personalities, but leave it loaded ({@code -p}). */
    TERMINATE_AND_REMOVE_PERSONALITIES
}
