package org.kextkit.kit.internal;

/** Hold the heap shared by all code running with no kernel; its faults throw. */
final class StandaloneHeap {
    static final SimulatedHeap INSTANCE = new SimulatedHeap(MemoryFaultHandler.THROW);

    private StandaloneHeap() {
    }
}
