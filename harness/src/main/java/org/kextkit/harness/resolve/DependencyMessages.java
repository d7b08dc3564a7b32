package org.kextkit.harness.resolve;

/**
 * Hold the diagnostic strings dependency resolution records, exactly as IOKitUser spells them, so
 * that tools and tests can refer to them by name.
 *
 * <p>Messages under {@code DiagnosticGroup.DEPENDENCIES} make a kext unloadable; the three warnings go
 * under {@code DiagnosticGroup.WARNINGS}. Apple's typo "compatiblity" in {@link #RAW_KERNEL} is kept.
 */
public final class DependencyMessages {
    /** No known kext has the library's identifier. */
    public static final String NO_KEXTS_FOUND = "No kexts found for these libraries";
    /** Kexts with the identifier exist, but none is compatible with the requested version. */
    public static final String ONLY_INCOMPATIBLE = "Only incompatible kexts found for these libraries";
    /** The kext with the identifier is not a library. */
    public static final String LACKS_COMPATIBLE_VERSION =
            "Kexts found for these libraries lack valid OSBundleCompatibleVersion";
    /** The loaded copy of the library is not compatible with the requested version. */
    public static final String LOADED_INCOMPATIBLE =
            "Kexts already loaded for these libraries are not compatible with the requested version";
    /** The loaded copy of the library is not a library. */
    public static final String LOADED_LACKS_COMPATIBLE_VERSION =
            "Kexts already loaded for these libraries have no OSBundleCompatibleVersion";
    /** A library further down the graph failed to resolve. */
    public static final String INDIRECT_UNRESOLVABLE = "Indirect dependencies can't be resolved";
    /** Two kexts with one identifier ended up in one load list. */
    public static final String MULTIPLE_VERSIONS = "Multiple kexts for these libraries occur in the dependency graph";
    /** The dependency graph has a cycle. */
    public static final String CIRCULAR_REFERENCE = "Some dependencies are causing circular references";
    /** The kext names {@code com.apple.kernel} itself as a library. */
    public static final String RAW_KERNEL = "Kexts may not link against com.apple.kernel; use either com.apple.kpi.*"
            + " libraries (recommended), or com.apple.kernel.* (for compatiblity with older releases).";
    /** An interface kext resolved to other than one dependency. */
    public static final String INTERFACE_NEEDS_ONE_DEPENDENCY = "Interface kext must have exactly one dependency.";
    /** A kext with an executable names a legacy {@code com.apple.kernel.*} library on a 64-bit kernel. */
    public static final String KERNEL_STYLE_ON_64_BIT =
            "64-bit kexts must use com.apple.kpi.* libraries, not com.apple.kernel* libraries.";
    /** A non-Apple kext names {@code com.apple.kpi.private}. */
    public static final String PRIVATE_KPI = "Only Apple kexts may link against com.apple.kpi.private.";
    /** A kext in the load list has validation failures. */
    public static final String DEPENDENCIES_INVALID = "Dependencies have validation problems";
    /** A kext in the load list has authentication failures. */
    public static final String DEPENDENCIES_INAUTHENTIC = "Dependencies have incorrect owner/permissions";

    /** Warning: a kext with an executable names no KPI library. */
    public static final String NO_KPI = "Kext declares no com.apple.kpi.* libraries; if it references any kernel"
            + " symbols, it may fail to link.";
    /** Warning: a kext names both legacy kernel libraries and KPIs. */
    public static final String MIXED_STYLES = "Kexts should declare dependencies on either com.apple.kernel* or"
            + " com.apple.kpi.* libraries, not both.";
    /** Warning: an early-boot kext depends on a kext that may not be available that early. */
    public static final String BOOT_LEVEL_DEPENDENCY = "Dependency lacks appropriate value for OSBundleRequired and"
            + " may not be available during early boot";

    private DependencyMessages() {
    }
}
