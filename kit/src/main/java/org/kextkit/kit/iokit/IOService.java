package org.kextkit.kit.iokit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.kextkit.kit.internal.IOKitHost;
import org.kextkit.kit.internal.IOServiceState;
import org.kextkit.kit.internal.KernelRuntime;
import org.kextkit.kit.internal.KernelServices;
import org.kextkit.kit.internal.Standalone;
import org.kextkit.kit.libkern.SInt32;

/**
 * The base class of every driver and nub ({@code IOService}): the matching, start/stop,
 * termination, open/close and power-management protocol between a provider and its clients.
 *
 * <p>A driver subclasses it and overrides {@link #start} and {@link #stop} (calling the superclass),
 * and optionally {@link #init}, {@link #probe}, {@link #message}, {@link #setPowerState} and
 * {@link #free}. The kernel calls these in the order {@code IOService.cpp} does; see the I/O Kit page
 * of the docs. Every method a driver receives a provider through is overridable, so tests can mock
 * nubs with Mockito.
 */
public class IOService extends IORegistryEntry {
    /** {@code kIOServiceRequired}: terminate even if a client has the provider open. */
    public static final int kIOServiceRequired = 0x00000001;
    /** {@code kIOServiceTerminate}. */
    public static final int kIOServiceTerminate = 0x00000004;
    /** {@code kIOServiceSynchronous}: finish before returning. */
    public static final int kIOServiceSynchronous = 0x00000002;
    /** {@code kIOServiceAsynchronous}. */
    public static final int kIOServiceAsynchronous = 0x00000008;

    /** {@code kIOMessageServiceIsTerminated}, sent to clients in termination phase 1. */
    public static final int kIOMessageServiceIsTerminated = 0xe0000010;
    /** {@code kIOMessageServiceIsSuspended}. */
    public static final int kIOMessageServiceIsSuspended = 0xe0000020;
    /** {@code kIOMessageServiceIsResumed}. */
    public static final int kIOMessageServiceIsResumed = 0xe0000030;
    /** {@code kIOMessageServiceIsRequestingClose}. */
    public static final int kIOMessageServiceIsRequestingClose = 0xe0000100;
    /** {@code kIOMessageServiceWasClosed}. */
    public static final int kIOMessageServiceWasClosed = 0xe0000110;

    /** {@code kIOPMAckImplied}: {@code setPowerState} finished the change. */
    public static final int kIOPMAckImplied = 0;

    /** The default value of {@code IOMatchCategory}. */
    public static final String gIODefaultMatchCategory = "IODefaultMatchCategory";

    private final IOServiceState state = new IOServiceState();
    private final List<IOService> openers = new ArrayList<>();
    private volatile List<IODeviceMemory> deviceMemory = List.of();

    /** Create a service; the kernel creates drivers from personalities by class name. */
    public IOService() {
    }

    /** Return the kernel's bookkeeping on this service; kexts cannot use it. */
    public final IOServiceState serviceState() {
        return state;
    }

    // ---- matching and lifecycle -------------------------------------------------------------

    /**
     * Attach below {@code provider} in the service plane; the kernel calls it around {@link #probe}
     * and before {@link #start}.
     */
    public boolean attach(IOService provider) {
        return provider != null && attachToParent(provider, gIOServicePlane);
    }

    /** Detach from {@code provider} in the service plane. */
    public void detach(IOService provider) {
        if (provider != null) {
            detachFromParent(provider, gIOServicePlane);
        }
    }

    /**
     * Decide whether to drive {@code provider}, possibly changing {@code score}; return this (or a
     * substitute) to stay in the running, {@code null} to drop out. The default returns this.
     */
    public IOService probe(IOService provider, SInt32 score) {
        return this;
    }

    /** Start driving {@code provider}; return false to let the next candidate try. Must call super. */
    public boolean start(IOService provider) {
        return true;
    }

    /** Stop driving {@code provider}: release event sources and leave power management. Must call super. */
    public void stop(IOService provider) {
    }

    /**
     * Check a matching table against this nub beyond the generic keys, possibly rewriting
     * {@code score}: families override this ({@code matchPropertyTable}). The default accepts.
     */
    public boolean matchPropertyTable(Map<String, Object> table, SInt32 score) {
        return true;
    }

    /** Start matching clients for this service ({@code registerService}). */
    public void registerService(int options) {
        host().registerService(this, options);
    }

    /** Start matching clients for this service, asynchronously. */
    public void registerService() {
        registerService(0);
    }

    /** Return the provider (first parent in the service plane), or {@code null}. */
    public IOService getProvider() {
        return getParentEntry(gIOServicePlane) instanceof IOService ? (IOService) getParentEntry(gIOServicePlane) : null;
    }

