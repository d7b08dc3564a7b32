package org.kextkit.kit.internal;

/**
 * The kernel's bookkeeping on one {@code OSMallocTag}, as {@code bsd/kern/kern_malloc.c} keeps it:
 * a reference count of one for the creator plus one per live block, and a state word. Only the kit
 * changes it; checkers read it.
 */
public final class TagAccounting {
    /** {@code OSMT_VALID}: the high half of the state word of a tag not yet torn down. */
    public static final int OSMT_VALID = 0xDEAB0000;
    /** {@code OSMT_RELEASED}: set by {@code OSMalloc_Tagfree}. */
    public static final int OSMT_RELEASED = 0x00000001;

    /** The state word. */
    public volatile int state = OSMT_VALID;
    /** The creator's reference plus one per live block. */
    public volatile int refcount = 1;
    /** Blocks allocated with the tag and not yet freed. */
    public volatile int liveBlocks;
    /** Live blocks when {@code OSMalloc_Tagfree} was called: more than zero breaks the header's contract. */
    public volatile int liveBlocksAtTagfree = -1;
    /** Where the tag was allocated. */
    public volatile StackTraceElement allocationSite;
}
