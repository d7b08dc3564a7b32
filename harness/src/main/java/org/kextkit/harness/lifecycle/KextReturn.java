package org.kextkit.harness.lifecycle;

/**
 * List the libkern return codes a kext request can end with, each with the code and the text
 * {@code mach_error_string()} gives for it, which the kext commands print verbatim.
 *
 * <p>The kext codes are {@code 0xdc008000 | n} (system {@code 0x37}, subsystem 2) with {@code n}
 * from 0x1 to 0x1a, as in xnu's {@code OSKextLib.h} and {@code libsyscall/mach/err_libkern.sub}.
 * {@link #SUCCESS} and {@link #ERROR} are the generic {@code kOSReturnSuccess} and
 * {@code kOSReturnError}. Apple's later {@code kOSKextReturnSystemPolicy} has no counterpart: a
 * hosted kernel has no system policy.
 */
public enum KextReturn {
    /** {@code kOSReturnSuccess}. */
    SUCCESS(0, "kOSReturnSuccess", "(os/kern) successful"),
    /** {@code kOSReturnError}: a failure with no more specific code. */
    ERROR(0xdc000001, "kOSReturnError", "(libkern/common) general/unspecified error"),
    /** {@code kOSKextReturnInternalError}. */
    INTERNAL_ERROR(0xdc008001, "kOSKextReturnInternalError", "(libkern/kext) internal error"),
    /** {@code kOSKextReturnNoMemory}. */
    NO_MEMORY(0xdc008002, "kOSKextReturnNoMemory", "(libkern/kext) allocation failure"),
    /** {@code kOSKextReturnNoResources}: for example, no load tags left. */
    NO_RESOURCES(0xdc008003, "kOSKextReturnNoResources", "(libkern/kext) resource shortage"),
    /** {@code kOSKextReturnNotPrivileged}. */
    NOT_PRIVILEGED(0xdc008004, "kOSKextReturnNotPrivileged", "(libkern/kext) not privileged"),
    /** {@code kOSKextReturnInvalidArgument}: for example, unloading a kernel component. */
    INVALID_ARGUMENT(0xdc008005, "kOSKextReturnInvalidArgument", "(libkern/kext) invalid argument"),
    /** {@code kOSKextReturnNotFound}. */
    NOT_FOUND(0xdc008006, "kOSKextReturnNotFound", "(libkern/kext) not found"),
    /** {@code kOSKextReturnBadData}. */
    BAD_DATA(0xdc008007, "kOSKextReturnBadData", "(libkern/kext) bad data (mkext/other)"),
    /** {@code kOSKextReturnSerialization}. */
    SERIALIZATION(0xdc008008, "kOSKextReturnSerialization", "(libkern/kext) XML (un)serialization error"),
    /** {@code kOSKextReturnUnsupported}. */
    UNSUPPORTED(0xdc008009, "kOSKextReturnUnsupported", "(libkern/kext) function/version unsupported"),
    /** {@code kOSKextReturnDisabled}: loading or unloading is switched off. */
    DISABLED(0xdc00800a, "kOSKextReturnDisabled", "(libkern/kext) function disabled"),
    /** {@code kOSKextReturnNotAKext}: bad bundle layout or no Info.plist. */
    NOT_A_KEXT(0xdc00800b, "kOSKextReturnNotAKext", "(libkern/kext) malformed kext (bundle layout/missing plist)"),
    /** {@code kOSKextReturnValidation}. */
    VALIDATION(0xdc00800c, "kOSKextReturnValidation", "(libkern/kext) validation failure (plist/executable)"),
    /** {@code kOSKextReturnAuthentication}. */
    AUTHENTICATION(0xdc00800d, "kOSKextReturnAuthentication",
            "(libkern/kext) authentication failure (file ownership/permissions)"),
    /** {@code kOSKextReturnDependencies}. */
    DEPENDENCIES(0xdc00800e, "kOSKextReturnDependencies", "(libkern/kext) dependency resolution failure"),
    /** {@code kOSKextReturnArchNotFound}. */
    ARCH_NOT_FOUND(0xdc00800f, "kOSKextReturnArchNotFound", "(libkern/kext) requested architecture/executable not found"),
    /** {@code kOSKextReturnCache}. */
    CACHE(0xdc008010, "kOSKextReturnCache", "(libkern/kext) cache error"),
    /** {@code kOSKextReturnDeferred}: the request was queued to user space. */
    DEFERRED(0xdc008011, "kOSKextReturnDeferred", "(libkern/kext) operation deferred (queued to user space)"),
    /** {@code kOSKextReturnBootLevel}: not loadable at the current boot level (safe boot). */
    BOOT_LEVEL(0xdc008012, "kOSKextReturnBootLevel", "(libkern/kext) operation/kext not allowed at current boot level"),
    /** {@code kOSKextReturnNotLoadable}: for example, on the exclude list. */
    NOT_LOADABLE(0xdc008013, "kOSKextReturnNotLoadable", "(libkern/kext) not loadable (reason unspecified)"),
    /** {@code kOSKextReturnLoadedVersionDiffers}. */
    LOADED_VERSION_DIFFERS(0xdc008014, "kOSKextReturnLoadedVersionDiffers",
            "(libkern/kext) different version/uuid already loaded"),
    /** {@code kOSKextReturnDependencyLoadError}: a dependency failed to load. */
    DEPENDENCY_LOAD_ERROR(0xdc008015, "kOSKextReturnDependencyLoadError", "(libkern/kext) dependency load failed"),
    /** {@code kOSKextReturnLinkError}. */
    LINK_ERROR(0xdc008016, "kOSKextReturnLinkError", "(libkern/kext) link error"),
    /** {@code kOSKextReturnStartStopError}: the module start or stop routine failed. */
    START_STOP_ERROR(0xdc008017, "kOSKextReturnStartStopError", "(libkern/kext) kext (kmod) start/stop routine failed"),
    /** {@code kOSKextReturnInUse}: references or instances block the unload. */
    IN_USE(0xdc008018, "kOSKextReturnInUse", "(libkern/kext) kext is in use or retained (cannot unload)"),
    /** {@code kOSKextReturnTimeout}. */
    TIMEOUT(0xdc008019, "kOSKextReturnTimeout", "(libkern/kext) kext request timed out"),
    /** {@code kOSKextReturnStopping}. */
    STOPPING(0xdc00801a, "kOSKextReturnStopping", "(libkern/kext) kext is stopping and cannot issue requests");

