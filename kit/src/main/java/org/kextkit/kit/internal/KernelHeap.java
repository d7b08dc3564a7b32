package org.kextkit.kit.internal;

import org.kextkit.kit.libkern.KernelBuffer;

/**
 * The kernel's simulated memory. Every allocation is a {@link KernelBuffer}: a handle to bytes the
 * kernel owns, with a kernel virtual address and (for wired memory) a physical address, so that
 * double frees, size and allocator mismatches, overruns and use after free are seen by the kernel
 * instead of corrupting the JVM.
 */
public interface KernelHeap {
    /** The allocation functions, each of which must be paired with its own free. */
    enum Allocator {
        /** {@code IOMalloc}/{@code IOMallocZero} with {@code IOFree}. */
        IOMALLOC("IOMalloc", "IOFree"),
        /** {@code IOMallocData} with {@code IOFreeData}. */
        IOMALLOC_DATA("IOMallocData", "IOFreeData"),
        /** {@code IOMallocAligned} with {@code IOFreeAligned}. */
        IOMALLOC_ALIGNED("IOMallocAligned", "IOFreeAligned"),
        /** {@code IOMallocContiguous} with {@code IOFreeContiguous}. */
        IOMALLOC_CONTIGUOUS("IOMallocContiguous", "IOFreeContiguous"),
        /** {@code IOMallocPageable} with {@code IOFreePageable}. */
        IOMALLOC_PAGEABLE("IOMallocPageable", "IOFreePageable"),
        /** {@code OSMalloc} (and its noblock/nowait forms) with {@code OSFree}. */
        OSMALLOC("OSMalloc", "OSFree"),
        /** The backing store of an {@code IOBufferMemoryDescriptor}, freed when the descriptor is. */
        BUFFER_MEMORY_DESCRIPTOR("IOBufferMemoryDescriptor", "IOBufferMemoryDescriptor::free"),
        /** The storage of an {@code IOLock}. */
        IOLOCK("IOLockAlloc", "IOLockFree"),
        /** The storage of an {@code IOSimpleLock}. */
        IOSIMPLELOCK("IOSimpleLockAlloc", "IOSimpleLockFree"),
        /** The storage of an {@code IORecursiveLock}. */
        IORECURSIVELOCK("IORecursiveLockAlloc", "IORecursiveLockFree"),
        /** The storage of an {@code IORWLock}. */
        IORWLOCK("IORWLockAlloc", "IORWLockFree"),
        /** The storage of a {@code lck_grp_attr_t}. */
        LCK_GRP_ATTR("lck_grp_attr_alloc_init", "lck_grp_attr_free"),
        /** The storage of a {@code lck_grp_t}. */
        LCK_GRP("lck_grp_alloc_init", "lck_grp_free"),
        /** The storage of a {@code lck_attr_t}. */
        LCK_ATTR("lck_attr_alloc_init", "lck_attr_free"),
        /** The storage of a {@code lck_mtx_t} made by {@code lck_mtx_alloc_init}. */
        LCK_MTX("lck_mtx_alloc_init", "lck_mtx_free"),
        /** The storage of a {@code lck_spin_t} made by {@code lck_spin_alloc_init}. */
        LCK_SPIN("lck_spin_alloc_init", "lck_spin_free"),
        /** The storage of a {@code lck_rw_t} made by {@code lck_rw_alloc_init}. */
        LCK_RW("lck_rw_alloc_init", "lck_rw_free"),
        /** The kernel's record of an embedded {@code lck_mtx_t} set up by {@code lck_mtx_init}. */
        LCK_MTX_EMBEDDED("lck_mtx_init", "lck_mtx_destroy"),
        /** The kernel's record of an embedded {@code lck_spin_t} set up by {@code lck_spin_init}. */
        LCK_SPIN_EMBEDDED("lck_spin_init", "lck_spin_destroy"),
        /** The kernel's record of an embedded {@code lck_rw_t} set up by {@code lck_rw_init}. */
        LCK_RW_EMBEDDED("lck_rw_init", "lck_rw_destroy"),
        /** The storage of an {@code OSMallocTag}. */
        OSMALLOC_TAG("OSMalloc_Tagalloc", "OSMalloc_Tagfree");

