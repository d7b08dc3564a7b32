package org.kextkit.harness.check;

/** Where checks report what they find; a kernel's collector deduplicates by check id and site. */
@FunctionalInterface
public interface FindingSink {
    /** Report one finding. */
    void report(Finding finding);
}
