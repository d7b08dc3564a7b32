package org.kextkit.kit.iokit;

import org.kextkit.kit.internal.CallerKernel;
import org.kextkit.kit.internal.KernelHeap;
import org.kextkit.kit.internal.KernelHeap.Allocator;
import org.kextkit.kit.internal.KernelRuntime;
import org.kextkit.kit.internal.KernelServices;
import org.kextkit.kit.libkern.KernelBuffer;

/**
 * Call the I/O Kit library functions ({@code IOLib.h}, {@code com.apple.kpi.iokit}): logging, kernel
 * memory and delays.
 *
 * <p>Use with a static import: {@code import static org.kextkit.kit.iokit.IOLib.*;}.
 *
 * <p>Memory is the kernel's: each allocation is a {@link KernelBuffer} whose accesses the kernel
 * checks. Every allocation function has its own free, which must be given the same size (and the
 * kernel reports {@code bad IOFree size 0x10 should be 0x20} when it is not), exactly as a debug
 * kernel does. Freeing {@code null} does nothing, as in C. The allocators may block: call them
 * neither at primary interrupt level nor while holding a spin lock.
 */
@SuppressWarnings("checkstyle:MethodName")
public final class IOLib {
    /** {@code kNanosecondScale}: an interval in nanoseconds. */
    public static final long kNanosecondScale = 1;
    /** {@code kMicrosecondScale}: an interval in microseconds. */
    public static final long kMicrosecondScale = 1_000;
    /** {@code kMillisecondScale}: an interval in milliseconds. */
    public static final long kMillisecondScale = 1_000_000;
    /** {@code kSecondScale}: an interval in seconds. */
    public static final long kSecondScale = 1_000_000_000;

    private IOLib() {
    }

    /**
     * Write a formatted message to the kernel log, like {@code IOLog}.
     *
     * <p>The format is Java's {@link String#format}. Like the real {@code IOLog}, this may block:
     * never call it from a primary-interrupt context or while holding a spin lock.
     */
    public static void IOLog(String format, Object... args) {
        KernelRuntime.log(KernelRuntime.callerClass(), "IOLog", String.format(format, args));
    }

    // ---- memory -------------------------------------------------------------------------------

    /** Allocate {@code size} bytes of wired kernel memory; free with {@link #IOFree}. */
    public static KernelBuffer IOMalloc(long size) {
        Class<?> caller = KernelRuntime.callerClass();
        return heapOf(caller).allocate(Allocator.IOMALLOC, size, 1, null, caller);
    }

    /** Allocate {@code size} zero-filled bytes; free with {@link #IOFree}. */
    public static KernelBuffer IOMallocZero(long size) {
        Class<?> caller = KernelRuntime.callerClass();
        return zeroed(heapOf(caller).allocate(Allocator.IOMALLOC, size, 1, null, caller));
    }

    /** Free memory from {@link #IOMalloc} or {@link #IOMallocZero}; {@code size} must be the allocated size. */
    public static void IOFree(KernelBuffer address, long size) {
        Class<?> caller = KernelRuntime.callerClass();
        heapOf(caller).free(Allocator.IOMALLOC, address, size, null, caller);
    }

    /** Allocate {@code size} bytes from the data-only heap (no pointers inside); free with {@link #IOFreeData}. */
    public static KernelBuffer IOMallocData(long size) {
        Class<?> caller = KernelRuntime.callerClass();
        return heapOf(caller).allocate(Allocator.IOMALLOC_DATA, size, 1, null, caller);
    }

    /** Allocate {@code size} zero-filled bytes from the data-only heap; free with {@link #IOFreeData}. */
    public static KernelBuffer IOMallocZeroData(long size) {
        Class<?> caller = KernelRuntime.callerClass();
        return zeroed(heapOf(caller).allocate(Allocator.IOMALLOC_DATA, size, 1, null, caller));
    }

    /** Free memory from {@link #IOMallocData}; never pass it to {@link #IOFree}. */
    public static void IOFreeData(KernelBuffer address, long size) {
        Class<?> caller = KernelRuntime.callerClass();
        heapOf(caller).free(Allocator.IOMALLOC_DATA, address, size, null, caller);
    }

    /**
     * Allocate {@code size} bytes whose address is a multiple of {@code alignment} (rounded up to a
     * power of two); free with {@link #IOFreeAligned}.
     */
    public static KernelBuffer IOMallocAligned(long size, long alignment) {
        Class<?> caller = KernelRuntime.callerClass();
        return heapOf(caller).allocate(Allocator.IOMALLOC_ALIGNED, size, alignment, null, caller);
    }

