package org.kextkit.kit.internal;

import org.kextkit.kit.iokit.IOPMPowerState;
import org.kextkit.kit.iokit.IORegistryEntry;
import org.kextkit.kit.iokit.IOService;

/**
 * The kernel side of the I/O Kit: what {@link IOService} and {@link IORegistryEntry} ask of the
 * hosted kernel they live in. The harness implements it (registry, catalogue, matching engine,
 * termination, power management); {@link Standalone#iokit()} serves objects created with no kernel.
 */
public interface IOKitHost {
    /** Return a fresh registry entry ID, unique in this kernel (ioreg's {@code id 0x...}). */
    long newRegistryEntryID();

    /** Return the registry root (ioreg's {@code Root}). */
    IORegistryEntry root();

    /** Return the {@code IOResources} nub. */
    IOService resources();

    /**
     * Start matching clients for {@code service} ({@code registerService}); asynchronous unless
     * {@code options} has {@code kIOServiceSynchronous}.
     */
    void registerService(IOService service, int options);

    /**
     * Terminate {@code service} and, leaf first, the clients that depend on it
     * ({@code IOService::terminate}); return false if refused (a client has it open and
     * {@code kIOServiceRequired} is not set).
     */
    boolean terminate(IOService service, int options);

    /** Publish a resource on {@code IOResources} and wake drivers waiting for it in {@code IOResourceMatch}. */
    void publishResource(String key, Object value);

    /** Make {@code driver} the power driver of {@code service} with this state table ({@code registerPowerDriver}). */
    int registerPowerDriver(IOService service, IOService driver, IOPMPowerState[] states);

    /** Attach {@code child} to {@code parent} in the IOPower plane ({@code joinPMtree}). */
    void joinPMtree(IOService parent, IOService child);

    /** Ask for a power state change of {@code service} ({@code changePowerStateTo}). */
    int changePowerStateTo(IOService service, long ordinal);

    /** Complete a power state change that {@code setPowerState} did not acknowledge at once. */
    int acknowledgeSetPowerState(IOService service);

    /** Leave power management ({@code PMstop}). */
    void PMstop(IOService service);

    /**
     * Let termination go on to stop {@code client} and detach it from {@code provider}: called by
     * {@code IOService.didTerminate} when it does not defer (the base implementation, or a driver
     * calling it later once its pending I/O is done), as {@code scheduleStop} is in I/O Kit.
     */
    default void scheduleStop(IOService client, IOService provider) {
    }

    /** Tell the kernel that {@code client} closed {@code provider}; a termination may be waiting for it. */
    default void closed(IOService provider, IOService client) {
    }

    /** Return the current power state ordinal of {@code service}, or -1 if it has no power driver. */
    default long getPowerState(IOService service) {
        return -1;
    }
}
