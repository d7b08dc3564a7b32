package org.kextkit.harness.iokit;

import java.util.List;
import java.util.Set;

/**
 * How the registry gets at the classes of the kext that owns a winning personality: the hosted
 * kernel loads it on demand, with its dependencies, the way {@code IOCatalogue::isModuleLoaded}
 * asks {@code OSKext} to.
 */
@FunctionalInterface
public interface DriverKexts {
    /**
     * Load the kext {@code bundleIdentifier} if it is not loaded yet and return where its classes
     * come from, or why it could not be loaded.
     */
    Result loadForMatching(String bundleIdentifier);

    /**
     * The answer of {@link DriverKexts#loadForMatching}.
     *
     * @param loader the loader of the kext's classes, or {@code null} if it could not be loaded
     * @param classNames the binary names of the kext's own classes (to find an {@code IOClass} given
     *     by its I/O Kit name); empty if the kext cannot list them
     * @param packages packages to look a simple {@code IOClass} name up in (a built-in family's exports)
     * @param failure why the kext could not be loaded, one line each (its load report); empty on success
     */
    record Result(ClassLoader loader, Set<String> classNames, List<String> packages, List<String> failure) {
        /** Copy the collections. */
        public Result {
            classNames = Set.copyOf(classNames);
            packages = List.copyOf(packages);
            failure = List.copyOf(failure);
        }

        /** Return a result for a kext that could not be loaded. */
        public static Result failed(List<String> why) {
            return new Result(null, Set.of(), List.of(), why);
        }

        /** Return true if the kext is loaded. */
        public boolean isLoaded() {
            return loader != null;
        }
    }
}
