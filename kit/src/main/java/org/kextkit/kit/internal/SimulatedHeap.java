package org.kextkit.kit.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import org.kextkit.kit.libkern.KernelBuffer;

/**
 * The kernel's simulated memory: one per hosted kernel (the harness creates it; standalone code
 * shares one). Every allocation gets a kernel virtual address, and wired memory gets physical pages
 * that simulated devices reach through {@link #readPhysical}/{@link #writePhysical}.
 *
 * <p>The heap checks what a debug kernel with KASAN and IOTracking checks: every access through a
 * {@link KernelBuffer} against the block's bounds and life, and every free against the allocation
 * (double free, a pointer no allocator returned or one into the middle of a block, a wrong size,
 * allocator or {@code OSMalloc} tag). Faults go to the {@link MemoryFaultHandler} given at
 * construction.
 *
 * <p>Layout: virtual addresses start at {@link #KERNEL_VIRTUAL_BASE}, aligned as asked (at least to
 * 16 bytes) and separated by a 16-byte red zone. Each wired block gets physical pages of its own,
 * never reused; pages keep their offset within the page, as real mappings do. Only contiguous
 * allocations get consecutive physical pages: other memory that crosses a page boundary is not
 * physically contiguous, as on a real Mac, so a driver that DMAs across it without asking for its
 * physical segments is caught. Physical memory starts at {@link #PHYSICAL_BASE}, below 4 GiB.
 */
public class SimulatedHeap implements KernelHeap {
    /** The first kernel virtual address handed out, as on x86_64 XNU. */
    public static final long KERNEL_VIRTUAL_BASE = 0xffffff8000000000L;
    /** The first physical address handed out. */
    public static final long PHYSICAL_BASE = 0x10000000L;
    /** The first kernel virtual address handed out for mappings of device memory. */
    public static final long MAPPING_VIRTUAL_BASE = 0xffffff9000000000L;
    /** The page size, for physical segments. */
    public static final int PAGE_SIZE = 4096;

    private static final long MINIMUM_ALIGNMENT = 16;
    private static final long RED_ZONE = 16;
    private static final int FREED_PAGES_REMEMBERED = 4096;

