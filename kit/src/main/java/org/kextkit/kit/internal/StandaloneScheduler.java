package org.kextkit.kit.internal;

/** Placeholder until the standalone implementation lands; replaced, not extended. */
final class StandaloneScheduler {
    static final KernelScheduler INSTANCE = null;

    private StandaloneScheduler() {
    }
}
