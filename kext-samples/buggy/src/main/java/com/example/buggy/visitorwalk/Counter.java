package com.example.buggy.visitorwalk;

import java.util.function.Consumer;

/** Counts configuration entries, descending into each entry's children through the same walk. */
final class Counter implements Consumer<Module.Entry> {
    int count;

    @Override
    public void accept(Module.Entry entry) {
        count++;
        Module.walk(entry.children(), this); // BUG: STK-RECURSION
    }
}
