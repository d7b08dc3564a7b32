package org.kextkit.harness.iokit.matching;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.kextkit.kit.iokit.IOService;

/**
 * The personalities of every known kext and the matching of nubs against them: the kernel's
 * {@code IOCatalogue} (xnu {@code IOCatalogue.cpp}, {@code IOService::probeCandidates}).
 *
 * <p>{@code IOCatalogue} in this package is the implementation; the registry only uses this
 * interface, so its tests can substitute a simple one.
 */
public interface DriverCatalogue {
    /**
     * Add the personalities of one kext ({@code IOKitPersonalities}: personality name to matching
     * dictionary), skipping exact duplicates of personalities already present.
     *
     * @param bundleIdentifier the kext the personalities come from; a personality without
     *     {@code CFBundleIdentifier} belongs to it
     * @param personalities personality name to dictionary, in file order
     * @param source the Info.plist path (or another description) warnings name
     * @param warnings receives one line per problem, naming the source, the personality and the key
     * @return how many personalities were added
     */
    int addDrivers(String bundleIdentifier, Map<String, Map<String, Object>> personalities, String source,
            Consumer<String> warnings);

    /** Remove every personality that belongs to {@code bundleIdentifier}; return how many were removed. */
    int removeDrivers(String bundleIdentifier);

    /** Return how many personalities the catalogue holds. */
    int size();

    /**
     * Find the drivers for {@code nub}: candidates by provider class including superclasses, passive
     * keys, family matching ({@code matchPropertyTable}, which may reject or rescore), ordered by
     * descending score with ties in insertion order. Module loading, probe and start are the caller's.
     */
    List<MatchCandidate> findDrivers(IOService nub, MatchContext context);

    /**
     * Explain, personality by personality and key by key, why each personality of the nub's class
     * chain (and every personality of {@code bundleIdentifier}, if not {@code null}, whatever its
     * provider class) did or did not match {@code nub}, with the score each candidate got.
     */
    MatchExplanation explain(IOService nub, MatchContext context, String bundleIdentifier);

    /** What matching needs to know about the nub's current clients. */
    interface MatchContext {
        /** Return true if the nub already has a started client in {@code category}. */
        boolean categoryTaken(String category);

        /** Return how many started clients of the nub have a match category ({@code IOMatchedServiceCountMatch}). */
        int matchedServiceCount();

        /** A context for a nub with no clients. */
        MatchContext EMPTY = new MatchContext() {
            @Override
            public boolean categoryTaken(String category) {
                return false;
            }

            @Override
            public int matchedServiceCount() {
                return 0;
            }
        };
    }
}
