package org.kextkit.kit.iokit;

import org.kextkit.kit.internal.BufferRegisters;
import org.kextkit.kit.internal.CallSites;
import org.kextkit.kit.internal.CallerKernel;
import org.kextkit.kit.internal.KernelHeap;
import org.kextkit.kit.internal.SimulatedHeap;
import org.kextkit.kit.libkern.KernelBuffer;
import org.kextkit.kit.libkern.OSObject;

/**
 * Describe a range of memory for I/O ({@code IOMemoryDescriptor}): its length, the direction data
 * moves, and, once prepared, its physical segments for DMA.
 *
 * <p>Call {@link #prepare()} before a device touches the memory (it wires pageable memory and gives
 * it physical pages) and {@link #complete()} after, as many times each. A device reaches the memory
 * by the physical addresses {@link #getPhysicalSegment} returns; memory that is not physically
 * contiguous comes in several segments, split at page boundaries, exactly as on a Mac.
 * {@link #getPhysicalSegment} on a descriptor that is not prepared panics the kernel, since DMA to
 * unwired memory corrupts it. Non-final for mocks.
 */
public class IOMemoryDescriptor extends OSObject {
    /** {@code kIODirectionNone}. */
    public static final int kIODirectionNone = 0x0;
    /** {@code kIODirectionIn}: the device writes the memory (a read from the device). */
    public static final int kIODirectionIn = 0x1;
    /** {@code kIODirectionOut}: the device reads the memory (a write to the device). */
    public static final int kIODirectionOut = 0x2;
    /** {@code kIODirectionOutIn}. */
    public static final int kIODirectionOutIn = kIODirectionOut | kIODirectionIn;
    /** {@code kIODirectionInOut}. */
    public static final int kIODirectionInOut = kIODirectionIn | kIODirectionOut;
    /** {@code kIOMemoryDirectionMask}. */
    public static final int kIOMemoryDirectionMask = 0x00000087;

    /** The described memory, or {@code null} for device memory. */
    protected final KernelBuffer buffer;
    /** The length in bytes. */
    protected long length;
    /** The direction given at creation. */
    protected final int direction;
    private final KernelHeap memoryHeap;
    private int prepareCount;
    private boolean freedWhilePrepared;

    /** For mocks and subclasses: a descriptor of nothing. */
    protected IOMemoryDescriptor() {
        this(null, 0, kIODirectionNone);
    }

    /** Describe {@code length} bytes at {@code buffer}, moving in {@code direction}. */
    protected IOMemoryDescriptor(KernelBuffer buffer, long length, int direction) {
        this.buffer = buffer;
        this.length = length;
        this.direction = direction;
        // the heap of the caller's kernel, which is where its memory lives, whatever thread frees it
        this.memoryHeap = CallerKernel.servicesOf(CallSites.callerClass()).heap();
    }

    /**
     * Describe {@code length} bytes of kernel memory at {@code address} ({@code withAddress});
     * return {@code null} if the range is empty or longer than the buffer.
     */
    public static IOMemoryDescriptor withAddress(KernelBuffer address, long length, int direction) {
        if (address == null || length <= 0 || length > address.size()) {
            return null;
        }
        return new IOMemoryDescriptor(address, length, direction);
    }

    /** Return the length in bytes ({@code getLength}). */
    public long getLength() {
        return length;
    }

    /** Return the direction ({@code getDirection}). */
    public int getDirection() {
        return direction & kIOMemoryDirectionMask;
    }

    /**
     * Copy up to {@code count} bytes from {@code offset} into {@code bytes} ({@code readBytes});
     * return the number copied (fewer near the end).
     */
    public long readBytes(long offset, byte[] bytes, int bytesOffset, int count) {
        int n = clamp(offset, count);
        if (n > 0) {
            buffer.readBytes(offset, bytes, bytesOffset, n);
        }
        return n;
    }

    /** Copy up to {@code count} bytes from {@code bytes} to {@code offset} ({@code writeBytes}); return the number copied. */
    public long writeBytes(long offset, byte[] bytes, int bytesOffset, int count) {
        int n = clamp(offset, count);
        if (n > 0) {
            buffer.writeBytes(offset, bytes, bytesOffset, n);
        }
        return n;
    }

    int clamp(long offset, int count) {
        if (offset < 0 || offset >= length || count <= 0) {
            return 0;
        }
        return (int) Math.min(count, length - offset);
    }

    /** Prepare the memory for I/O in the descriptor's direction ({@code prepare()}). */
    public int prepare() {
        return prepare(kIODirectionNone);
    }

