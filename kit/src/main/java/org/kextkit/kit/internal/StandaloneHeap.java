package org.kextkit.kit.internal;

/** Placeholder until the standalone implementation lands; replaced, not extended. */
final class StandaloneHeap {
    static final KernelHeap INSTANCE = null;

    private StandaloneHeap() {
    }
}
