package org.kextkit.kit.internal;

/**
 * The kernel's record of one event source, for the teardown checks: whether it is added to a work
 * loop, whether a timer is armed, and the teardown mistakes seen (W1/W2, WL-1 to WL-3 of the kext
 * rules). Only the kit changes it.
 */
public final class EventSourceRecord {
    /** Where the event source was created (first frame outside the kit). */
    public final StackTraceElement creationSite = CallSites.caller();
    /** The source is added to a work loop. */
    public volatile boolean added;
    /** A timer is armed and will fire. */
    public volatile boolean armed;
    /** Removed from its work loop while its timer was armed (WL-2). */
    public volatile boolean removedWhileArmed;
    /** Freed while its timer was armed (WL-2; the free cancelled it). */
    public volatile boolean freedWhileArmed;
    /** Released by its owner while still added to a work loop (WL-1). */
    public volatile boolean releasedWhileAdded;
    /** Calls to runAction/runCommand made at primary interrupt level (WL-3). */
    public volatile int callsFromPrimaryInterrupt;
    /** The interrupt handler is registered with the provider. */
    public volatile boolean interruptRegistered;
}
