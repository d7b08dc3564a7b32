package org.kextkit.kit.internal;

/**
 * The kernel's bookkeeping on one {@code IOService}: the state ioreg prints
 * ({@code registered, matched, active, busy N}) and what matching and termination need. Only the
 * kernel changes it; kexts cannot see this package.
 */
public final class IOServiceState {
    /** {@code registerService} has been called. */
    public volatile boolean registered;
    /** Matching has run for this service at least once. */
    public volatile boolean matched;
    /** Termination has begun: the service takes no new clients or opens. */
    public volatile boolean inactive;
    /** {@code start} returned true and {@code stop} has not run yet. */
    public volatile boolean started;
    /** The busy count ioreg prints. */
    public volatile int busy;
    /** Accumulated busy time in milliseconds (ioreg's {@code (T ms)}). */
    public volatile long busyMillis;
    /** The bundle identifier of the kext whose personality created this driver, or {@code null} for nubs. */
    public volatile String bundleIdentifier;
    /** Termination has finished: stopped, detached from every provider, forgotten by the kernel. */
    public volatile boolean finalized;
}
