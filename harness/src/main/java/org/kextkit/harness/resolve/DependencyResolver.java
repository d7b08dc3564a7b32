package org.kextkit.harness.resolve;

import static org.kextkit.harness.diagnostics.DiagnosticGroup.DEPENDENCIES;
import static org.kextkit.harness.diagnostics.DiagnosticGroup.VALIDATION;
import static org.kextkit.harness.diagnostics.DiagnosticGroup.WARNINGS;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.kextkit.harness.bundle.KextBundle;
import org.kextkit.harness.diagnostics.KextDiagnostics;
import org.kextkit.harness.repository.KernelPseudoKexts;
import org.kextkit.harness.repository.KextRepository;
import org.kextkit.harness.resolve.ResolutionGraph.Node;
import org.kextkit.harness.resolve.ResolutionGraph.State;
import org.kextkit.harness.resolve.internal.AppleCopyright;
import org.kextkit.harness.version.Compatibility;
import org.kextkit.harness.version.KextVersion;

/**
 * Resolve kexts' {@code OSBundleLibraries} against a {@link KextRepository} the way IOKitUser's
 * resolver does for kextutil and kextload, and build their load lists.
 *
 * <p>For each library, in the order the Info.plist declares them: a loaded kext with that identifier
 * is used if it is compatible and fails the dependency if not; otherwise the most preferred
 * compatible candidate that is neither invalid nor inauthentic. Dependencies are resolved
 * depth-first; a kext reached twice in one call is resolved once. Problems are appended to the
 * {@link KextBundle#diagnostics()} of the kext that has them and of the root, with Apple's wording;
 * the value of each failed library carries a note saying which candidates existed and why each lost.
 * The host is always 64-bit, so legacy {@code com.apple.kernel.*} libraries fail a kext with code.
 *
 * <p>Resolving never throws for a bad graph. A resolver is not thread-safe: the lifecycle resolves
 * one request at a time, as the kernel does under its kext lock.
 */
public final class DependencyResolver {
    private static final String KPI_PREFIX = "com.apple.kpi.";
    private static final String PRIVATE_KPI = "com.apple.kpi.private";
    private static final String KERNEL_STYLE_PREFIX = KernelPseudoKexts.KERNEL_ID + ".";

    private final KextRepository repository;
    private final LoadedKextLookup loaded;

    /** Create a resolver for a kernel with nothing loaded. */
    public DependencyResolver(KextRepository repository) {
        this(repository, LoadedKextLookup.NONE);
    }

    /** Create a resolver that prefers the kexts {@code loaded} reports. */
    public DependencyResolver(KextRepository repository, LoadedKextLookup loaded) {
        this.repository = Objects.requireNonNull(repository, "repository");
        this.loaded = Objects.requireNonNull(loaded, "loaded");
    }

    /** Resolve one kext and build its load list. */
    public Resolution resolve(KextBundle root) {
        Objects.requireNonNull(root, "root");
        return new Run(new ResolutionGraph(), root).resolution();
    }

    /**
     * Resolve several kexts for one batch load, sharing the work: a kext reached from several roots
     * is resolved once. Return one resolution per root, in the same order.
     */
    public List<Resolution> resolveAll(List<KextBundle> roots) {
        ResolutionGraph graph = new ResolutionGraph();
        List<Resolution> resolutions = new ArrayList<>(roots.size());
        for (KextBundle root : roots) {
            resolutions.add(new Run(graph, Objects.requireNonNull(root, "root")).resolution());
        }
        return resolutions;
    }

    /** Resolution of one root: the loop stack, the flags of each kext on it, and the log. */
    private final class Run {
        private final ResolutionGraph graph;
        private final KextBundle root;
        private final List<Frame> stack = new ArrayList<>();
        private final List<String> log = new ArrayList<>();

        Run(ResolutionGraph graph, KextBundle root) {
            this.graph = graph;
            this.root = root;
        }

