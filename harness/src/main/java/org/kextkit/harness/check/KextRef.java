package org.kextkit.harness.check;

import java.util.Objects;

/**
 * A kext a report covers, with its version: reports list every kext that was checked, including those
 * with no findings.
 *
 * @param bundleId the bundle identifier
 * @param version the version string, or {@code null} if unknown
 */
public record KextRef(String bundleId, String version) {
    /** Check the identifier. */
    public KextRef {
        Objects.requireNonNull(bundleId, "bundleId");
    }
}
