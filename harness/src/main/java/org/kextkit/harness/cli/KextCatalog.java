package org.kextkit.harness.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.kextkit.harness.bundle.KextBundle;

/**
 * Hold the kexts read from one search set, and answer for each of them what kextutil and kextfind ask
 * of {@code OSKext}: is it valid, authentic, are its dependencies met, what does it depend on.
 *
 * <p>The check methods run the check (once; later calls may return a cached answer) and record what
 * they find in {@link KextBundle#diagnostics()} under the matching
 * {@link org.kextkit.harness.diagnostics.DiagnosticGroup}, so that a later
 * {@code Diagnostics for <path>:} shows it. Dependencies resolve only among the catalog's kexts.
 */
public interface KextCatalog {
    /**
     * Return every kext read, in scan order: search items in the order given, kexts of a repository
     * sorted by directory name, each kext followed by its plug-ins sorted by directory name.
     */
    List<KextBundle> kexts();

    /** Return the kext whose bundle directory is {@code path} (absolute, normalized), or {@code null}. */
    KextBundle kextAt(Path path);

    /**
     * Return the kexts with this identifier, best first: highest version, and among equal versions
     * the one read from the later search item (kext_tools' rule); empty if none.
     */
    List<KextBundle> kextsWithIdentifier(String bundleIdentifier);

    /** Return the best kext with this identifier, or {@code null}. */
    default KextBundle kextWithIdentifier(String bundleIdentifier) {
        List<KextBundle> all = kextsWithIdentifier(bundleIdentifier);
        return all.isEmpty() ? null : all.get(0);
    }

    /** Validate the bundle and its Info.plist; return true if valid (validation failures recorded). */
    boolean validate(KextBundle kext);

    /** Check ownership and permissions; return true if authentic (authentication failures recorded). */
    boolean authenticate(KextBundle kext);

    /**
     * Resolve the kext's {@code OSBundleLibraries} within the catalog; return true if every library
     * (and, recursively, theirs) was found and compatible (dependency failures recorded).
     */
    boolean resolveDependencies(KextBundle kext);

    /**
     * Check the resolved dependencies themselves: each must be valid, and authentic too when
     * {@code authenticate} is true. Return false if resolution failed or any check fails.
     */
    boolean checkDependencies(KextBundle kext, boolean authenticate);

    /**
     * Return true if the kext could be loaded: valid, authentic, dependencies resolved and themselves
     * valid and authentic ({@code OSKextIsLoadable}).
     */
    boolean isLoadable(KextBundle kext);

    /**
     * Return true if the kext and all its dependencies are eligible in safe boot (an
     * {@code OSBundleRequired} other than {@code DriverKit}); reasons are recorded under
     * {@link org.kextkit.harness.diagnostics.DiagnosticGroup#BOOT_LEVEL}.
     */
    boolean isLoadableInSafeBoot(KextBundle kext);

    /**
     * Return all the kext's dependencies, direct and indirect, each once, dependencies before their
     * dependents; empty if they cannot be resolved.
     */
    List<KextBundle> dependencies(KextBundle kext);

    /** Return every kext in the catalog that depends on this one, directly or indirectly, each once. */
    List<KextBundle> dependents(KextBundle kext);

    /**
     * Link the kext's executable against its resolved libraries without loading it, or return empty if
     * this catalog cannot link (kextutil then says "not including linkage").
     */
    Optional<TrialLink> trialLink(KextBundle kext);
}
