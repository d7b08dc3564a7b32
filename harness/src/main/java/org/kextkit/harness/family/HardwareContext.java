package org.kextkit.harness.family;

import org.kextkit.kit.internal.KernelHeap;
import org.kextkit.kit.internal.KernelScheduler;

/**
 * What simulated hardware may use of the kernel it is plugged into: the clock and event queue
 * (device timing, interrupt delivery) and physical memory (bus-master DMA).
 */
public interface HardwareContext {
    /** Return the kernel's scheduler: {@code scheduleHardwareEvent}, {@code postInterrupt}, the clock. */
    KernelScheduler scheduler();

    /** Return the kernel's heap, for DMA through {@code readPhysical}/{@code writePhysical}. */
    KernelHeap heap();

    /** Return the seed of this kernel's run, for models that need reproducible randomness. */
    long seed();

    /**
     * Return the kernel's architecture ({@code x86_64} or {@code arm64}, from its settings): some
     * family rules differ by architecture (PCI matching changes scores only on arm64).
     */
    default String architecture() {
        return "x86_64";
    }
}
