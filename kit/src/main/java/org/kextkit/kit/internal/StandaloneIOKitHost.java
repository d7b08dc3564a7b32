package org.kextkit.kit.internal;

/** Placeholder until the standalone implementation lands; replaced, not extended. */
final class StandaloneIOKitHost {
    static final IOKitHost INSTANCE = null;

    private StandaloneIOKitHost() {
    }
}
