package org.kextkit.kit.libkern;

import org.kextkit.kit.internal.CallSites;
import org.kextkit.kit.internal.CallerKernel;
import org.kextkit.kit.internal.KernelHeap;
import org.kextkit.kit.internal.KernelRuntime;
import org.kextkit.kit.internal.KernelServices;
import org.kextkit.kit.internal.TagAccounting;

/**
 * Call the tagged allocator of libkern ({@code libkern/OSMalloc.h}, deprecated in favour of
 * {@code IOMallocType} but still used by many kexts).
 *
 * <p>A tag is reference-counted as in XNU: one reference for its creator and one per live block.
 * {@link #OSMalloc_Tagfree} drops the creator's reference and the tag goes away with its last block;
 * calling it twice panics ({@code OSMalloc_Tagfree():'name' has bad state 0xDEAB0001}), and so does
 * allocating with a released tag. Every block must be freed with {@link #OSFree} giving the same
 * size and tag, and every block should be freed before {@code OSMalloc_Tagfree} (the kernel records
 * the outstanding count for the checkers).
 */
@SuppressWarnings("checkstyle:MethodName")
public final class OSMalloc {
    /** {@code OSMT_DEFAULT}: blocks are wired. */
    public static final int OSMT_DEFAULT = 0x00;
    /** {@code OSMT_PAGEABLE}: blocks of a page or more may be pageable. */
    public static final int OSMT_PAGEABLE = 0x01;

    private static final int NAME_MAX = 63;
    private static final long TAG_SIZE = 96;
    private static final long PAGE_SIZE = 4096;

    private OSMalloc() {
    }

    /** Create a tag named {@code name} (cut to 63 characters) with {@code flags} ({@code OSMalloc_Tagalloc}). */
    public static OSMallocTag OSMalloc_Tagalloc(String name, int flags) {
        Class<?> caller = KernelRuntime.callerClass();
        KernelServices services = CallerKernel.servicesOf(caller);
        String stored = name == null ? "" : name.length() > NAME_MAX ? name.substring(0, NAME_MAX) : name;
        KernelBuffer storage = services.heap().allocate(KernelHeap.Allocator.OSMALLOC_TAG, TAG_SIZE, 8, null, caller);
        OSMallocTag tag = new OSMallocTag(stored, flags, services, storage);
        tag.tagAccounting().allocationSite = CallSites.caller();
        return tag;
    }

    /**
     * Release the creator's reference to {@code tag} ({@code OSMalloc_Tagfree}); the tag goes away once
     * its last block is freed. Panics if the tag was already released.
     */
    public static void OSMalloc_Tagfree(OSMallocTag tag) {
        Class<?> caller = KernelRuntime.callerClass();
        TagAccounting accounting = tag.tagAccounting();
        synchronized (accounting) {
            if (accounting.state != TagAccounting.OSMT_VALID) {
                throw tag.services().panic(String.format("OSMalloc_Tagfree():'%s' has bad state 0x%08X",
                        tag.getName(), accounting.state));
            }
            accounting.state = TagAccounting.OSMT_VALID | TagAccounting.OSMT_RELEASED;
            accounting.liveBlocksAtTagfree = accounting.liveBlocks;
        }
        if (accounting.liveBlocksAtTagfree > 0 && tag.services().checks().active()) {
            tag.services().checks().tagFreedWithLiveBlocks(tag.getName(), accounting.liveBlocksAtTagfree);
        }
        release(tag, caller);
    }

    /** Allocate {@code size} bytes charged to {@code tag}; may block ({@code OSMalloc}). */
    public static KernelBuffer OSMalloc(long size, OSMallocTag tag) {
        return allocate(size, tag, KernelRuntime.callerClass(), false);
    }

    /** Allocate without blocking; returns {@code null} for a pageable tag ({@code OSMalloc_noblock}). */
    public static KernelBuffer OSMalloc_noblock(long size, OSMallocTag tag) {
        return allocate(size, tag, KernelRuntime.callerClass(), true);
    }

    /** Allocate without waiting for memory; may return {@code null} ({@code OSMalloc_nowait}). */
    public static KernelBuffer OSMalloc_nowait(long size, OSMallocTag tag) {
        return allocate(size, tag, KernelRuntime.callerClass(), false);
    }

    /** Free a block; {@code size} and {@code tag} must be those of the allocation ({@code OSFree}). */
    public static void OSFree(KernelBuffer address, long size, OSMallocTag tag) {
        if (address == null) {
            return;
        }
        Class<?> caller = KernelRuntime.callerClass();
        tag.services().heap().free(KernelHeap.Allocator.OSMALLOC, address, size, tag, caller);
        // as in XNU, the tag passed in loses the block's reference, whichever tag the block had
        synchronized (tag.tagAccounting()) {
            tag.tagAccounting().liveBlocks--;
        }
        release(tag, caller);
    }

    private static KernelBuffer allocate(long size, OSMallocTag tag, Class<?> caller, boolean noblock) {
        boolean pageable = (tag.getFlags() & OSMT_PAGEABLE) != 0;
        if (noblock && pageable) {
            return null;
        }
        TagAccounting accounting = tag.tagAccounting();
        synchronized (accounting) {
            if (accounting.state != TagAccounting.OSMT_VALID) {
                throw tag.services().panic(String.format("OSMalloc_Tagref():'%s' has bad state 0x%08X",
                        tag.getName(), accounting.state));
            }
            accounting.refcount++;
            accounting.liveBlocks++;
        }
        KernelHeap.Wiring wiring = pageable && size >= PAGE_SIZE ? KernelHeap.Wiring.PAGEABLE : KernelHeap.Wiring.WIRED;
        KernelBuffer block = tag.services().heap().allocate(KernelHeap.Allocator.OSMALLOC, size, 1, tag, caller, wiring);
        if (block == null) {
            synchronized (accounting) {
                accounting.liveBlocks--;
            }
            release(tag, caller);
        }
        return block;
    }

    private static void release(OSMallocTag tag, Class<?> caller) {
        TagAccounting accounting = tag.tagAccounting();
        boolean last;
        synchronized (accounting) {
            if (accounting.refcount <= 0) {
                throw tag.services().panic(String.format("OSMalloc_Tagrele():'%s' has refcnt 0", tag.getName()));
            }
            last = --accounting.refcount == 0;
            if (last && accounting.state != (TagAccounting.OSMT_VALID | TagAccounting.OSMT_RELEASED)) {
                // more blocks freed than allocated while the creator still holds the tag
                accounting.refcount = 0;
                throw tag.services().panic(String.format("OSMalloc_Tagrele():'%s' has refcnt 0", tag.getName()));
            }
            if (last) {
                accounting.state = 0;
            }
        }
        if (last) {
            tag.services().heap().free(KernelHeap.Allocator.OSMALLOC_TAG, tag.storage(), TAG_SIZE, null, caller);
        }
    }
}
