package org.kextkit.harness.lifecycle;

import java.util.List;

/**
 * Tell what an unload request did.
 *
 * @param bundleId the kext asked for
 * @param result {@link KextReturn#SUCCESS}, or why the kext stays loaded
 * @param messages the kernel's explanation, in Apple's wording, one line each
 */
public record UnloadReport(String bundleId, KextReturn result, List<String> messages) {
    /** Return true if the kext was unloaded. */
    public boolean isUnloaded() {
        return result == KextReturn.SUCCESS;
    }
}
