package org.kextkit.harness.cli.internal;

import com.dd.plist.NSDictionary;
import com.dd.plist.NSNumber;
import com.dd.plist.NSObject;
import java.util.Set;
import org.kextkit.harness.bundle.KextBundle;

/**
 * Answer questions about a kext that its Info.plist alone settles, as IOKitUser's
 * {@code OSKextIsLoadableInSafeBoot} and {@code OSKextHasLogOrDebugFlags} do.
 */
public final class BundleFacts {
    /** The {@code OSBundleRequired} values that make a kext eligible in safe boot. */
    public static final Set<String> SAFE_BOOT_VALUES = Set.of("Root", "Local-Root", "Network-Root", "Console", "Safe Boot");

    private BundleFacts() {
    }

    /** Return true if the kext's own {@code OSBundleRequired} allows it in safe boot. */
    public static boolean isEligibleInSafeBoot(KextBundle kext) {
        String required = kext.osBundleRequired();
        return required != null && SAFE_BOOT_VALUES.contains(required);
    }

    /**
     * Return true if {@code OSBundleEnableKextLogging} is true or any personality has a non-zero
     * {@code IOKitDebug}.
     */
    public static boolean hasDebugProperties(KextBundle kext) {
        if (kext.booleanValue("OSBundleEnableKextLogging")) {
            return true;
        }
        for (NSObject personality : kext.personalities().values()) {
            if (personality instanceof NSDictionary) {
                NSObject debug = ((NSDictionary) personality).objectForKey("IOKitDebug");
                if (debug instanceof NSNumber && isNonZero((NSNumber) debug)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean isNonZero(NSNumber number) {
        switch (number.type()) {
            case NSNumber.BOOLEAN:
                return number.boolValue();
            case NSNumber.REAL:
                return number.doubleValue() != 0.0;
            default:
                return number.longValue() != 0;
        }
    }
}
