package org.kextkit.kit.internal;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.kextkit.kit.iokit.IOPMPowerState;
import org.kextkit.kit.iokit.IORegistryEntry;
import org.kextkit.kit.iokit.IOResources;
import org.kextkit.kit.iokit.IOReturn;
import org.kextkit.kit.iokit.IOService;

/**
 * The registry of objects created with no kernel: a plain unit test that builds a driver and a
 * hand-made (or mocked) provider and calls {@code start}, {@code terminate}, power changes itself.
 *
 * <ul>
 *   <li>Registry entry IDs come from one counter starting at {@code 0x100000100}, as ioreg's do.</li>
 *   <li>{@code registerService} marks the service registered and does no matching: there is no
 *       catalogue.</li>
 *   <li>{@code terminate} runs the full termination sequence ({@link TerminationEngine}) synchronously
 *       on the caller's thread: messages, {@code willTerminate}/{@code didTerminate}, then
 *       {@code stop} and {@code detach} leaf first. An exception from driver code is printed to
 *       standard error and the sequence goes on, as in a kernel.</li>
 *   <li>Power calls succeed: {@code registerPowerDriver} records the table with the device in its
 *       highest state; {@code changePowerStateTo} calls the power driver's {@code setPowerState}
 *       synchronously and records the new state.</li>
 * </ul>
 */
final class StandaloneIOKitHost implements IOKitHost {
    static final IOKitHost INSTANCE = new StandaloneIOKitHost();

    /** One power driver and where its device stands. */
    private static final class Power {
        final IOService driver;
        final IOPMPowerState[] states;
        long current;

        Power(IOService driver, IOPMPowerState[] states) {
            this.driver = driver;
            this.states = states;
            this.current = states.length - 1;
        }
    }

    private final AtomicLong nextId = new AtomicLong(0x100000100L);
    private final Map<IOService, Power> power = Collections.synchronizedMap(new WeakHashMap<>());
    private final TerminationEngine termination = new TerminationEngine(new TerminationEngine.Hooks() {
        @Override
        public boolean call(IOService target, String method, Runnable body) {
            try {
                body.run();
                return true;
            } catch (KernelPanic panic) {
                throw panic;
            } catch (RuntimeException | LinkageError e) {
                System.err.println(target.getMetaClassName() + "::" + method + " threw " + e);
                return false;
            }
        }

        @Override
        public void finalized(IOService service) {
            power.remove(service);
        }
    });
    private IORegistryEntry root;
    private IOResources resources;

    private StandaloneIOKitHost() {
    }

    @Override
    public long newRegistryEntryID() {
        return nextId.getAndIncrement();
    }

    @Override
    public synchronized IORegistryEntry root() {
        // Built on first use: the entry's constructor asks this host for an ID.
        if (root == null) {
            root = new IORegistryEntry();
            root.setName("Root");
        }
        return root;
    }

    @Override
    public synchronized IOService resources() {
        if (resources == null) {
            IOResources nub = new IOResources();
            nub.attachToParent(root(), IORegistryEntry.gIOServicePlane);
            nub.serviceState().registered = true;
            nub.serviceState().matched = true;
            nub.setProperty("IOKit", "IOKit");
            resources = nub;
        }
        return resources;
    }

    @Override
    public void registerService(IOService service, int options) {
        service.serviceState().registered = true;
    }

    @Override
    public boolean terminate(IOService service, int options) {
        java.util.List<IOService> victims = termination.phase1(service, options);
        if (victims == null) {
            return false;
        }
        termination.phase2(victims, options);
        return true;
    }

    @Override
    public void scheduleStop(IOService client, IOService provider) {
        termination.scheduleStop(client, provider);
    }

    @Override
    public void closed(IOService provider, IOService client) {
        termination.closed(provider, client);
    }

    @Override
    public void publishResource(String key, Object value) {
        resources().setProperty(key, value);
    }

    @Override
    public int registerPowerDriver(IOService service, IOService driver, IOPMPowerState[] states) {
        power.put(service, new Power(driver, states.clone()));
        return IOReturn.kIOReturnSuccess;
    }

    @Override
    public void joinPMtree(IOService parent, IOService child) {
        // No power tree without a kernel: changes go straight to each driver.
    }

    @Override
    public int changePowerStateTo(IOService service, long ordinal) {
        Power entry = power.get(service);
        if (entry == null) {
            return IOReturn.kIOReturnNotReady;
        }
        if (ordinal < 0 || ordinal >= entry.states.length) {
            return IOReturn.kIOReturnBadArgument;
        }
        entry.driver.setPowerState(ordinal, service);
        entry.current = ordinal;
        return IOReturn.kIOReturnSuccess;
    }

    @Override
    public int acknowledgeSetPowerState(IOService service) {
        return IOReturn.kIOReturnSuccess;
    }

    @Override
    public long getPowerState(IOService service) {
        Power entry = power.get(service);
        return entry == null ? -1 : entry.current;
    }

    @Override
    public void PMstop(IOService service) {
        power.remove(service);
    }
}
