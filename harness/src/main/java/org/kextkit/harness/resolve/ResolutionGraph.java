package org.kextkit.harness.resolve;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.kextkit.harness.bundle.KextBundle;

/**
 * Hold the memo of one resolver call: each kext reached, its resolved dependencies and the outcome.
 * Shared by the resolutions of one {@link DependencyResolver#resolveAll} call.
 */
final class ResolutionGraph {
    static final Node[] NO_NODES = new Node[0];

    enum State { NEW, ACTIVE, RESOLVED, FAILED }

    static final class Node {
        final KextBundle bundle;
        final String id;
        /** Shared by every node with this identifier; finds two copies in one load list without hashing. */
        final IdSlot slot;
        State state = State.NEW;
        /** Whether the bundle had validation or authentication failures when it was reached. */
        boolean suspect;
        /** Whether this kext or any kext below it is suspect; set once the kext is resolved. */
        boolean closureSuspect;
        /** Whether this kext or any kext below it, other than a kernel component, has no executable; set once resolved. */
        boolean closureCodeless;
        Node[] deps = NO_NODES;
        /** Why resolution failed, in a phrase; used as the note of "Indirect dependencies" values. */
        String failure;
        int stamp;
        List<KextBundle> linkDependencies;
        boolean flattening;

        Node(KextBundle bundle, IdSlot slot) {
            this.bundle = bundle;
            this.id = bundle.displayName();
            this.slot = slot;
        }
    }

    static final class IdSlot {
        int nodes;
        int stamp;
        Node holder;
    }

    private final Map<KextBundle, Node> nodes = new IdentityHashMap<>();
    private final Map<String, IdSlot> slots = new HashMap<>();
    private int sharedIds;
    private int generation;
    // Buffers reused by every load-list walk over this graph.
    private Node[] walkStack = new Node[16];
    private int[] walkNext = new int[16];
    private Node[] order = new Node[64];

    Node node(KextBundle bundle) {
        Node node = nodes.get(bundle);
        if (node == null) {
            IdSlot slot = slots.computeIfAbsent(bundle.displayName(), id -> new IdSlot());
            if (++slot.nodes == 2) {
                sharedIds++;
            }
            node = new Node(bundle, slot);
            nodes.put(bundle, node);
        }
        return node;
    }

    /**
     * Return true if two kexts with one identifier were reached, so that some load list may hold
     * both; when false, no load list can.
     */
    boolean mayHoldDuplicates() {
        return sharedIds > 0;
    }

    /** Return a fresh stamp for one walk over the graph. */
    int nextStamp() {
        return ++generation;
    }

    Node find(KextBundle bundle) {
        return nodes.get(bundle);
    }

    /**
     * Return the load list of a resolved root: a depth-first post-order walk, dependencies first in
     * the order they were declared, each kext at its first occurrence, the root last. The list is a
     * view of a buffer that the next walk overwrites.
     */
    List<Node> loadList(Node root) {
        int size = walk(root, nextStamp(), 0); // may replace the buffer
        return Arrays.asList(order).subList(0, size);
    }

    /** Return the merged load list of several resolved roots, each kext once, dependencies first. */
    List<KextBundle> loadList(List<Node> roots) {
        int stamp = nextStamp();
        int size = 0;
        for (Node root : roots) {
            if (root.stamp != stamp) {
                size = walk(root, stamp, size);
            }
        }
        return bundles(Arrays.asList(order).subList(0, size));
    }