    /** Wire the memory and give it physical pages for I/O ({@code prepare}); pair with {@link #complete}. */
    public int prepare(int forDirection) {
        synchronized (this) {
            prepareCount++;
        }
        if (buffer != null) {
            heap().wire(buffer);
        }
        return IOReturn.kIOReturnSuccess;
    }

    /** Complete I/O in the descriptor's direction ({@code complete()}). */
    public int complete() {
        return complete(kIODirectionNone);
    }

    /**
     * Undo one {@link #prepare} ({@code complete}); return {@code kIOReturnNotReady} if the
     * descriptor is not prepared.
     */
    public int complete(int forDirection) {
        synchronized (this) {
            if (prepareCount == 0) {
                return IOReturn.kIOReturnNotReady;
            }
            prepareCount--;
        }
        if (buffer != null) {
            heap().unwire(buffer);
        }
        return IOReturn.kIOReturnSuccess;
    }

    /** Return how many {@link #prepare} calls are not yet completed. */
    public synchronized int getPrepareCount() {
        return prepareCount;
    }

    /** Return true if the descriptor was freed while still prepared (a wiring leak the checkers report). */
    public synchronized boolean wasFreedWhilePrepared() {
        return freedWhilePrepared;
    }

    /**
     * Return the physical address of byte {@code offset} and, in {@code length[0]} if given, how many
     * bytes from there are physically contiguous ({@code getPhysicalSegment}); return 0 past the
     * end. Panics if the descriptor is not prepared.
     */
    public long getPhysicalSegment(long offset, long[] segmentLength) {
        if (offset < 0 || offset >= length) {
            if (segmentLength != null && segmentLength.length > 0) {
                segmentLength[0] = 0;
            }
            return 0;
        }
        if (getPrepareCount() == 0) {
            throw kernelServices().panic(String.format("IOMemoryDescriptor::getPhysicalSegment: descriptor of 0x%x "
                    + "bytes at 0x%x is not prepared; call prepare() before giving it to a device", length,
                    buffer == null ? 0 : buffer.address()));
        }
        KernelHeap heap = heap();
        long physical = heap.physicalAddress(buffer, offset);
        if (segmentLength != null && segmentLength.length > 0) {
            long page = SimulatedHeap.PAGE_SIZE;
            long contiguous = Math.min(length - offset, page - ((buffer.address() + offset) & (page - 1)));
            while (offset + contiguous < length
                    && heap.physicalAddress(buffer, offset + contiguous) == physical + contiguous) {
                contiguous += Math.min(page, length - offset - contiguous);
            }
            segmentLength[0] = contiguous;
        }
        return physical;
    }

    /** Map the memory into the kernel's address space ({@code map}). */
    public IOMemoryMap map() {
        return map(0);
    }

    /** Map with {@code options} ({@code map(options)}); kextkit maps kernel memory in place. */
    public IOMemoryMap map(int options) {
        if (buffer == null) {
            return null;
        }
        long physical = getPrepareCount() > 0 || isWired() ? heap().physicalAddress(buffer, 0) : 0;
        return new IOMemoryMap(this, new BufferRegisters(buffer), buffer.address(), physical, length);
    }

    private boolean isWired() {
        return heap() instanceof SimulatedHeap simulated
                && simulated.allocationAt(buffer.address()) != null
                && simulated.allocationAt(buffer.address()).physicalAddress() >= 0;
    }

    /** Return the kernel heap the memory lives in. */
    protected final KernelHeap heap() {
        return memoryHeap;
    }

    /** Complete outstanding preparations, recording the leak ({@code IOMemoryDescriptor::free}). */
    @Override
    protected void free() {
        int outstanding;
        synchronized (this) {
            outstanding = prepareCount;
            freedWhilePrepared = outstanding > 0;
        }
        if (outstanding > 0) {
            org.kextkit.kit.internal.KernelChecks checks = kernelServices().checks();
            if (checks.active()) {
                checks.teardownMisuse(org.kextkit.kit.internal.KernelChecks.TeardownMisuse.FREED_WHILE_PREPARED, this,
                        String.format(java.util.Locale.ROOT, "memory descriptor of %d bytes freed while prepared "
                                + "(%d prepare call(s) not completed); its pages stayed wired. Call complete() "
                                + "for every prepare().", length, outstanding));
            }
        }
        while (getPrepareCount() > 0) {
            complete();
        }
        super.free();
    }
}
