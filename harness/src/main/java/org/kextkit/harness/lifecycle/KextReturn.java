package org.kextkit.harness.lifecycle;

import java.util.Locale;

/**
 * Name the libkern kext return codes ({@code kOSKextReturn*}) with the error strings Apple's tools
 * print for them.
 */
public enum KextReturn {
    /** The operation succeeded ({@code kOSReturnSuccess}). */
    SUCCESS(0x0, "(os/kern) successful"),
    /** {@code kOSKextReturnInternalError}. */
    INTERNAL_ERROR(0xdc008001, "(libkern/kext) internal error"),
    /** {@code kOSKextReturnNoResources}: load tags exhausted. */
    NO_RESOURCES(0xdc008003, "(libkern/kext) resource shortage"),
    /** {@code kOSKextReturnNotPrivileged}. */
    NOT_PRIVILEGED(0xdc008004, "(libkern/kext) not privileged"),
    /** {@code kOSKextReturnInvalidArgument}. */
    INVALID_ARGUMENT(0xdc008005, "(libkern/kext) invalid argument"),
    /** {@code kOSKextReturnNotFound}. */
    NOT_FOUND(0xdc008006, "(libkern/kext) not found"),
    /** {@code kOSKextReturnDisabled}: loading or unloading is disabled. */
    DISABLED(0xdc00800a, "(libkern/kext) function disabled"),
    /** {@code kOSKextReturnNotAKext}. */
    NOT_A_KEXT(0xdc00800b, "(libkern/kext) not a kext"),
    /** {@code kOSKextReturnValidation}. */
    VALIDATION(0xdc00800c, "(libkern/kext) validation failure"),
    /** {@code kOSKextReturnDependencies}. */
    DEPENDENCIES(0xdc00800e, "(libkern/kext) dependency resolution failure"),
    /** {@code kOSKextReturnBootLevel}: not loadable during safe boot. */
    BOOT_LEVEL(0xdc008012, "(libkern/kext) boot level restriction"),
    /** {@code kOSKextReturnLoadedVersionDiffers}. */
    LOADED_VERSION_DIFFERS(0xdc008014, "(libkern/kext) different version/uuid already loaded"),
    /** {@code kOSKextReturnDependencyLoadError}. */
    DEPENDENCY_LOAD_ERROR(0xdc008015, "(libkern/kext) dependency load failed"),
    /** {@code kOSKextReturnLinkError}: the Java form is an unresolved class reference. */
    LINK_ERROR(0xdc008016, "(libkern/kext) link error"),
    /** {@code kOSKextReturnStartStopError}. */
    START_STOP_ERROR(0xdc008017, "(libkern/kext) kext (kmod) start/stop routine failed"),
    /** {@code kOSKextReturnInUse}. */
    IN_USE(0xdc008018, "(libkern/kext) kext is in use or retained (cannot unload)");

    private final int code;
    private final String message;

    KextReturn(int code, String message) {
        this.code = code;
        this.message = message;
    }

    /** Return the numeric code, e.g. {@code 0xdc00800e}. */
    public int code() {
        return code;
    }

    /** Return the mach error string the tools print, e.g. {@code (libkern/kext) link error}. */
    public String message() {
        return message;
    }

    /** Return the code as {@code 0x} plus eight lower-case hex digits. */
    public String hex() {
        return String.format(Locale.ROOT, "0x%08x", code);
    }
}