        Resolution resolution() {
            Node rootNode = graph.node(root);
            // Only the root's own load list decides these; resolving it as someone's library keeps them.
            root.diagnostics().remove(WARNINGS, DependencyMessages.BOOT_LEVEL_DEPENDENCY);
            boolean resolved = resolve(rootNode);
            // Walking the load list is most of the cost of a batch; skip it when no check can fail.
            if (resolved && (rootNode.closureSuspect || graph.mayHoldDuplicates()
                    || BootLevel.of(root.osBundleRequired()) != BootLevel.ANY)) {
                resolved = checkLoadList(graph.loadList(rootNode));
            }
            return new Resolution(root, rootNode, resolved, graph, log);
        }

        /** Resolve depth-first with an explicit stack, so a long chain of kexts cannot overflow the JVM's. */
        private boolean resolve(Node start) {
            Boolean outcome = enter(start);
            if (outcome != null) {
                return outcome;
            }
            while (true) {
                Frame top = stack.get(stack.size() - 1);
                if (top.next < top.node.deps.length) {
                    Node dep = top.node.deps[top.next++];
                    Boolean depOutcome = enter(dep);
                    if (Boolean.FALSE.equals(depOutcome)) {
                        indirectFailure(top, dep);
                    }
                } else {
                    boolean ok = finish(top);
                    stack.remove(stack.size() - 1);
                    if (stack.isEmpty()) {
                        return ok;
                    }
                    if (!ok) {
                        indirectFailure(stack.get(stack.size() - 1), top.node);
                    }
                }
            }
        }

        /**
         * Start resolving a kext: return its outcome if already known, or push it, choose its
         * libraries and return {@code null} so that the caller walks them.
         */
        private Boolean enter(Node node) {
            switch (node.state) {
                case RESOLVED:
                    return true;
                case FAILED:
                    return false;
                case ACTIVE:
                    circularReference(node);
                    return false;
                default:
                    break;
            }
            KextBundle kext = node.bundle;
            node.suspect = KextRepository.rejectionReason(kext) != null;
            if (kext.diagnostics().has(VALIDATION)) {
                log.add(kext.path() + " is invalid; can't resolve dependencies.");
                node.state = State.FAILED;
                node.failure = "it has validation failures";
                return false;
            }
            flushResolutionDiagnostics(kext.diagnostics());
            if (kext.isKernelComponent()) {
                node.state = State.RESOLVED;
                node.closureSuspect = node.suspect;
                return true;
            }
            node.state = State.ACTIVE;
            Frame frame = new Frame(node);
            stack.add(frame);
            chooseLibraries(frame);
            return null;
        }

        private void chooseLibraries(Frame frame) {
            KextBundle kext = frame.node.bundle;
            Map<String, String> libraries = kext.libraries();
            List<Node> deps = new ArrayList<>(libraries.size());
            for (Map.Entry<String, String> library : libraries.entrySet()) {
                String libId = library.getKey();
                KextVersion requested = KextVersion.parse(library.getValue(), kext.grammar());
                frame.classify(libId);
                KextBundle chosen;
                KextBundle loadedCopy = loaded.loadedBundle(libId);
                if (loadedCopy != null) {
                    if (!Compatibility.isCompatible(loadedCopy.version(), loadedCopy.compatibleVersion(), requested)) {
                        loadedIncompatible(frame, libId, requested, loadedCopy);
                        continue;
                    }
                    chosen = loadedCopy;
                } else {
                    chosen = compatibleCandidate(libId, requested);
                    if (chosen == null) {
                        unsatisfied(frame, libId, requested);
                        continue;
                    }
                }
                deps.add(graph.node(chosen));
            }
            frame.node.deps = deps.toArray(ResolutionGraph.NO_NODES);

            if (frame.rawKernel) {
                kext.diagnostics().add(DEPENDENCIES, DependencyMessages.RAW_KERNEL);
                frame.fail("it declares a dependency on " + KernelPseudoKexts.KERNEL_ID);
            }
            if (kext.isInterface() && deps.size() != 1) {
                log.add(kext.path() + " - " + DependencyMessages.INTERFACE_NEEDS_ONE_DEPENDENCY);
                kext.diagnostics().add(DEPENDENCIES, DependencyMessages.INTERFACE_NEEDS_ONE_DEPENDENCY);
                frame.fail("it is an interface kext with " + deps.size() + " dependencies");
            }
        }

