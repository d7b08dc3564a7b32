package org.kextkit.harness.bundle;

import java.util.List;

/**
 * Hold the outcome of scanning a repository folder: every kext and plug-in that could be read, and
 * a problem for every path that could not.
 *
 * @param bundles the kexts in name order, each followed by its plug-ins
 * @param problems the paths that could not be read, with the reasons
 */
public record ScanResult(List<KextBundle> bundles, List<BundleProblem> problems) {
    /** Copy the lists. */
    public ScanResult {
        bundles = List.copyOf(bundles);
        problems = List.copyOf(problems);
    }
}
