package com.example.buggy.visitorwalk;

import static org.kextkit.kit.iokit.IOLib.*;

import java.util.List;
import java.util.function.Consumer;
import org.kextkit.kit.libkern.*;

/**
 * Counts the entries of a configuration tree with a visitor. The visitor walks each entry's children
 * through the same walk, so the call chain is as deep as the tree: recursion that the class graph
 * shows only through the JDK's Consumer interface (see {@link Counter}).
 */
public final class Module implements KextModule {
    /** One configuration entry and its children. */
    record Entry(String key, List<Entry> children) {
    }

    /** Visit every entry of {@code entries} with {@code visitor}. */
    static void walk(List<Entry> entries, Consumer<Entry> visitor) {
        for (Entry entry : entries) {
            visitor.accept(entry);
        }
    }

    @Override
    public int start(KmodInfo kmodInfo, Object data) {
        List<Entry> tree = List.of(new Entry("bus", List.of(new Entry("slot1", List.of()), new Entry("slot2", List.of()))));
        Counter counter = new Counter();
        walk(tree, counter);
        IOLog("VisitorWalk: %d configuration entries", counter.count);
        return KernReturn.KERN_SUCCESS;
    }

    @Override
    public int stop(KmodInfo kmodInfo, Object data) {
        return KernReturn.KERN_SUCCESS;
    }
}