        /** Return the most preferred compatible candidate that may be used, logging those rejected. */
        private KextBundle compatibleCandidate(String libId, KextVersion requested) {
            for (KextBundle candidate : repository.candidates(libId)) {
                if (Compatibility.isCompatible(candidate.version(), candidate.compatibleVersion(), requested)) {
                    if (KextRepository.rejectionReason(candidate) == null) {
                        return candidate;
                    }
                    log.add("Rejecting invalid/inauthentic kext for bundle id " + libId + " at location "
                            + candidate.path() + ".");
                }
            }
            return null;
        }

        private void unsatisfied(Frame frame, String libId, KextVersion requested) {
            KextBundle kext = frame.node.bundle;
            KextDiagnostics diagnostics = kext.diagnostics();
            List<KextBundle> candidates = repository.candidates(libId);
            if (candidates.isEmpty()) {
                log.add(kext.path() + " - dependency '" + libId + "' not found.");
                diagnostics.add(DEPENDENCIES, DependencyMessages.NO_KEXTS_FOUND, libId, nearMiss(libId));
                frame.fail("no kext found for " + libId);
                return;
            }
            String note = Explanations.candidates(kext, requested, candidates);
            boolean compatibleButRejected = false;
            for (KextBundle candidate : candidates) {
                compatibleButRejected |= KextRepository.rejectionReason(candidate) != null
                        && Compatibility.isCompatible(candidate.version(), candidate.compatibleVersion(), requested);
            }
            if (compatibleButRejected) {
                log.add(kext.path() + " - no compatible dependency found for " + libId + ".");
                diagnostics.add(DEPENDENCIES, DependencyMessages.DEPENDENCIES_INVALID, libId, note);
                frame.fail("every compatible " + libId + " has validation or authentication failures");
            } else if (!candidates.get(0).isLibrary()) {
                log.add(kext.path() + " - dependency for " + libId + " lacks valid OSBundleCompatibleVersion.");
                diagnostics.add(DEPENDENCIES, DependencyMessages.LACKS_COMPATIBLE_VERSION, libId, note);
                frame.fail(libId + " is not a library (no valid OSBundleCompatibleVersion)");
            } else {
                log.add(kext.path() + " - no compatible dependency found for " + libId + ".");
                diagnostics.add(DEPENDENCIES, DependencyMessages.ONLY_INCOMPATIBLE, libId, note);
                frame.fail("no compatible " + libId + " for the requested " + Explanations.request(requested));
            }
        }

        private void loadedIncompatible(Frame frame, String libId, KextVersion requested, KextBundle loadedCopy) {
            KextBundle kext = frame.node.bundle;
            KextBundle alternative = null;
            for (KextBundle candidate : repository.candidates(libId)) {
                if (candidate != loadedCopy && KextRepository.rejectionReason(candidate) == null
                        && Compatibility.isCompatible(candidate.version(), candidate.compatibleVersion(), requested)) {
                    alternative = candidate;
                    break;
                }
            }
            String note = Explanations.loaded(kext, requested, loadedCopy, alternative);
            if (!loadedCopy.compatibleVersion().isValid()) {
                log.add(kext.path() + " - loaded dependency " + libId + " lacks valid OSBundleCompatibleVersion.");
                kext.diagnostics().add(DEPENDENCIES, DependencyMessages.LOADED_LACKS_COMPATIBLE_VERSION, libId, note);
                frame.fail("the loaded " + libId + " is not a library");
            } else {
                log.add(kext.path() + " - loaded dependency " + libId + ", v" + loadedCopy.version().canonical()
                        + " is not compatible with requested version " + requested.canonical() + ".");
                kext.diagnostics().add(DEPENDENCIES, DependencyMessages.LOADED_INCOMPATIBLE, libId, note);
                frame.fail("the loaded " + libId + " " + loadedCopy.versionString()
                        + " is not compatible with the requested " + Explanations.request(requested));
            }
        }