    private final int code;
    private final String appleName;
    private final String machErrorString;

    KextReturn(int code, String appleName, String machErrorString) {
        this.code = code;
        this.appleName = appleName;
        this.machErrorString = machErrorString;
    }

    /** Return the 32-bit {@code OSReturn} value, for example {@code 0xdc00800e}. */
    public int code() {
        return code;
    }

    /** Return xnu's constant name, for example {@code kOSKextReturnDependencies}. */
    public String appleName() {
        return appleName;
    }

    /** Return the text {@code mach_error_string()} gives for this code. */
    public String machErrorString() {
        return machErrorString;
    }

    /** Return true for {@link #SUCCESS}. */
    public boolean isSuccess() {
        return this == SUCCESS;
    }

    /** Return the constant for {@code code}, or {@code null} if it is not a known libkern code. */
    public static KextReturn fromCode(int code) {
        for (KextReturn r : values()) {
            if (r.code == code) {
                return r;
            }
        }
        return null;
    }

    /**
     * Return the text kext_tools' {@code safe_mach_error_string()} prints for any code: the known
     * string, or {@code (unknown)} for a code outside this table.
     */
    public static String machErrorString(int code) {
        KextReturn r = fromCode(code);
        return r == null ? "(unknown)" : r.machErrorString;
    }

    /** Return the code as kernel log lines print it, for example {@code 0xdc008017}. */
    public String hex() {
        return String.format("0x%08x", code);
    }
}
