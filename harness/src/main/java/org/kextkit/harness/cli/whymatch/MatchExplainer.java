package org.kextkit.harness.cli.whymatch;

import org.kextkit.harness.cli.KernelUnavailableException;
import org.kextkit.harness.iokit.MatchReport;

/**
 * The kernel side of {@code whymatch}: find the kext and the nub, and explain the match. The daemon
 * serves it from its running kernel; the command line run in-process boots a kernel for the command.
 */
@FunctionalInterface
public interface MatchExplainer {
    /**
     * Explain why {@code kext}'s personalities did or did not match {@code nub}.
     *
     * @param kext a bundle identifier, or the path of a {@code .kext} (resolved against the client's
     *     working directory) whose personalities are sent to the catalogue first
     * @param nub a registry path, {@code name[@location]} or registry entry ID
     * @param cwd the client's working directory
     * @return the answer, or the reason there is none
     * @throws KernelUnavailableException if no kernel can be reached
     */
    Answer explain(String kext, String nub, java.nio.file.Path cwd) throws KernelUnavailableException;

    /** Return true if this explainer boots a kernel for the command rather than using a running one. */
    default boolean bootsOwnKernel() {
        return false;
    }

    /**
     * What {@link #explain} found.
     *
     * @param bundleIdentifier the kext's identifier
     * @param personalities the names of the kext's personalities, in file order (empty if the kernel
     *     does not know the kext's Info.plist)
     * @param report the explanation and the nub's last matching, or {@code null} on error
     * @param error why there is no report (the kext or the nub was not found), or {@code null}
     */
    record Answer(String bundleIdentifier, java.util.List<String> personalities, MatchReport report, String error) {
        /** Copy the list. */
        public Answer {
            personalities = personalities == null ? java.util.List.of() : java.util.List.copyOf(personalities);
        }

        /** Return an answer that says why there is none. */
        public static Answer failed(String error) {
            return new Answer(null, java.util.List.of(), null, error);
        }
    }
}
