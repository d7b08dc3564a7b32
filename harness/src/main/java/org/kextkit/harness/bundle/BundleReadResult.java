package org.kextkit.harness.bundle;

import java.util.List;
import java.util.Optional;

/**
 * Hold the outcome of reading one kext: the bundle (if it could be read), its plug-ins, and the
 * problems met on the way. A kext whose plug-in is broken still reads; the plug-in's problem is
 * listed here.
 *
 * @param bundle the kext, or empty if it could not be read
 * @param bundles the kext followed by its plug-ins, in the order their sequence numbers were given
 * @param problems the paths that could not be read, with the reasons
 */
public record BundleReadResult(Optional<KextBundle> bundle, List<KextBundle> bundles, List<BundleProblem> problems) {
    /** Copy the lists. */
    public BundleReadResult {
        bundles = List.copyOf(bundles);
        problems = List.copyOf(problems);
    }

    /** Return true if the kext itself was read (its plug-ins may still have problems). */
    public boolean isRead() {
        return bundle.isPresent();
    }
}
