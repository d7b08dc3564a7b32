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
    /**
     * Return the finding that records a kernel panic (check {@code PANIC}, fatal): the panic string,
     * the first kext frame of the backtrace as primary site and the other kext frames, outward, as
     * related sites.
     *
     * @param panicString the panic string
     * @param kextFrames the backtrace's frames of kext code, innermost first (may be empty)
     * @param bundleId the kext of the first of them, or {@code null}
     * @param bundleVersion its version, or {@code null}
     * @param context the context the panicking thread ran in
     */
    public static Finding panic(String panicString, List<StackTraceElement> kextFrames, String bundleId,
                                String bundleVersion, String context) {
        // Runs of the same frame (a deep recursion) become one related site with their count.
        List<RelatedSite> related = new java.util.ArrayList<>();
        for (int i = 1; i < kextFrames.size(); ) {
            int run = 1;
            while (i + run < kextFrames.size() && kextFrames.get(i + run).equals(kextFrames.get(i))) {
                run++;
            }
            related.add(new RelatedSite(run == 1 ? "caller" : "caller, " + run + " frames deep",
                    CodeSite.of(kextFrames.get(i))));
            i += run;
        }
        return new Finding(Checks.PANIC, Severity.FATAL, bundleId, bundleVersion, "panic: " + panicString,
                kextFrames.isEmpty() ? null : CodeSite.of(kextFrames.get(0)), related, context);
    }

    /** Check the required parts and copy the related sites. */
    public Finding {
        Objects.requireNonNull(checkId, "checkId");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(message, "message");
        related = related == null ? List.of() : List.copyOf(related);
    }
}
