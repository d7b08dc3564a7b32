package org.kextkit.kit.internal;

/** The kernel's record of one allocation: its bytes, addresses and life; shared by every pointer into it. */
final class HeapBlock {
    final SimulatedHeap heap;
    final long address;
    final int size;
    final KernelHeap.Allocator allocator;
    final KernelHeap.Wiring wiring;
    final Object tag;
    final Class<?> caller;
    final StackTraceElement allocationSite;
    final byte[] data;
    /** Set once by the free; every access tests it. */
    volatile boolean freed;
    StackTraceElement freeSite;
    /** Physical page address per virtual page the block touches, or null while not wired. */
    long[] physicalPages;
    int wireCount;

    HeapBlock(SimulatedHeap heap, long address, int size, KernelHeap.Allocator allocator, KernelHeap.Wiring wiring,
              Object tag, Class<?> caller, StackTraceElement allocationSite) {
        this.heap = heap;
        this.address = address;
        this.size = size;
        this.allocator = allocator;
        this.wiring = wiring;
        this.tag = tag;
        this.caller = caller;
        this.allocationSite = allocationSite;
        this.data = new byte[size];
    }

    long firstPage() {
        return address & ~(SimulatedHeap.PAGE_SIZE - 1L);
    }

    int pageCount() {
        if (size == 0) {
            return 0;
        }
        long last = (address + size - 1) & ~(SimulatedHeap.PAGE_SIZE - 1L);
        return (int) ((last - firstPage()) / SimulatedHeap.PAGE_SIZE) + 1;
    }

    /** Return the physical address of byte {@code index}, or -1 if not wired. */
    long physicalAddressOf(long index) {
        long[] pages = physicalPages;
        if (pages == null) {
            return -1;
        }
        long virtual = address + index;
        int page = (int) ((virtual - firstPage()) / SimulatedHeap.PAGE_SIZE);
        return pages[page] + (virtual & (SimulatedHeap.PAGE_SIZE - 1L));
    }
}
