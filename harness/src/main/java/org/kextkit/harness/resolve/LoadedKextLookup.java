package org.kextkit.harness.resolve;

import org.kextkit.harness.bundle.KextBundle;

/**
 * Tell the resolver which kexts are loaded: a loaded kext satisfies a dependency before any copy on
 * disk, and if it is not compatible the dependency fails rather than falling back to another copy.
 *
 * <p>The lifecycle implements this over its table of loaded kexts; kernel pseudo-kexts may be
 * reported as loaded or not, with the same outcome.
 */
@FunctionalInterface
public interface LoadedKextLookup {
    /** A lookup for a kernel with nothing loaded. */
    LoadedKextLookup NONE = bundleId -> null;

    /** Return the loaded kext with {@code bundleId}, or {@code null} if none is loaded. */
    KextBundle loadedBundle(String bundleId);
}
