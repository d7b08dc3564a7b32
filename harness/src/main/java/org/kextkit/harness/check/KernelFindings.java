package org.kextkit.harness.check;

import java.util.ArrayList;
import java.util.List;

/**
 * The findings of one hosted kernel, in the order they were reported. Checks report here through
 * {@link #report}; reports and tests read {@link #list()}.
 */
public final class KernelFindings implements FindingSink {
    private final List<Finding> findings = new ArrayList<>();

    @Override
    public synchronized void report(Finding finding) {
        findings.add(finding);
    }

    /** Return the findings so far, oldest first. */
    public synchronized List<Finding> list() {
        return List.copyOf(findings);
    }
}
