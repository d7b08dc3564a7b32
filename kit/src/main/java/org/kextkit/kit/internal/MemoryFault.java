package org.kextkit.kit.internal;

/**
 * One bad memory operation the kernel saw: a bad free, an access outside an allocation or after its
 * free, DMA to memory that is not there, a register access through a map that was unmapped.
 *
 * <p>The message is worded the way XNU (or KASAN, where XNU has no wording of its own) words the
 * same fault, so a driver author recognises it from a real panic log.
 *
 * @param kind what went wrong
 * @param message the one-line description, XNU/KASAN style
 * @param faultAddress the address the bad operation used (virtual, or physical for DMA)
 * @param blockAddress the start of the allocation concerned, or 0 if none is known
 * @param blockSize the size of the allocation concerned, or 0 if none is known
 * @param allocator the allocation function of that block, or {@code null} if none is known
 * @param allocationSite where the block was allocated (first frame outside the kit), or {@code null}
 * @param freeSite where the block was freed (for a double free: the first free), or {@code null}
 * @param accessSite where the faulting operation was made (the bad free, read, write or map access)
 */
public record MemoryFault(
        Kind kind,
        String message,
        long faultAddress,
        long blockAddress,
        long blockSize,
        KernelHeap.Allocator allocator,
        StackTraceElement allocationSite,
        StackTraceElement freeSite,
        StackTraceElement accessSite) {

    /** The kinds of memory fault. */
    public enum Kind {
        /** A read or write outside the allocation (KASAN heap-buffer-overflow / underflow). */
        OUT_OF_BOUNDS,
        /** A read or write of a freed allocation (KASAN use-after-free). */
        USE_AFTER_FREE,
        /** A second free of the same allocation. */
        DOUBLE_FREE,
        /** A free of something no allocator returned, or of a pointer into the middle of a block. */
        INVALID_FREE,
        /** A free whose size differs from the allocation's ({@code bad IOFree size}). */
        SIZE_MISMATCH,
        /** A free with another allocator's free function ({@code IOFree} of {@code IOMallocAligned} memory). */
        ALLOCATOR_MISMATCH,
        /** An {@code OSFree} with another tag than the {@code OSMalloc}. */
        TAG_MISMATCH,
        /** A physical address asked of pageable memory that is not wired. */
        NOT_WIRED,
        /** Bus-master DMA to a physical address that lies in no live wired allocation. */
        BAD_PHYSICAL_ACCESS,
        /** A read or write through a memory map after {@code unmap}, or past its end. */
        UNMAPPED_ACCESS
    }

    /** Return the message followed by the access, allocation and free sites, one per line. */
    public String report() {
        StringBuilder text = new StringBuilder(message);
        if (accessSite != null) {
            text.append("\n  at ").append(accessSite);
        }
        if (allocationSite != null) {
            text.append("\n  allocated by ")
                    .append(allocator == null ? "the kernel" : allocator.allocFunction())
                    .append(" at ").append(allocationSite);
        }
        if (freeSite != null) {
            text.append("\n  freed at ").append(freeSite);
        }
        return text.toString();
    }
}