    private final MemoryFaultHandler faultHandler;
    private final NavigableMap<Long, HeapBlock> live = new TreeMap<>();
    // physical page address -> the block that owns it
    private final ConcurrentSkipListMap<Long, HeapBlock> physicalPages = new ConcurrentSkipListMap<>();
    // the pages of recently freed blocks, so DMA into them is reported as use after free
    private final Map<Long, HeapBlock> freedPhysicalPages = new LinkedHashMap<>(256, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, HeapBlock> eldest) {
            return size() > FREED_PAGES_REMEMBERED;
        }
    };
    private long nextVirtual = KERNEL_VIRTUAL_BASE;
    private long nextPhysical = PHYSICAL_BASE;
    private long zeroSizeAllocations;
    private long nextMapping = MAPPING_VIRTUAL_BASE;

    private volatile KernelChecks checks = KernelChecks.NONE;

    /** Tell {@code checks} about every allocation from now on ({@link KernelChecks#allocating}). */
    public void setChecks(KernelChecks checks) {
        this.checks = java.util.Objects.requireNonNull(checks, "checks");
    }

    /** Create a heap whose faults throw {@link IllegalStateException} (the standalone behaviour). */
    public SimulatedHeap() {
        this(MemoryFaultHandler.THROW);
    }

    /** Create a heap that reports its faults to {@code faultHandler}. */
    public SimulatedHeap(MemoryFaultHandler faultHandler) {
        this.faultHandler = Objects.requireNonNull(faultHandler, "faultHandler");
    }

    // ---- allocation --------------------------------------------------------------------------

    @Override
    public KernelBuffer allocate(Allocator allocator, long size, long alignment, Object tag, Class<?> caller) {
        Wiring wiring = switch (allocator) {
            case IOMALLOC_CONTIGUOUS -> Wiring.CONTIGUOUS;
            case IOMALLOC_PAGEABLE -> Wiring.PAGEABLE;
            default -> Wiring.WIRED;
        };
        return allocate(allocator, size, alignment, tag, caller, wiring);
    }

    @Override
    public KernelBuffer allocate(Allocator allocator, long size, long alignment, Object tag, Class<?> caller,
                                 Wiring wiring) {
        Objects.requireNonNull(allocator, "allocator");
        if (size < 0 || size > Integer.MAX_VALUE - 64) {
            return null;
        }
        long align = Math.max(MINIMUM_ALIGNMENT, roundUpToPowerOfTwo(alignment));
        KernelChecks hooks = checks;
        if (hooks.active()) {
            hooks.allocating(allocator, size, caller);
        }
        StackTraceElement site = siteOf(caller);
        synchronized (this) {
            long address = alignUp(nextVirtual, align);
            nextVirtual = address + Math.max(size, 1) + RED_ZONE;
            HeapBlock block = new HeapBlock(this, address, (int) size, allocator, wiring, tag, caller, site);
            if (wiring != Wiring.PAGEABLE) {
                assignPhysicalPages(block, wiring == Wiring.CONTIGUOUS, align);
            }
            if (size == 0) {
                zeroSizeAllocations++;
            }
            live.put(address, block);
            return new SimulatedBuffer(block, 0);
        }
    }

    /**
     * Return where {@code caller}, the class that called the kit's allocation or free function, made
     * the call: the first frame outside the kit and the JDK ({@link CallSites#caller()}). When the
     * caller is instrumented kext code, that frame is the innermost kext frame its instrumentation
     * keeps (class, method and the line it is calling from), and no stack walk is needed.
     */
    private static StackTraceElement siteOf(Class<?> caller) {
        if (caller != null) {
            KextFrames.Stack stack = KextFrames.current();
            if (stack.depth() > 0 && KextFrames.method(stack.methodAt(0)).className().equals(caller.getName())) {
                ClassLoader loader = caller.getClassLoader();
                return stack.innermost(loader == null ? null : loader.getName());
            }
        }
        return CallSites.caller();
    }

    private void assignPhysicalPages(HeapBlock block, boolean contiguous, long alignment) {
        int count = block.pageCount();
        long[] pages = new long[count];
        long start = alignUp(nextPhysical, Math.max(PAGE_SIZE, contiguous ? alignment : PAGE_SIZE));
        // non-contiguous memory skips a page between its pages, so page i+1 never follows page i
        long stride = contiguous ? PAGE_SIZE : 2L * PAGE_SIZE;
        for (int i = 0; i < count; i++) {
            pages[i] = start + i * stride;
            physicalPages.put(pages[i], block);
        }
        nextPhysical = start + count * stride;
        block.physicalPages = pages;
    }

    private void releasePhysicalPages(HeapBlock block) {
        long[] pages = block.physicalPages;
        if (pages != null) {
            for (long page : pages) {
                physicalPages.remove(page);
                freedPhysicalPages.put(page, block);
            }
            block.physicalPages = null;
        }
    }

    // ---- free --------------------------------------------------------------------------------

    @Override
    public void free(Allocator allocator, KernelBuffer buffer, long size, Object tag, Class<?> caller) {
        if (buffer == null) {
            return; // IOFree(NULL, ...) and OSFree(NULL, ...) do nothing
        }
        String function = allocator.freeFunction();
        if (!(buffer instanceof SimulatedBuffer) || ((SimulatedBuffer) buffer).block.heap != this) {
            report(new MemoryFault(MemoryFault.Kind.INVALID_FREE,
                    String.format("%s: addr 0x%x being freed isn't from any allocation of this kernel",
                            function, buffer.address()),
                    buffer.address(), 0, 0, null, null, null, CallSites.caller()));
            return;
        }
        SimulatedBuffer pointer = (SimulatedBuffer) buffer;
        HeapBlock block = pointer.block;
        StackTraceElement site = siteOf(caller);
        MemoryFault fault = null;
        synchronized (this) {
            if (pointer.offset != 0) {
                fault = fault(MemoryFault.Kind.INVALID_FREE, block, pointer.address(), site,
                        String.format("%s: addr 0x%x being freed is %d bytes inside a %d-byte block at 0x%x "
                                        + "(invalid free of an interior pointer)",
                                function, pointer.address(), pointer.offset, block.size, block.address));
            } else if (block.freed) {
                fault = fault(MemoryFault.Kind.DOUBLE_FREE, block, block.address, site,
                        String.format("double free of 0x%x to %s (a %d-byte block from %s, already freed)",
                                block.address, function, block.size, block.allocator.allocFunction()));
            } else {
                if (block.allocator != allocator) {
                    fault = fault(MemoryFault.Kind.ALLOCATOR_MISMATCH, block, block.address, site,
                            String.format("%s: addr 0x%x found in %s memory instead of %s memory; free it with %s",
                                    function, block.address, block.allocator.allocFunction(),
                                    allocator.allocFunction(), block.allocator.freeFunction()));
                } else if (size != block.size) {
                    fault = fault(MemoryFault.Kind.SIZE_MISMATCH, block, block.address, site,
                            String.format("bad %s size 0x%x should be 0x%x", function, size, block.size));
                } else if (allocator == Allocator.OSMALLOC && tag != block.tag) {
                    fault = fault(MemoryFault.Kind.TAG_MISMATCH, block, block.address, site,
                            String.format("OSFree: addr 0x%x allocated with tag '%s' freed with tag '%s'",
                                    block.address, block.tag, tag));
                }
                // A mismatched free still frees: a kernel whose fault handler carries on must not
                // also report the block as leaked.
                block.freed = true;
                block.freeSite = site;
                live.remove(block.address);
                releasePhysicalPages(block);
            }
        }
        if (fault != null) {
            report(fault);
        }
    }

    // ---- physical memory ---------------------------------------------------------------------

    @Override
    public long physicalAddress(KernelBuffer buffer, long offset) {
        SimulatedBuffer pointer = own(buffer);
        if (pointer == null) {
            report(new MemoryFault(MemoryFault.Kind.BAD_PHYSICAL_ACCESS,
                    String.format("physical address asked of 0x%x, which is not memory of this kernel",
                            buffer == null ? 0 : buffer.address()),
                    buffer == null ? 0 : buffer.address(), 0, 0, null, null, null, CallSites.caller()));
            return 0;
        }
        HeapBlock block = pointer.block;
        long index = pointer.offset + offset;
        if (block.freed || index < 0 || index >= block.size) {
            accessFault(block, index, 1, false);
            return 0;
        }
        long physical;
        synchronized (this) {
            physical = block.physicalAddressOf(index);
        }
        if (physical < 0) {
            report(fault(MemoryFault.Kind.NOT_WIRED, block, block.address + index, CallSites.caller(),
                    String.format("physical address of 0x%x asked, but the %d-byte %s block is pageable and not wired "
                                    + "(prepare() a memory descriptor first)",
                            block.address + index, block.size, block.allocator.allocFunction())));
            return 0;
        }
        return physical;
    }

    @Override
    public void wire(KernelBuffer buffer) {
        SimulatedBuffer pointer = own(buffer);
        if (pointer == null || pointer.block.freed) {
            return;
        }
        synchronized (this) {
            HeapBlock block = pointer.block;
            block.wireCount++;
            if (block.physicalPages == null) {
                assignPhysicalPages(block, false, PAGE_SIZE);
            }
        }
    }

    @Override
    public void unwire(KernelBuffer buffer) {
        SimulatedBuffer pointer = own(buffer);
        if (pointer == null || pointer.block.freed) {
            return;
        }
        synchronized (this) {
            HeapBlock block = pointer.block;
            if (block.wireCount > 0 && --block.wireCount == 0 && block.wiring == Wiring.PAGEABLE) {
                long[] pages = block.physicalPages;
                if (pages != null) {
                    for (long page : pages) {
                        physicalPages.remove(page);
                    }
                    block.physicalPages = null;
                }
            }
        }
    }

    @Override
    public void readPhysical(long physicalAddress, byte[] target, int targetOffset, int length) {
        copyPhysical(physicalAddress, target, targetOffset, length, false);
    }

    @Override
    public void writePhysical(long physicalAddress, byte[] source, int sourceOffset, int length) {
        copyPhysical(physicalAddress, source, sourceOffset, length, true);
    }

    private void copyPhysical(long physicalAddress, byte[] bytes, int bytesOffset, int length, boolean write) {
        long at = physicalAddress;
        int done = 0;
        while (done < length) {
            long page = at & ~(PAGE_SIZE - 1L);
            HeapBlock block = physicalPages.get(page);
            long index = block == null ? -1 : indexOfPhysical(block, at);
            if (block == null || block.freed || index < 0 || index >= block.size) {
                physicalFault(physicalAddress, at, length, write, block);
                return;
            }
            int chunk = (int) Math.min(length - done, Math.min(PAGE_SIZE - (at - page), block.size - index));
            if (write) {
                System.arraycopy(bytes, bytesOffset + done, block.data, (int) index, chunk);
            } else {
                System.arraycopy(block.data, (int) index, bytes, bytesOffset + done, chunk);
            }
            done += chunk;
            at += chunk;
        }
    }

    private static long indexOfPhysical(HeapBlock block, long physical) {
        long[] pages = block.physicalPages;
        if (pages == null) {
            return -1;
        }
        long page = physical & ~(PAGE_SIZE - 1L);
        for (int i = 0; i < pages.length; i++) {
            if (pages[i] == page) {
                return block.firstPage() + (long) i * PAGE_SIZE + (physical - page) - block.address;
            }
        }
        return -1;
    }

    private void physicalFault(long start, long at, int length, boolean write, HeapBlock owner) {
        HeapBlock freed;
        synchronized (this) {
            freed = owner == null ? freedPhysicalPages.get(at & ~(PAGE_SIZE - 1L)) : owner;
        }
        String direction = write ? "write" : "read";
        if (freed != null && freed.freed) {
            report(fault(MemoryFault.Kind.USE_AFTER_FREE, freed, at, null,
                    String.format("DMA %s of %d bytes at physical address 0x%x reaches a %d-byte block "
                                    + "that %s freed (use after free by the device)",
                            direction, length, start, freed.size, freed.allocator.freeFunction())));
        } else if (freed != null) {
            report(fault(MemoryFault.Kind.BAD_PHYSICAL_ACCESS, freed, at, null,
                    String.format("DMA %s of %d bytes at physical address 0x%x runs past the end of a %d-byte "
                                    + "block at physical 0x%x", direction, length, start, freed.size,
                            freed.physicalAddressOf(0))));
        } else {
            report(new MemoryFault(MemoryFault.Kind.BAD_PHYSICAL_ACCESS,
                    String.format("DMA %s of %d bytes at physical address 0x%x: no wired kernel memory at 0x%x",
                            direction, length, start, at),
                    at, 0, 0, null, null, null, null));
        }
    }

    // ---- faults ------------------------------------------------------------------------------

    /** Report a bad access through a buffer of this heap (called by the buffer, off the fast path). */
    void accessFault(HeapBlock block, long index, long length, boolean write) {
        String access = (write ? "Write" : "Read") + " of size " + length;
        long address = block.address + index;
        String region = String.format("%d-byte region [0x%x, 0x%x)", block.size, block.address,
                block.address + block.size);
        MemoryFault fault;
        if (block.freed) {
            fault = fault(MemoryFault.Kind.USE_AFTER_FREE, block, address, CallSites.caller(),
                    String.format("KASAN: use-after-free: %s at addr 0x%x, %d bytes inside of %s freed by %s",
                            access, address, index, region, block.allocator.freeFunction()));
        } else if (index < 0) {
            fault = fault(MemoryFault.Kind.OUT_OF_BOUNDS, block, address, CallSites.caller(),
                    String.format("KASAN: heap-buffer-underflow: %s at addr 0x%x, %d bytes to the left of %s",
                            access, address, -index, region));
        } else {
            fault = fault(MemoryFault.Kind.OUT_OF_BOUNDS, block, address, CallSites.caller(),
                    String.format("KASAN: heap-buffer-overflow: %s at addr 0x%x, %d bytes to the right of %s",
                            access, address, Math.max(0, index + length - block.size), region));
        }
        report(fault);
    }

    @Override
    public synchronized long reserveVirtualRange(long length) {
        long start = nextMapping;
        nextMapping = alignUp(start + Math.max(length, 1), PAGE_SIZE) + PAGE_SIZE;
        return start;
    }

    @Override
    public void fault(MemoryFault fault) {
        report(fault);
    }

    private static MemoryFault fault(MemoryFault.Kind kind, HeapBlock block, long address, StackTraceElement site,
                                     String message) {
        return new MemoryFault(kind, message, address, block.address, block.size, block.allocator,
                block.allocationSite, block.freeSite, site);
    }

    private void report(MemoryFault fault) {
        faultHandler.memoryFault(fault);
    }

    // ---- inspection --------------------------------------------------------------------------

    @Override
    public synchronized int liveAllocationCount() {
        return live.size();
    }

    /** Return the live allocations in address order, for leak reports. */
    public synchronized List<HeapAllocation> liveAllocations() {
        List<HeapAllocation> result = new ArrayList<>(live.size());
        for (HeapBlock block : live.values()) {
            result.add(new HeapAllocation(block.address, block.size, block.allocator, block.tag, block.caller,
                    block.allocationSite, block.size == 0 ? -1 : block.physicalAddressOf(0)));
        }
        return result;
    }

    /** Return how many zero-size allocations were ever made (a checker reports them). */
    public synchronized long zeroSizeAllocationCount() {
        return zeroSizeAllocations;
    }

    /** Return the live allocation that starts at {@code address}, or {@code null}. */
    public synchronized HeapAllocation allocationAt(long address) {
        HeapBlock block = live.get(address);
        return block == null ? null : new HeapAllocation(block.address, block.size, block.allocator, block.tag,
                block.caller, block.allocationSite, block.size == 0 ? -1 : block.physicalAddressOf(0));
    }

    /**
     * Return the block, live or freed, whose wired pages hold {@code physicalAddress}, or {@code null}:
     * what a device's DMA address points into, for the DMA checks.
     */
    public HeapAllocation allocationAtPhysical(long physicalAddress) {
        long page = physicalAddress & ~(PAGE_SIZE - 1L);
        HeapBlock block;
        synchronized (this) {
            block = physicalPages.get(page);
            if (block == null) {
                block = freedPhysicalPages.get(page);
            }
        }
        return block == null ? null : new HeapAllocation(block.address, block.size, block.allocator, block.tag,
                block.caller, block.allocationSite, -1);
    }

    private SimulatedBuffer own(KernelBuffer buffer) {
        return buffer instanceof SimulatedBuffer && ((SimulatedBuffer) buffer).block.heap == this
                ? (SimulatedBuffer) buffer : null;
    }

    private static long alignUp(long value, long alignment) {
        return (value + alignment - 1) & -alignment;
    }

    private static long roundUpToPowerOfTwo(long alignment) {
        if (alignment <= 1) {
            return 1;
        }
        long power = Long.highestOneBit(alignment);
        return power == alignment ? alignment : power << 1;
    }
}