        private final String allocFunction;
        private final String freeFunction;

        Allocator(String allocFunction, String freeFunction) {
            this.allocFunction = allocFunction;
            this.freeFunction = freeFunction;
        }

        /** Return the allocation function's name, for reports. */
        public String allocFunction() {
            return allocFunction;
        }

        /** Return the matching free function's name, for reports. */
        public String freeFunction() {
            return freeFunction;
        }
    }

    /** How an allocation is backed by physical memory. */
    enum Wiring {
        /** Wired but not physically contiguous: each page has its own physical page. */
        WIRED,
        /** Wired and physically contiguous ({@code IOMallocContiguous}, contiguous buffer descriptors). */
        CONTIGUOUS,
        /** Pageable: no physical address until a memory descriptor's {@code prepare} wires it. */
        PAGEABLE
    }

    /**
     * Allocate {@code size} bytes.
     *
     * @param allocator the allocation function used
     * @param size the requested size in bytes; zero is allowed and recorded (a checker reports it)
     * @param alignment required alignment of the address (power of two; 1 for none)
     * @param tag the {@code OSMallocTag} for {@link Allocator#OSMALLOC}, else {@code null}
     * @param caller the kext class that asked, for attribution, or {@code null}
     * @return the buffer, or {@code null} when the allocation fails
     */
    KernelBuffer allocate(Allocator allocator, long size, long alignment, Object tag, Class<?> caller);

    /**
     * Allocate {@code size} bytes backed as {@code wiring} says; the five-argument form derives the
     * wiring from the allocator ({@code IOMallocContiguous} contiguous, {@code IOMallocPageable}
     * pageable, everything else wired).
     */
    default KernelBuffer allocate(Allocator allocator, long size, long alignment, Object tag, Class<?> caller,
                                  Wiring wiring) {
        return allocate(allocator, size, alignment, tag, caller);
    }

    /**
     * Wire a buffer's memory for DMA (a memory descriptor's {@code prepare}); wired memory stays
     * wired. Calls nest: each must be paired with {@link #unwire}.
     */
    default void wire(KernelBuffer buffer) {
    }

    /** Undo one {@link #wire}; pageable memory loses its physical pages when the last wiring goes. */
    default void unwire(KernelBuffer buffer) {
    }

    /**
     * Reserve {@code length} bytes of kernel virtual address space for a mapping (an
     * {@code IOMemoryMap} of device memory); return its page-aligned start.
     */
    default long reserveVirtualRange(long length) {
        return 0;
    }

    /**
     * Report a memory fault seen outside the heap itself (an access through an unmapped memory map)
     * to the same handler as the heap's own faults.
     */
    default void fault(MemoryFault fault) {
        throw new IllegalStateException(fault.report());
    }

    /**
     * Free a buffer with the given function, size and tag; the heap checks that they match the
     * allocation and that the buffer is live.
     */
    void free(Allocator allocator, KernelBuffer buffer, long size, Object tag, Class<?> caller);

    /** Return the physical address of byte {@code offset} of a wired buffer. */
    long physicalAddress(KernelBuffer buffer, long offset);

    /**
     * Copy {@code length} bytes of physical memory at {@code physicalAddress} into {@code target}
     * (a device's bus-master read); the range must lie in one live wired allocation.
     */
    void readPhysical(long physicalAddress, byte[] target, int targetOffset, int length);

    /** Copy bytes into physical memory at {@code physicalAddress} (a device's bus-master write). */
    void writePhysical(long physicalAddress, byte[] source, int sourceOffset, int length);

    /** Return the number of live allocations, for leak reports and tests. */
    int liveAllocationCount();
}
