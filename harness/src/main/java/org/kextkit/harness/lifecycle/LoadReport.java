package org.kextkit.harness.lifecycle;

import java.util.List;
import org.kextkit.harness.bundle.KextBundle;

/**
 * Tell what a load request did with one kext.
 *
 * @param kext the kext that was asked for
 * @param status whether it is loaded now
 * @param result the libkern return code ({@link KextReturn#SUCCESS} unless it failed)
 * @param messages the explanation, one line each: resolution log lines, link findings, the start
 *     routine's failure; empty on success
 */
public record LoadReport(KextBundle kext, Status status, KextReturn result, List<String> messages) {
    /** What became of the kext. */
    public enum Status {
        /** It was loaded (and started) by this request. */
        LOADED,
        /** The same kext (same version and executable) was loaded already. */
        ALREADY_LOADED,
        /** It is not loaded; see {@link #result()} and {@link #messages()}. */
        FAILED
    }

    /** Return true if the kext is loaded after the request. */
    public boolean isLoaded() {
        return status != Status.FAILED;
    }
}