        /** Name a known identifier that differs only in letter case, the usual typo. */
        private String nearMiss(String libId) {
            for (String known : repository.identifiers()) {
                if (known.equalsIgnoreCase(libId)) {
                    List<KextBundle> candidates = repository.candidates(known);
                    return "no kext has this identifier; " + known + " at " + candidates.get(0).path()
                            + " differs only in letter case";
                }
            }
            return null;
        }

        private void circularReference(Node node) {
            StringBuilder cycle = new StringBuilder();
            int start = stack.size() - 1;
            while (start > 0 && stack.get(start).node != node) {
                start--;
            }
            for (int i = start; i < stack.size(); i++) {
                cycle.append(stack.get(i).node.id).append(" -> ");
            }
            cycle.append(node.id);
            String id = node.id;
            root.diagnostics().add(DEPENDENCIES, DependencyMessages.CIRCULAR_REFERENCE, id, cycle.toString());
            node.bundle.diagnostics().add(DEPENDENCIES, DependencyMessages.CIRCULAR_REFERENCE, id, cycle.toString());
            if (node.failure == null) {
                node.failure = "it is part of the circular reference " + cycle;
            }
        }

        /** Record on every kext being resolved that {@code dep}, somewhere below it, failed. */
        private void indirectFailure(Frame parent, Node dep) {
            String id = dep.id;
            for (Frame frame : stack) {
                frame.node.bundle.diagnostics().add(DEPENDENCIES, DependencyMessages.INDIRECT_UNRESOLVABLE, id, dep.failure);
            }
            parent.fail("its library " + id + " can't be resolved");
        }

        /** Apply the checks that need the whole subgraph resolved, pop the kext and memoise the outcome. */
        private boolean finish(Frame frame) {
            KextBundle kext = frame.node.bundle;
            KextDiagnostics diagnostics = kext.diagnostics();
            if (kext.declaresExecutable()) {
                if (frame.kernelStyle) {
                    diagnostics.add(DEPENDENCIES, DependencyMessages.KERNEL_STYLE_ON_64_BIT);
                    frame.fail("it declares com.apple.kernel.* libraries, which a 64-bit kernel does not have");
                } else if (!frame.kpi) {
                    diagnostics.add(WARNINGS, DependencyMessages.NO_KPI);
                }
            }
            if (frame.kernelStyle && frame.kpi) {
                diagnostics.add(WARNINGS, DependencyMessages.MIXED_STYLES);
            }
            if (frame.privateKpi && !AppleCopyright.mayUsePrivateKpi(kext)) {
                log.add(kext.path() + " has an Apple prefix but no copyright.");
                diagnostics.add(DEPENDENCIES, DependencyMessages.PRIVATE_KPI);
                frame.fail("only Apple kexts may link against " + PRIVATE_KPI);
            }
            boolean closureSuspect = frame.node.suspect;
            boolean closureCodeless = !kext.declaresExecutable();
            for (Node dep : frame.node.deps) {
                closureSuspect |= dep.closureSuspect;
                closureCodeless |= dep.closureCodeless;
            }
            frame.node.closureSuspect = closureSuspect;
            frame.node.closureCodeless = closureCodeless;
            frame.node.state = frame.failed ? State.FAILED : State.RESOLVED;
            return !frame.failed;
        }

