package org.kextkit.kit.iokit;

import org.kextkit.kit.internal.CallSites;
import org.kextkit.kit.internal.CallerKernel;
import org.kextkit.kit.internal.KernelHeap;
import org.kextkit.kit.internal.KernelServices;
import org.kextkit.kit.internal.SimulatedHeap;
import org.kextkit.kit.libkern.KernelBuffer;

/**
 * A memory descriptor that owns its memory ({@code IOBufferMemoryDescriptor}): the usual way to get a
 * DMA buffer. The memory is allocated by the factory and freed when the descriptor is released.
 *
 * <p>By default the memory is wired but not physically contiguous: ask for
 * {@link #kIOMemoryPhysicallyContiguous} if the device cannot do scatter-gather, and walk
 * {@link #getPhysicalSegment} otherwise.
 */
public class IOBufferMemoryDescriptor extends IOMemoryDescriptor {
    /** {@code kIOMemoryPhysicallyContiguous}. */
    public static final int kIOMemoryPhysicallyContiguous = 0x00000010;
    /** {@code kIOMemoryPageable}. */
    public static final int kIOMemoryPageable = 0x00000400;
    /** {@code kIOMemoryPurgeable}. */
    public static final int kIOMemoryPurgeable = 0x00000040;
    /** {@code kIOMemoryKernelUserShared}. */
    public static final int kIOMemoryKernelUserShared = 0x00000200;

    private final long capacity;
    private final int options;
    private volatile boolean released;

    /** Use a factory. */
    protected IOBufferMemoryDescriptor(KernelBuffer buffer, long capacity, int options) {
        super(buffer, capacity, options & kIOMemoryDirectionMask);
        this.capacity = capacity;
        this.options = options;
    }

    /** Allocate {@code capacity} bytes of wired memory for I/O in {@code direction} ({@code withCapacity}). */
    public static IOBufferMemoryDescriptor withCapacity(long capacity, int direction) {
        return create(CallSites.callerClass(), direction, capacity, 1);
    }

    /**
     * Allocate {@code capacity} bytes, physically contiguous and aligned to their size if
     * {@code contiguous} ({@code withCapacity(capacity, direction, contiguous)}).
     */
    public static IOBufferMemoryDescriptor withCapacity(long capacity, int direction, boolean contiguous) {
        return create(CallSites.callerClass(), direction | (contiguous ? kIOMemoryPhysicallyContiguous : 0), capacity,
                contiguous ? capacity : 1);
    }

    /** Allocate with {@code options} (direction and memory options) and {@code alignment} ({@code withOptions}). */
    public static IOBufferMemoryDescriptor withOptions(int options, long capacity, long alignment) {
        return create(CallSites.callerClass(), options, capacity, alignment);
    }

    /**
     * Allocate in {@code task}'s address space ({@code inTaskWithOptions}). kextkit has only the
     * kernel task: pass {@code null} (meaning {@code kernel_task}); any other task gets {@code null}.
     */
    public static IOBufferMemoryDescriptor inTaskWithOptions(Object task, int options, long capacity, long alignment) {
        if (task != null) {
            return null;
        }
        return create(CallSites.callerClass(), options, capacity, alignment);
    }

    private static IOBufferMemoryDescriptor create(Class<?> caller, int options, long capacity, long alignment) {
        if (capacity <= 0) {
            return null;
        }
        KernelServices services = CallerKernel.servicesOf(caller);
        KernelHeap.Wiring wiring = (options & kIOMemoryPhysicallyContiguous) != 0 ? KernelHeap.Wiring.CONTIGUOUS
                : (options & kIOMemoryPageable) != 0 ? KernelHeap.Wiring.PAGEABLE : KernelHeap.Wiring.WIRED;
        long align = capacity >= SimulatedHeap.PAGE_SIZE ? Math.max(alignment, SimulatedHeap.PAGE_SIZE) : alignment;
        KernelBuffer memory = services.heap().allocate(KernelHeap.Allocator.BUFFER_MEMORY_DESCRIPTOR, capacity, align,
                null, caller, wiring);
        return memory == null ? null : new IOBufferMemoryDescriptor(memory, capacity, options);
    }

    /** Return the memory ({@code getBytesNoCopy}). */
    public KernelBuffer getBytesNoCopy() {
        return buffer;
    }

    /** Return a pointer {@code start} bytes in, if {@code withLength} bytes fit ({@code getBytesNoCopy(start, len)}). */
    public KernelBuffer getBytesNoCopy(long start, long withLength) {
        return start >= 0 && withLength >= 0 && start + withLength <= capacity ? buffer.at(start) : null;
    }

    /** Set the length of valid data, at most the capacity ({@code setLength}). */
    public void setLength(long newLength) {
        if (newLength < 0 || newLength > capacity) {
            throw new IllegalArgumentException("IOBufferMemoryDescriptor::setLength: " + newLength
                    + " exceeds the capacity " + capacity);
        }
        this.length = newLength;
    }

    /** Return the capacity given at creation ({@code getCapacity}). */
    public long getCapacity() {
        return capacity;
    }

    /** Return the options given at creation. */
    public int getOptions() {
        return options;
    }

    /** Free the memory with the descriptor. */
    @Override
    protected void free() {
        super.free();
        if (!released) {
            released = true;
            heap().free(KernelHeap.Allocator.BUFFER_MEMORY_DESCRIPTOR, buffer, capacity, null, CallSites.callerClass());
        }
    }
}
