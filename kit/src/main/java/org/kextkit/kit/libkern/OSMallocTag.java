package org.kextkit.kit.libkern;

import org.kextkit.kit.internal.KernelServices;
import org.kextkit.kit.internal.TagAccounting;

/**
 * An allocation tag for {@link OSMalloc#OSMalloc} ({@code OSMallocTag}): names the blocks allocated
 * with it, and says whether large ones may be pageable. Made by {@link OSMalloc#OSMalloc_Tagalloc};
 * freed by {@link OSMalloc#OSMalloc_Tagfree} after all its blocks were freed. Non-final for mocks.
 */
public class OSMallocTag {
    private final String name;
    private final int flags;
    private final KernelServices services;
    private final KernelBuffer storage;
    private final TagAccounting accounting = new TagAccounting();

    /** For mocks and subclasses only. */
    protected OSMallocTag() {
        this(null, 0, null, null);
    }

    OSMallocTag(String name, int flags, KernelServices services, KernelBuffer storage) {
        this.name = name;
        this.flags = flags;
        this.services = services;
        this.storage = storage;
    }

    /** Return the tag's name (at most 63 characters, as the kernel stores it). */
    public String getName() {
        return name;
    }

    /** Return the flags given at creation ({@link OSMalloc#OSMT_DEFAULT}, {@link OSMalloc#OSMT_PAGEABLE}). */
    public int getFlags() {
        return flags;
    }

    /** Return the kernel's bookkeeping on this tag; kexts cannot use it. */
    public final TagAccounting tagAccounting() {
        return accounting;
    }

    final KernelServices services() {
        return services;
    }

    final KernelBuffer storage() {
        return storage;
    }

    @Override
    public String toString() {
        return name;
    }
}
