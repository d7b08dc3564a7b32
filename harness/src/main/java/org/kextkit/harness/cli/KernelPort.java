package org.kextkit.harness.cli;

import java.util.List;
import org.kextkit.harness.check.FindingsReport;

/**
 * Give the kext commands access to a running hosted kernel: what is loaded, and requests to load,
 * unload and terminate.
 *
 * <p>This is the seam between the commands and {@code org.kextkit.harness.lifecycle}: the kernel
 * side implements it; kextstat, kextload, kextunload, kextutil (when loading) and
 * {@code kextfind -loaded} call it. Every method may be called from any thread, once per command
 * invocation. A method throws {@link KernelUnavailableException} only when the kernel cannot be
 * reached at all (not booted, shut down); a request the kernel refuses is a {@link KernelResponse}
 * with a failure code and the kernel's log lines.
 */
public interface KernelPort {
    /**
     * Return every loaded kext, including the kernel pseudo-kexts; the kernel itself (tag 0) may be
     * included and is never printed.
     */
    List<KextstatRow> loadedKexts() throws KernelUnavailableException;

    /**
     * Load a kext and whatever it depends on, as kextd does for kextload and the kernel does for
     * kextutil: read and resolve against {@link LoadRequest#searchPaths()}, link, start and send
     * personalities as {@link LoadRequest#mode()} says. A kext that is already loaded with the same
     * version succeeds.
     */
    KernelResponse load(LoadRequest request) throws KernelUnavailableException;

    /**
     * Run one command's load requests in order, each with the outcome {@link #load} would give it,
     * and hand each response to {@code listener} as soon as it is known. This is what kextload does
     * with the kexts named on one command line, which, like kext_tools, it reads once: a kernel may
     * read the search paths that several requests share (kextload's requests all share theirs) once
     * for all of them instead of once per request. The default calls {@link #load} for each.
     *
     * @throws KernelUnavailableException if the kernel cannot be reached; the requests before the one
     *     that failed have been given to {@code listener}
     */
    default void loadEach(List<LoadRequest> requests, LoadListener listener) throws KernelUnavailableException {
        for (int i = 0; i < requests.size(); i++) {
            listener.answered(i, load(requests.get(i)));
        }
    }

    /** Receive the responses of {@link #loadEach}, in request order. */
    @FunctionalInterface
    interface LoadListener {
        /** Take the response to request number {@code index}. */
        void answered(int index, KernelResponse response);
    }

    /**
     * Unload the kext with this identifier ({@link UnloadMode#UNLOAD}: terminate its services, remove
     * its personalities, stop and unload it), or only terminate its services and remove its
     * personalities ({@link UnloadMode#TERMINATE_AND_REMOVE_PERSONALITIES}, {@code kextunload -p}).
     */
    KernelResponse unload(String bundleIdentifier, UnloadMode mode) throws KernelUnavailableException;

    /**
     * Terminate every instance of the I/O Kit class {@code className} and of its subclasses, without
     * unloading anything or removing personalities ({@code kextunload -c}).
     */
    KernelResponse terminateInstances(String className) throws KernelUnavailableException;

    /**
     * Return what the kernel's checks have found so far, deduplicated, with the kernel's own check
     * settings applied (see docs/checks.md). The default, for kernels that run no checks, is
     * {@link FindingsReport#EMPTY}.
     */
    default FindingsReport findings() throws KernelUnavailableException {
        return FindingsReport.EMPTY;
    }
}
