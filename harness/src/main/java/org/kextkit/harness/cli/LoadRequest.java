package org.kextkit.harness.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Describe one load request from kextload or kextutil.
 *
 * <p>Exactly one of {@code kext} and {@code bundleIdentifier} is set. {@code searchPaths} is the whole
 * set of places to read kexts from, already in kext_tools' order: the configured extension folders
 * (unless {@code kextutil -e}), the kexts named on the command line, the {@code -r} repositories, then
 * the {@code -d} dependencies. Among kexts with the same identifier and version, one read from a later
 * entry wins (kext_tools' "last opened wins").
 *
 * @param kext the kext bundle to load (absolute), or {@code null} when loading by identifier
 * @param bundleIdentifier the identifier to load (highest version known), or {@code null}
 * @param searchPaths kexts and repository directories to read, absolute, in increasing priority
 * @param mode what to do: load and start and send personalities, or a part of that
 * @param personalityNames for {@link Mode#LOAD_START_AND_MATCH} and {@link Mode#MATCH_ONLY}: send only
 *     these personalities of the requested kext ({@code kextutil -p}); empty means all
 * @param safeBoot true to apply safe-boot rules to this load ({@code kextutil -x})
 */
public record LoadRequest(Path kext, String bundleIdentifier, List<Path> searchPaths, Mode mode,
                          List<String> personalityNames, boolean safeBoot) {
    /** Choose which stages of a load to run. */
    public enum Mode {
        /** Load (link), start, and send personalities to the IOCatalogue: what kextload does. */
        LOAD_START_AND_MATCH,
        /** Load and start, but send no personalities ({@code kextutil -l}). */
        LOAD_AND_START,
        /** Send the personalities of the kext and its dependencies only ({@code kextutil -m}). */
        MATCH_ONLY
    }

    /** Check that exactly one target is given and copy the lists. */
    public LoadRequest {
        if ((kext == null) == (bundleIdentifier == null)) {
            throw new IllegalArgumentException("a load request names either a kext path or a bundle identifier");
        }
        searchPaths = List.copyOf(searchPaths);
        Objects.requireNonNull(mode, "mode");
        personalityNames = personalityNames == null ? List.of() : List.copyOf(personalityNames);
    }

    /** Return a request to load the kext at {@code kext} with kextload's defaults. */
    public static LoadRequest ofPath(Path kext, List<Path> searchPaths) {
        return new LoadRequest(kext, null, searchPaths, Mode.LOAD_START_AND_MATCH, List.of(), false);
    }

    /** Return a request to load the highest version of {@code bundleIdentifier} with kextload's defaults. */
    public static LoadRequest ofIdentifier(String bundleIdentifier, List<Path> searchPaths) {
        return new LoadRequest(null, bundleIdentifier, searchPaths, Mode.LOAD_START_AND_MATCH, List.of(), false);
    }
}
