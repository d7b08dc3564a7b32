package org.kextkit.kit.libkern;

/** Lock attributes ({@code lck_attr_t}); made by {@link Locks#lck_attr_alloc_init()}. */
public class LckAttr {
    final KernelBuffer storage;

    /** For mocks and subclasses only. */
    protected LckAttr() {
        this(null);
    }

    LckAttr(KernelBuffer storage) {
        this.storage = storage;
    }
}
