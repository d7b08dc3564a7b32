package org.kextkit.harness.resolve;

import java.util.ArrayList;
import java.util.List;
import org.kextkit.harness.bundle.KextBundle;
import org.kextkit.harness.repository.KextRepository;
import org.kextkit.harness.version.Compatibility;
import org.kextkit.harness.version.KextVersion;

/**
 * Word the notes that say why a library request failed. Apple's diagnostics name only the library;
 * kextkit adds, after {@code " - "}, which candidates existed and why each lost.
 */
final class Explanations {
    private Explanations() {
    }

    /** Describe a requested version as the Info.plist wrote it. */
    static String request(KextVersion requested) {
        if (requested.isValid()) {
            return requested.toString();
        }
        return "'" + requested.source() + "' (not a valid version string)";
    }

    /**
     * Explain every candidate: {@code requested 2.0; candidates: 1.5 at /x/Lib.kext (its version 1.5
     * is older than the requested 2.0), ...}.
     */
    static String candidates(KextBundle dependent, KextVersion requested, List<KextBundle> candidates) {
        StringBuilder note = requested(dependent, requested).append("; candidates: ");
        for (int i = 0; i < candidates.size(); i++) {
            if (i > 0) {
                note.append(", ");
            }
            KextBundle candidate = candidates.get(i);
            note.append(describe(candidate)).append(" (").append(whyLost(candidate, requested)).append(')');
        }
        return note.toString();
    }

    /** Explain why a loaded library does not satisfy a request, and what would. */
    static String loaded(KextBundle dependent, KextVersion requested, KextBundle loadedCopy, KextBundle alternative) {
        String why = Compatibility.whyIncompatible(loadedCopy.version(), loadedCopy.compatibleVersion(), requested);
        StringBuilder note = requested(dependent, requested)
                .append("; loaded: ").append(describe(loadedCopy)).append(" (").append(why).append("); ")
                .append("a loaded library is always used in preference to other copies, so ");
        if (alternative != null) {
            note.append("unload it to use ").append(describe(alternative));
        } else {
            note.append("unload it and provide a compatible version; no other known copy is compatible");
        }
        return note.toString();
    }

    /** Name the copies of one identifier in a load list and the kexts that asked for each. */
    static String duplicates(List<KextBundle> copies, List<ResolutionGraph.Node> loadList) {
        List<String> parts = new ArrayList<>(copies.size());
        for (KextBundle copy : copies) {
            List<String> requesters = new ArrayList<>();
            for (ResolutionGraph.Node node : loadList) {
                for (ResolutionGraph.Node dep : node.deps) {
                    if (dep.bundle == copy) {
                        requesters.add(node.id);
                    }
                }
            }
            parts.add(describe(copy) + (requesters.isEmpty() ? "" : " (for " + String.join(", ", requesters) + ")"));
        }
        return String.join(", ", parts);
    }

    /** Start a note with the request, naming the key when an architecture variant supplied it. */
    private static StringBuilder requested(KextBundle dependent, KextVersion requested) {
        StringBuilder note = new StringBuilder("requested ").append(request(requested));
        String key = dependent.librariesKey();
        if (!key.equals("OSBundleLibraries")) {
            note.append(" in ").append(key);
        }
        return note;
    }

    private static String describe(KextBundle kext) {
        String version = kext.versionString() == null ? "(no CFBundleVersion)" : kext.versionString();
        return version + " at " + kext.path();
    }

    private static String whyLost(KextBundle candidate, KextVersion requested) {
        String incompatible = Compatibility.whyIncompatible(candidate.version(), candidate.compatibleVersion(), requested);
        String rejected = KextRepository.rejectionReason(candidate);
        if (incompatible == null) {
            return rejected == null ? "compatible" : "compatible, but rejected: " + rejected;
        }
        return rejected == null ? incompatible : incompatible + "; also " + rejected;
    }
}