        /**
         * Check the load list as a whole: early-boot availability (warnings), one kext per identifier,
         * and every member valid and authentic.
         */
        private boolean checkLoadList(List<Node> loadList) {
            KextDiagnostics diagnostics = root.diagnostics();
            BootLevel level = BootLevel.of(root.osBundleRequired());
            int stamp = graph.nextStamp();
            List<String> duplicated = null;
            boolean ok = true;
            for (Node node : loadList) {
                KextBundle kext = node.bundle;
                if (level != BootLevel.ANY) {
                    String required = kext.osBundleRequired();
                    if (!level.accepts(required)) {
                        diagnostics.add(WARNINGS, DependencyMessages.BOOT_LEVEL_DEPENDENCY, node.id,
                                required == null ? "OSBundleRequired not set" : required);
                    }
                }
                ResolutionGraph.IdSlot slot = node.slot;
                if (slot.stamp != stamp) {
                    slot.stamp = stamp;
                    slot.holder = node;
                } else if (slot.holder != node) {
                    if (duplicated == null) {
                        duplicated = new ArrayList<>();
                    }
                    if (!duplicated.contains(node.id)) {
                        duplicated.add(node.id);
                    }
                }
                if (node.suspect && kext != root) {
                    if (kext.diagnostics().has(VALIDATION)) {
                        diagnostics.add(DEPENDENCIES, DependencyMessages.DEPENDENCIES_INVALID, node.id, kext.path().toString());
                    } else {
                        diagnostics.add(DEPENDENCIES, DependencyMessages.DEPENDENCIES_INAUTHENTIC, node.id,
                                kext.path().toString());
                    }
                    ok = false;
                }
            }
            if (duplicated != null) {
                for (String id : duplicated) {
                    List<KextBundle> copies = new ArrayList<>();
                    for (Node node : loadList) {
                        if (node.id.equals(id)) {
                            copies.add(node.bundle);
                        }
                    }
                    diagnostics.add(DEPENDENCIES, DependencyMessages.MULTIPLE_VERSIONS, id,
                            Explanations.duplicates(copies, loadList));
                }
                ok = false;
            }
            return ok;
        }
    }

    /**
     * Forget what an earlier resolution of this kext recorded, as Apple flushes dependency diagnostics
     * before resolving again; the two warnings {@link Run#finish} derives are recomputed too.
     */
    private static void flushResolutionDiagnostics(KextDiagnostics diagnostics) {
        diagnostics.clear(DEPENDENCIES);
        diagnostics.remove(WARNINGS, DependencyMessages.NO_KPI);
        diagnostics.remove(WARNINGS, DependencyMessages.MIXED_STYLES);
    }

    /** One kext on the loop stack, with what its libraries revealed. */
    private static final class Frame {
        final Node node;
        int next;
        boolean failed;
        boolean rawKernel;
        boolean kernelStyle;
        boolean kpi;
        boolean privateKpi;

        Frame(Node node) {
            this.node = node;
        }

        void classify(String libId) {
            if (libId.equals(KernelPseudoKexts.KERNEL_ID)) {
                rawKernel = true;
            } else if (libId.startsWith(KERNEL_STYLE_PREFIX)) {
                kernelStyle = true;
            } else if (libId.startsWith(KPI_PREFIX)) {
                kpi = true;
                privateKpi |= libId.equals(PRIVATE_KPI);
            }
        }

        void fail(String reason) {
            failed = true;
            if (node.failure == null) {
                node.failure = reason;
            }
        }
    }

    /** What a root's OSBundleRequired demands of every kext in its load list. */
    private enum BootLevel {
        ANY, ROOT, LOCAL_ROOT, NETWORK_ROOT;

        static BootLevel of(String required) {
            if (required == null) {
                return ANY;
            }
            switch (required) {
                case "Root":
                case "Console":
                case "DriverKit":
                    return ROOT;
                case "Local-Root":
                    return LOCAL_ROOT;
                case "Network-Root":
                    return NETWORK_ROOT;
                default:
                    return ANY;
            }
        }

        boolean accepts(String required) {
            switch (this) {
                case ROOT:
                    return required != null && !required.equals("Safe Boot");
                case LOCAL_ROOT:
                    return "Root".equals(required) || "Local-Root".equals(required) || "Console".equals(required);
                case NETWORK_ROOT:
                    return "Root".equals(required) || "Network-Root".equals(required) || "Console".equals(required);
                default:
                    return true;
            }
        }
    }
}
