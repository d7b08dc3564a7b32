package org.kextkit.harness.bundle;

/**
 * Hold the diagnostic strings that bundle validation records, for tools and tests to match on.
 *
 * <p>Strings marked <em>Apple</em> are kextutil's own wording (IOKitUser {@code OSKext.c}) and
 * must not change. The others are kextkit's: the Java counterparts of Mach-O checks, and the
 * unbuilt-template failure, which kextutil has no word for.
 */
public final class ValidationMessages {
    /** Apple. A required key is absent, or a string that must not be empty is empty. */
    public static final String MISSING_PROPERTY = "Info dictionary missing required property/value";
    /** Apple. A value has the wrong type; the note says {@code should be <string>}. */
    public static final String ILLEGAL_TYPE = "Info dictionary property value is of illegal type";
    /** Apple. A value has the right type but an unacceptable content. */
    public static final String ILLEGAL_VALUE = "Info dictionary property value is illegal";
    /** Apple. A kernel component carries a key it must not have ({@code OSBundleLibraries}). */
    public static final String BAD_SYSTEM_PROPERTY = "A system kext has a property set that it shouldn't";
    /** Apple. {@code CFBundleIdentifier} or {@code CFBundleVersion} has 64 characters or more. */
    public static final String IDENTIFIER_OR_VERSION_TOO_LONG =
            "CFBundleIdentifier and CFBundleVersion must be < 64 characters.";
    /** Apple. {@code OSBundleCompatibleVersion} is later than {@code CFBundleVersion}. */
    public static final String COMPATIBLE_VERSION_LATER = "Compatible version must be lower than current version.";
    /** Apple. {@code CFBundleExecutable} names a file that is not there. */
    public static final String EXECUTABLE_MISSING =
            "Kext has a CFBundleExecutable property but the executable can't be found";
    /**
     * The jar counterpart of Apple's "no kmod_info symbol or bad Mach-O layout": the executable is
     * not a readable jar, or holds no class.
     */
    public static final String EXECUTABLE_BAD =
            "Executable file doesn't contain kernel extension code (no class files or bad jar layout).";
    /** kextkit. The jar's {@code Kext-Module-Class} attribute names a class the jar lacks. */
    public static final String MODULE_CLASS_MISSING =
            "Kext-Module-Class names a class that the executable doesn't contain";
    /** kextkit. The jar defines classes in packages that belong to the JDK or to kextkit. */
    public static final String RESERVED_PACKAGES =
            "Executable defines classes in packages reserved for the kernel (java., javax., org.kextkit.)";
    /** Apple. A kext (not a dext) uses {@code OSBundleRequired = DriverKit}. */
    public static final String DRIVERKIT_REQUIRED = "Kexts may not use the DriverKit value for OSBundleRequired.";
    /**
     * kextkit. Values still hold build variables such as {@code $(PRODUCT_BUNDLE_IDENTIFIER)}: the
     * Info.plist is a source template, not the info dictionary of a built kext.
     */
    public static final String UNBUILT_TEMPLATE = "Info.plist is an unbuilt template, not a built kext: these values "
            + "still hold build variables (build the kext so that they are substituted, or replace them with "
            + "literal values)";

    /** Apple warning. A value of the wrong type that loading tolerates ({@code IOProbeScore}). */
    public static final String INCORRECT_TYPE_WARNING = "Info dictionary property value is of incorrect type";
    /** Apple warning. A codeless non-library kext declares libraries. */
    public static final String CODELESS_WITH_LIBRARIES =
            "Kext has no executable or compatible version, so it should not declare any OSBundleLibraries.";
    /** Apple warning. A deprecated key is present; the value is the key. */
    public static final String DEPRECATED_PROPERTY = "Deprecated property (ignored)";
    /** Apple warning. A personality lacks {@code CFBundleIdentifier}. */
    public static final String PERSONALITY_NO_BUNDLE_IDENTIFIER = "Personality has no CFBundleIdentifier; "
            + "the kext's identifier will be inserted when sending to the IOCatalogue";
    /** Apple warning. A personality names another kext in {@code CFBundleIdentifier}. */
    public static final String PERSONALITY_DIFFERENT_BUNDLE_IDENTIFIER = "Personality CFBundleIdentifier differs from "
            + "containing kext's (not necessarily a mistake, but rarely done)";
    /** Apple warning. An {@code IOResources} personality without a unique {@code IOMatchCategory}. */
    public static final String NONUNIQUE_IORESOURCES_MATCH = "Personality matches on IOResources "
            + "but IOMatchCategory is missing or not equal to its IOClass; "
            + "driver may be blocked from matching or may block others";

    private ValidationMessages() {
    }
}
