package org.kextkit.kit.internal;

/** Hold the real-time scheduler shared by all code running with no kernel. */
final class StandaloneScheduler {
    static final RealTimeScheduler INSTANCE = new RealTimeScheduler("standalone");

    private StandaloneScheduler() {
    }
}