    /**
     * Return the load list of a resolved root without the kexts {@code present} accepts, in the same
     * order. The walk does not go below a present kext whose closure has only kexts with code and
     * kernel components: the caller guarantees that those are present too.
     */
    List<KextBundle> loadListWithout(Node root, Predicate<KextBundle> present) {
        int stamp = nextStamp();
        List<KextBundle> missing = new ArrayList<>();
        root.stamp = stamp;
        if (isComplete(root, present)) {
            return missing;
        }
        int depth = 0;
        walkStack[0] = root;
        walkNext[0] = 0;
        while (depth >= 0) {
            Node top = walkStack[depth];
            if (walkNext[depth] < top.deps.length) {
                Node dep = top.deps[walkNext[depth]++];
                if (dep.stamp != stamp) {
                    dep.stamp = stamp;
                    if (isComplete(dep, present)) {
                        continue;
                    }
                    if (++depth == walkStack.length) {
                        walkStack = Arrays.copyOf(walkStack, depth * 2);
                        walkNext = Arrays.copyOf(walkNext, depth * 2);
                    }
                    walkStack[depth] = dep;
                    walkNext[depth] = 0;
                }
            } else {
                if (!present.test(top.bundle)) {
                    missing.add(top.bundle);
                }
                depth--;
            }
        }
        return missing;
    }

    /** Return true if {@code node} and everything below it is present: nothing there needs a visit. */
    private static boolean isComplete(Node node, Predicate<KextBundle> present) {
        return !node.closureCodeless && present.test(node.bundle);
    }

    /** Return the bundles of {@code nodes} as an unmodifiable list. */
    static List<KextBundle> bundles(List<Node> nodes) {
        KextBundle[] bundles = new KextBundle[nodes.size()];
        for (int i = 0; i < bundles.length; i++) {
            bundles[i] = nodes.get(i).bundle;
        }
        return Collections.unmodifiableList(Arrays.asList(bundles));
    }

    /** Append the post-order of {@code root}'s unstamped subgraph to the buffer from {@code size}. */
    private int walk(Node root, int stamp, int size) {
        int depth = 0;
        walkStack[0] = root;
        walkNext[0] = 0;
        root.stamp = stamp;
        while (depth >= 0) {
            Node top = walkStack[depth];
            if (walkNext[depth] < top.deps.length) {
                Node dep = top.deps[walkNext[depth]++];
                // A resolved graph has no cycles, so a stamped node is already in the list.
                if (dep.stamp != stamp) {
                    dep.stamp = stamp;
                    if (++depth == walkStack.length) {
                        walkStack = Arrays.copyOf(walkStack, depth * 2);
                        walkNext = Arrays.copyOf(walkNext, depth * 2);
                    }
                    walkStack[depth] = dep;
                    walkNext[depth] = 0;
                }
            } else {
                if (size == order.length) {
                    order = Arrays.copyOf(order, size * 2);
                }
                order[size++] = top;
                depth--;
            }
        }
        return size;
    }

    /**
     * Return the kexts {@code node} links against: its dependencies, except that a codeless library
     * is replaced by what it links against itself (the kernel does not link against a kext without
     * code). Pulled-in kexts follow the direct ones, as the kernel appends them; duplicates are dropped.
     */
    List<KextBundle> linkDependencies(Node node) {
        if (node.linkDependencies != null) {
            return node.linkDependencies;
        }
        if (node.flattening) {
            return List.of(); // only a failed, cyclic graph gets here
        }
        node.flattening = true;
        List<KextBundle> direct = new ArrayList<>(node.deps.length);
        List<KextBundle> pulled = new ArrayList<>();
        for (Node dep : node.deps) {
            if (isCodelessLibrary(dep.bundle)) {
                pulled.addAll(linkDependencies(dep));
            } else {
                addOnce(direct, dep.bundle);
            }
        }
        for (KextBundle kext : pulled) {
            addOnce(direct, kext);
        }
        node.flattening = false;
        node.linkDependencies = List.copyOf(direct);
        return node.linkDependencies;
    }

    static boolean isCodelessLibrary(KextBundle kext) {
        return !kext.declaresExecutable() && !kext.isKernelComponent() && kext.isLibrary();
    }

    private static void addOnce(List<KextBundle> list, KextBundle kext) {
        for (KextBundle present : list) {
            if (present == kext) {
                return;
            }
        }
        list.add(kext);
    }
}
