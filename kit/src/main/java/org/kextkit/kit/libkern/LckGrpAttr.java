package org.kextkit.kit.libkern;

/** Lock-group attributes ({@code lck_grp_attr_t}); made by {@link Locks#lck_grp_attr_alloc_init()}. */
public class LckGrpAttr {
    final KernelBuffer storage;

    /** For mocks and subclasses only. */
    protected LckGrpAttr() {
        this(null);
    }

    LckGrpAttr(KernelBuffer storage) {
        this.storage = storage;
    }
}
