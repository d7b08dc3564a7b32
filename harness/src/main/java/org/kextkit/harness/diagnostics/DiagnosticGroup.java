package org.kextkit.harness.diagnostics;

/**
 * Name the five groups kextutil sorts a kext's diagnostics into, with the headings it prints.
 */
public enum DiagnosticGroup {
    /** Problems with the bundle and its Info.plist; the kext cannot load. */
    VALIDATION("Validation Failures", true),
    /** Ownership and permission problems; the kext cannot load. */
    AUTHENTICATION("Authentication Failures", true),
    /** Libraries that cannot be resolved; the kext cannot load. */
    DEPENDENCIES("Dependency Resolution Failures", true),
    /** Problems that do not prevent loading. */
    WARNINGS("Warnings", false),
    /** Reasons the kext is not available at some boot level (safe boot, early boot). */
    BOOT_LEVEL("Boot Level Restrictions", false);

    private final String heading;
    private final boolean failure;

    DiagnosticGroup(String heading, boolean failure) {
        this.heading = heading;
        this.failure = failure;
    }

    /** Return the heading exactly as kextutil prints it. */
    public String heading() {
        return heading;
    }

    /** Return true if a diagnostic in this group makes the kext unloadable. */
    public boolean isFailure() {
        return failure;
    }
}