    /** Free memory from {@link #IOMallocAligned}. */
    public static void IOFreeAligned(KernelBuffer address, long size) {
        Class<?> caller = KernelRuntime.callerClass();
        heapOf(caller).free(Allocator.IOMALLOC_ALIGNED, address, size, null, caller);
    }

    /**
     * Allocate {@code size} bytes of physically contiguous memory aligned to {@code alignment}; if
     * {@code physicalAddress} is not {@code null}, its first element receives the physical address
     * of the first byte. Deprecated in I/O Kit in favour of {@link IOBufferMemoryDescriptor}; free
     * with {@link #IOFreeContiguous}.
     */
    public static KernelBuffer IOMallocContiguous(long size, long alignment, long[] physicalAddress) {
        Class<?> caller = KernelRuntime.callerClass();
        KernelHeap heap = heapOf(caller);
        KernelBuffer buffer = heap.allocate(Allocator.IOMALLOC_CONTIGUOUS, size, alignment, null, caller);
        if (buffer != null && physicalAddress != null && physicalAddress.length > 0 && size > 0) {
            physicalAddress[0] = heap.physicalAddress(buffer, 0);
        }
        return buffer;
    }

    /** Free memory from {@link #IOMallocContiguous}. */
    public static void IOFreeContiguous(KernelBuffer address, long size) {
        Class<?> caller = KernelRuntime.callerClass();
        heapOf(caller).free(Allocator.IOMALLOC_CONTIGUOUS, address, size, null, caller);
    }

    /**
     * Allocate {@code size} bytes of pageable memory aligned to {@code alignment}: it has no physical
     * address until a memory descriptor's {@code prepare} wires it, and must not be touched at
     * interrupt level. Free with {@link #IOFreePageable}.
     */
    public static KernelBuffer IOMallocPageable(long size, long alignment) {
        Class<?> caller = KernelRuntime.callerClass();
        return heapOf(caller).allocate(Allocator.IOMALLOC_PAGEABLE, size, alignment, null, caller);
    }

    /** Free memory from {@link #IOMallocPageable}. */
    public static void IOFreePageable(KernelBuffer address, long size) {
        Class<?> caller = KernelRuntime.callerClass();
        heapOf(caller).free(Allocator.IOMALLOC_PAGEABLE, address, size, null, caller);
    }

    // ---- time ---------------------------------------------------------------------------------

    /** Block the calling thread for {@code milliseconds} of kernel time, letting others run ({@code IOSleep}). */
    public static void IOSleep(long milliseconds) {
        KernelServices services = CallerKernel.servicesOf(KernelRuntime.callerClass());
        if (services.checks().active()) {
            services.checks().blocking("IOSleep");
        }
        services.scheduler().sleep(milliseconds * 1_000_000L);
    }

    /** Spin for {@code microseconds} without giving up the processor ({@code IODelay}); keep it short. */
    public static void IODelay(long microseconds) {
        CallerKernel.servicesOf(KernelRuntime.callerClass()).scheduler().spin(microseconds * 1_000L);
    }

    /** Spin for {@code nanoseconds} ({@code IOPause}). */
    public static void IOPause(long nanoseconds) {
        CallerKernel.servicesOf(KernelRuntime.callerClass()).scheduler().spin(nanoseconds);
    }

    /**
     * Return the kernel's uptime as an absolute time ({@code clock_get_uptime}). In kextkit absolute
     * time is in nanoseconds, as on Intel Macs, and follows the kernel's clock (virtual in tests).
     */
    public static long clock_get_uptime() {
        return CallerKernel.servicesOf(KernelRuntime.callerClass()).scheduler().nanoTime();
    }

    /**
     * Return the absolute time {@code interval * scaleFactor} nanoseconds from now
     * ({@code clock_interval_to_deadline}): the deadline {@code IOLockSleepDeadline} and
     * {@code commandSleep} take.
     */
    public static long clock_interval_to_deadline(long interval, long scaleFactor) {
        return CallerKernel.servicesOf(KernelRuntime.callerClass()).scheduler().nanoTime() + interval * scaleFactor;
    }

    private static KernelHeap heapOf(Class<?> caller) {
        return CallerKernel.servicesOf(caller).heap();
    }

    private static KernelBuffer zeroed(KernelBuffer buffer) {
        if (buffer != null && buffer.size() > 0) {
            buffer.fill(0, buffer.size(), (byte) 0);
        }
        return buffer;
    }
}
