package org.kextkit.kit.internal;

/**
 * One live allocation of a {@link SimulatedHeap}, as leak reports show it.
 *
 * @param address the kernel virtual address
 * @param size the size it was allocated with (0 for a zero-size allocation)
 * @param allocator the allocation function
 * @param tag the {@code OSMallocTag} of an {@code OSMalloc} block, else {@code null}
 * @param caller the class that asked for it (a kext class), or {@code null} if not known
 * @param site where it was allocated (first frame outside the kit), or {@code null}
 * @param physicalAddress the physical address of the first byte, or -1 if the memory is not wired
 */
public record HeapAllocation(
        long address,
        long size,
        KernelHeap.Allocator allocator,
        Object tag,
        Class<?> caller,
        StackTraceElement site,
        long physicalAddress) {
}