    /** Return the first client (child in the service plane), or {@code null}. */
    public IOService getClient() {
        List<IOService> clients = getClients();
        return clients.isEmpty() ? null : clients.get(0);
    }

    /** Return the clients in the service plane, in attach order. */
    public List<IOService> getClients() {
        List<IOService> clients = new ArrayList<>();
        for (IORegistryEntry child : getChildEntries(gIOServicePlane)) {
            if (child instanceof IOService) {
                clients.add((IOService) child);
            }
        }
        return clients;
    }

    /**
     * Publish a resource on the {@code IOResources} nub of the caller's kernel
     * ({@code IOService::publishResource}); drivers waiting for it in {@code IOResourceMatch} start.
     */
    public static void publishResource(String key, Object value) {
        hostOfCaller().publishResource(key, value == null ? Boolean.TRUE : value);
    }

    /** Return the {@code IOResources} nub of the caller's kernel ({@code IOService::getResourceService}). */
    public static IOService getResourceService() {
        return hostOfCaller().resources();
    }

    private static IOKitHost hostOfCaller() {
        // frame 0 is this method, 1 the public static method, 2 the kext code that called it
        Class<?> caller = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE)
                .walk(frames -> frames.skip(2).findFirst().map(StackWalker.StackFrame::getDeclaringClass).orElse(null));
        KernelServices services = KernelRuntime.servicesFor(caller);
        return services == null ? Standalone.iokit() : services.iokit();
    }

    /** Return true once termination has begun. */
    public boolean isInactive() {
        return state.inactive;
    }

    // ---- termination ------------------------------------------------------------------------

    /** Terminate this service and its clients ({@code IOService::terminate}). */
    public boolean terminate(int options) {
        return host().terminate(this, options);
    }

    /** Terminate this service and its clients. */
    public boolean terminate() {
        return terminate(0);
    }

    /**
     * Asked when {@code provider} terminates; return true to terminate too. The default says yes
     * when {@code provider} is this client's only provider.
     */
    public boolean requestTerminate(IOService provider, int options) {
        return getParentEntries(gIOServicePlane).size() <= 1;
    }

    /** Termination phase 2, root to leaf: stop issuing new I/O to {@code provider}. */
    public boolean willTerminate(IOService provider, int options) {
        return true;
    }

    /**
     * Termination phase 2, leaf to root. This implementation lets the kernel go on to
     * {@link #stop} this client and detach it, unless {@code defer[0]} is set. A driver with I/O in
     * flight overrides it, sets {@code defer[0]} and returns without calling it; when the I/O is done
     * it calls {@code super.didTerminate(provider, options, new boolean[1])} and the stop follows.
     * If the client still has {@code provider} open, it is first sent
     * {@link #kIOMessageServiceIsRequestingClose} and stopped once it closes.
     */
    public boolean didTerminate(IOService provider, int options, boolean[] defer) {
        if (defer == null || !defer[0]) {
            host().scheduleStop(this, provider);
        }
        return true;
    }

    /** Receive a message from a provider ({@code kIOMessageServiceIsTerminated}, ...). */
    public int message(int type, IOService provider, Object argument) {
        return IOReturn.kIOReturnUnsupported;
    }

    /** Send {@code type} to every client. */
    public int messageClients(int type, Object argument) {
        for (IOService client : getClients()) {
            client.message(type, this, argument);
        }
        return IOReturn.kIOReturnSuccess;
    }

    // ---- open / close ------------------------------------------------------------------------

    /** Open this provider for {@code forClient}; single-owner by default ({@code handleOpen}). */
    public boolean open(IOService forClient, int options, Object arg) {
        if (isInactive()) {
            return false;
        }
        synchronized (openers) {
            return handleOpen(forClient, options, arg);
        }
    }

    /** Open with no options. */
    public boolean open(IOService forClient) {
        return open(forClient, 0, null);
    }

    /** Close for {@code forClient}; a termination waiting for the close goes on. */
    public void close(IOService forClient, int options) {
        boolean closed = false;
        synchronized (openers) {
            if (handleIsOpen(forClient)) {
                handleClose(forClient, options);
                closed = true;
            }
        }
        if (closed) {
            host().closed(this, forClient);
        }
    }

    /** Close with no options. */
    public void close(IOService forClient) {
        close(forClient, 0);
    }

    /** Return true if {@code forClient} (or, given {@code null}, anyone) has this open. */
    public boolean isOpen(IOService forClient) {
        synchronized (openers) {
            return handleIsOpen(forClient);
        }
    }

    /** Grant an open: the default allows one owner at a time. */
    protected boolean handleOpen(IOService forClient, int options, Object arg) {
        if (openers.isEmpty() || openers.contains(forClient)) {
            if (!openers.contains(forClient)) {
                openers.add(forClient);
            }
            return true;
        }
        return false;
    }

    /** Release an open. */
    protected void handleClose(IOService forClient, int options) {
        openers.remove(forClient);
    }

    /** Answer {@link #isOpen}. */
    protected boolean handleIsOpen(IOService forClient) {
        return forClient == null ? !openers.isEmpty() : openers.contains(forClient);
    }

    // ---- work loop, interrupts and device memory ----------------------------------------------

    /** Return the work loop to use: the provider's, unless a subclass creates its own. */
    public IOWorkLoop getWorkLoop() {
        IOService provider = getProvider();
        return provider == null ? null : provider.getWorkLoop();
    }

    /** Register {@code handler} for interrupt {@code source} of this nub; nubs with interrupts override. */
    public int registerInterrupt(int source, Object target, IOInterruptAction handler, Object refCon) {
        return IOReturn.kIOReturnNoInterrupt;
    }

    /** Remove the handler of interrupt {@code source}. */
    public int unregisterInterrupt(int source) {
        return IOReturn.kIOReturnNoInterrupt;
    }

    /** Enable delivery of interrupt {@code source}. */
    public int enableInterrupt(int source) {
        return IOReturn.kIOReturnNoInterrupt;
    }

    /** Disable delivery of interrupt {@code source}. */
    public int disableInterrupt(int source) {
        return IOReturn.kIOReturnNoInterrupt;
    }

    /** Return the type of interrupt {@code source} ({@code kIOInterruptTypeLevel}/Edge) in {@code interruptType}. */
    public int getInterruptType(int source, SInt32 interruptType) {
        return IOReturn.kIOReturnNoInterrupt;
    }

    /** Set the ranges of device memory this nub offers (nubs call it when they are created). */
    protected void setDeviceMemory(List<IODeviceMemory> ranges) {
        this.deviceMemory = List.copyOf(ranges);
    }

    /** Return how many ranges of device memory this nub offers. */
    public int getDeviceMemoryCount() {
        return deviceMemory.size();
    }

    /** Return range {@code index} of this nub's device memory, or {@code null}. */
    public IODeviceMemory getDeviceMemoryWithIndex(int index) {
        List<IODeviceMemory> ranges = deviceMemory;
        return index >= 0 && index < ranges.size() ? ranges.get(index) : null;
    }

    /** Map range {@code index} of this nub's device memory, or return {@code null}. */
    public IOMemoryMap mapDeviceMemoryWithIndex(int index) {
        IODeviceMemory range = getDeviceMemoryWithIndex(index);
        return range == null ? null : range.map();
    }

    // ---- power management -------------------------------------------------------------------

    /** Join power management ({@code PMinit}). */
    public void PMinit() {
    }

    /** Leave power management; call it in {@link #stop} ({@code PMstop}). */
    public void PMstop() {
        host().PMstop(this);
    }

    /** Attach {@code driver} below this service in the power plane ({@code joinPMtree}). */
    public void joinPMtree(IOService driver) {
        host().joinPMtree(this, driver);
    }

    /** Make {@code controllingDriver} this service's power driver with {@code states} ({@code registerPowerDriver}). */
    public int registerPowerDriver(IOService controllingDriver, IOPMPowerState[] states, int numberOfStates) {
        if (states == null || numberOfStates < 2 || numberOfStates > states.length) {
            return IOReturn.kIOReturnBadArgument;
        }
        IOPMPowerState[] table = new IOPMPowerState[numberOfStates];
        System.arraycopy(states, 0, table, 0, numberOfStates);
        return host().registerPowerDriver(this, controllingDriver, table);
    }

    /**
     * Change the device to power state {@code powerStateOrdinal}; return {@link #kIOPMAckImplied} when
     * done, or an upper bound in microseconds and call {@link #acknowledgeSetPowerState} later.
     */
    public int setPowerState(long powerStateOrdinal, IOService whatDevice) {
        return kIOPMAckImplied;
    }

    /** Report that a power change started by {@link #setPowerState} is complete. */
    public int acknowledgeSetPowerState() {
        return host().acknowledgeSetPowerState(this);
    }

    /** Return the current power state ordinal, or -1 if this service has no power driver. */
    public long getPowerState() {
        return host().getPowerState(this);
    }

    /** Ask for power state {@code ordinal}. */
    public int changePowerStateTo(long ordinal) {
        return host().changePowerStateTo(this, ordinal);
    }
}
