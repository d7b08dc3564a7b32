package org.kextkit.harness.resolve;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.kextkit.harness.bundle.KextBundle;

/**
 * Report the outcome of resolving one kext's dependencies: whether it can load, the load list, each
 * kext's dependencies and what it links against, and the error-level log lines Apple's tools print.
 *
 * <p>Diagnostics are not held here: they were appended to the kexts involved (see
 * {@link KextBundle#diagnostics()}). Querying is safe from any thread.
 */
public final class Resolution {
    private final KextBundle root;
    private final ResolutionGraph.Node rootNode;
    private final boolean resolved;
    private final ResolutionGraph graph;
    private final List<String> logLines;
    private List<KextBundle> loadList;

    Resolution(KextBundle root, ResolutionGraph.Node rootNode, boolean resolved, ResolutionGraph graph,
               List<String> logLines) {
        this.root = root;
        this.rootNode = rootNode;
        this.resolved = resolved;
        this.graph = graph;
        this.logLines = List.copyOf(logLines);
    }

    /**
     * Merge the load lists of a batch into one: the resolved roots' load lists in order, each kext at
     * its first occurrence, so that every kext still follows its dependencies. Unresolved roots are
     * left out.
     */
    public static List<KextBundle> combinedLoadList(List<Resolution> resolutions) {
        ResolutionGraph shared = null;
        List<ResolutionGraph.Node> roots = new ArrayList<>(resolutions.size());
        boolean oneGraph = true;
        for (Resolution resolution : resolutions) {
            if (resolution.resolved) {
                shared = shared == null ? resolution.graph : shared;
                oneGraph &= resolution.graph == shared;
                roots.add(resolution.rootNode);
            }
        }
        if (shared == null) {
            return List.of();
        }
        if (oneGraph) {
            synchronized (shared) {
                return shared.loadList(roots);
            }
        }
        Map<KextBundle, Boolean> seen = new IdentityHashMap<>();
        List<KextBundle> merged = new ArrayList<>();
        for (Resolution resolution : resolutions) {
            for (KextBundle kext : resolution.loadList()) {
                if (seen.put(kext, Boolean.TRUE) == null) {
                    merged.add(kext);
                }
            }
        }
        return List.copyOf(merged);
    }

    /** Return the kext that was resolved. */
    public KextBundle root() {
        return root;
    }

    /** Return true if every dependency was found, compatible and valid, so the root may be loaded. */
    public boolean isResolved() {
        return resolved;
    }

    /**
     * Return the kexts to load, dependencies first in the order the Info.plists declare them, each
     * once, and the root last; kernel pseudo-kexts included. Empty unless {@link #isResolved()}.
     */
    public List<KextBundle> loadList() {
        if (!resolved) {
            return List.of();
        }
        synchronized (graph) {
            if (loadList == null) {
                loadList = ResolutionGraph.bundles(graph.loadList(rootNode));
            }
            return loadList;
        }
    }

    /**
     * Return what is left of {@link #loadList()} when the kexts {@code present} accepts are there
     * already: the load list's other kexts, in the same order. Empty unless {@link #isResolved()}.
     *
     * <p>The walk does not go below a present kext unless a kext without an executable lies below
     * it, so it costs the part of the graph that is missing rather than the root's whole closure.
     * {@code present} must therefore accept every kext with an executable, and every kernel
     * component, in the closure of a kext it accepts; the kexts a kernel has loaded qualify, since a
     * loaded kext's libraries stay loaded while it is.
     */
    public List<KextBundle> loadListWithout(Predicate<KextBundle> present) {
        if (!resolved) {
            return List.of();
        }
        synchronized (graph) {
            return graph.loadListWithout(rootNode, present);
        }
    }

    /**
     * Return the kexts chosen for {@code kext}'s {@code OSBundleLibraries}, in declaration order;
     * for a kext whose resolution failed, those that were found.
     *
     * @throws IllegalArgumentException if {@code kext} was not reached while resolving
     */
    public List<KextBundle> dependencies(KextBundle kext) {
        synchronized (graph) {
            ResolutionGraph.Node node = nodeOf(kext);
            List<KextBundle> deps = new ArrayList<>(node.deps.length);
            for (ResolutionGraph.Node dep : node.deps) {
                deps.add(dep.bundle);
            }
            return List.copyOf(deps);
        }
    }

    /**
     * Return the kexts {@code kext} links against directly, as kextstat's "Linked Against" column
     * shows them: its dependencies, with each codeless library replaced by what that library links
     * against (the kernel never links against a kext without code).
     *
     * @throws IllegalArgumentException if {@code kext} was not reached while resolving
     */
    public List<KextBundle> linkDependencies(KextBundle kext) {
        synchronized (graph) {
            return graph.linkDependencies(nodeOf(kext));
        }
    }

    /**
     * Return the error-level lines Apple's tools log while resolving, such as
     * {@code /L/Foo.kext - dependency 'com.example.Lib' not found.}, in the order they arose.
     */
    public List<String> logLines() {
        return logLines;
    }

    private ResolutionGraph.Node nodeOf(KextBundle kext) {
        ResolutionGraph.Node node = graph.find(kext);
        if (node == null) {
            throw new IllegalArgumentException(kext + " is not in the dependency graph of " + root
                    + "; ask about the root or a kext in its load list.");
        }
        return node;
    }

    @Override
    public String toString() {
        return root.displayName() + (resolved ? " resolved" : " unresolved");
    }
}
