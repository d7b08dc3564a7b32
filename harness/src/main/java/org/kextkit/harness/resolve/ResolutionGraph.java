package org.kextkit.harness.resolve;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.kextkit.harness.bundle.KextBundle;

/**
 * The memo of one resolver call: each kext reached, its resolved dependencies and the outcome.
 * Shared by the resolutions of one {@link DependencyResolver#resolveAll} call.
 */
final class ResolutionGraph {
    static final Node[] NO_NODES = new Node[0];

    enum State { NEW, ACTIVE, RESOLVED, FAILED }

    static final class Node {
        final KextBundle bundle;
        State state = State.NEW;
        Node[] deps = NO_NODES;
        /** Why resolution failed, in a phrase; used as the note of "Indirect dependencies" values. */
        String failure;
        int stamp;
        List<KextBundle> linkDependencies;
        boolean flattening;

        Node(KextBundle bundle) {
            this.bundle = bundle;
        }
    }

    private final Map<KextBundle, Node> nodes = new IdentityHashMap<>();
    private int generation;

    Node node(KextBundle bundle) {
        Node node = nodes.get(bundle);
        if (node == null) {
            node = new Node(bundle);
            nodes.put(bundle, node);
        }
        return node;
    }

    Node find(KextBundle bundle) {
        return nodes.get(bundle);
    }

    /**
     * Return the load list of a resolved root: a depth-first post-order walk, dependencies first in
     * the order they were declared, each kext at its first occurrence, the root last.
     */
    List<KextBundle> loadList(Node root) {
        int stamp = ++generation;
        List<KextBundle> order = new ArrayList<>();
        Node[] stack = new Node[16];
        int[] next = new int[16];
        int depth = 0;
        stack[0] = root;
        root.stamp = stamp;
        while (depth >= 0) {
            Node top = stack[depth];
            if (next[depth] < top.deps.length) {
                Node dep = top.deps[next[depth]++];
                // A resolved graph has no cycles, so a stamped node is already in the list.
                if (dep.stamp != stamp) {
                    dep.stamp = stamp;
                    if (++depth == stack.length) {
                        stack = Arrays.copyOf(stack, depth * 2);
                        next = Arrays.copyOf(next, depth * 2);
                    }
                    stack[depth] = dep;
                    next[depth] = 0;
                }
            } else {
                order.add(top.bundle);
                depth--;
            }
        }
        return order;
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
