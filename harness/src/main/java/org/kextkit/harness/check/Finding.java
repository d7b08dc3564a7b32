package org.kextkit.harness.check;

import java.util.List;
import java.util.Objects;

/**
 * One violation of a check, found while a kext ran in a hosted kernel or while its bytecode was
 * read: what a driver author needs to fix it.
 *
 * @param checkId the stable check id, such as {@code LCK-HELD} (see {@link Checks} and docs/checks.md)
 * @param severity how bad it is
 * @param bundleId the kext's bundle identifier, or {@code null} if no kext could be blamed
 * @param bundleVersion the kext's version string, or {@code null}
 * @param message one or two sentences naming the object and what went wrong
 * @param primarySite where in the kext's code it happened (the frame a fix starts from), or {@code null}
 * @param related other places that matter (allocation, free, the other lock's acquisition, ...)
 * @param context the kernel context it happened in ({@code THREAD}, {@code PRIMARY_INTERRUPT}, ...), or
 *     {@code null} for static findings
 */
public record Finding(String checkId, Severity severity, String bundleId, String bundleVersion, String message,
        CodeSite primarySite, List<RelatedSite> related, String context) {
    /** Check the required parts and copy the related sites. */
    public Finding {
        Objects.requireNonNull(checkId, "checkId");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(message, "message");
        related = related == null ? List.of() : List.copyOf(related);
    }
}
