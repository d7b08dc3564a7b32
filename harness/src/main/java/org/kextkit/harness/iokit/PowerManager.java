package org.kextkit.harness.iokit;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.kextkit.kit.internal.ExecutionContext;
import org.kextkit.kit.internal.KernelScheduler;
import org.kextkit.kit.iokit.IOPMPowerState;
import org.kextkit.kit.iokit.IORegistryEntry;
import org.kextkit.kit.iokit.IOReturn;
import org.kextkit.kit.iokit.IOService;

/**
 * Power management for one kernel: power drivers and their state tables, the {@code IOPower}
 * plane, and the power-management thread that calls {@code setPowerState} one device at a time and
 * waits for acknowledgements, logging a driver that does not acknowledge in the time it gave.
 */
final class PowerManager {
    /** A device with a power driver. */
    private static final class Device {
        final IOService service;
        final IOService driver;
        final IOPMPowerState[] states;
        final long order;
        long current;

        Device(IOService service, IOService driver, IOPMPowerState[] states, long order) {
            this.service = service;
            this.driver = driver;
            this.states = states;
            this.order = order;
        }

        long highest() {
            return states.length - 1;
        }
    }

    private record Step(IOService service, long target) {
    }

    /** A transition and the steps it still has to make. */
    private static final class Run {
        final PowerTransition transition;
        final Deque<Step> steps;

        Run(PowerTransition transition, List<Step> steps) {
            this.transition = transition;
            this.steps = new ArrayDeque<>(steps);
        }
    }

    /** A change whose driver returned a time and has not acknowledged yet. */
    private static final class Awaiting {
        final Device device;
        final long from;
        final long to;
        final int micros;
        boolean inCall = true;
        boolean acknowledged;
        KernelScheduler.Callout timeout;

        Awaiting(Device device, long from, long to, int micros) {
            this.device = device;
            this.from = from;
            this.to = to;
            this.micros = micros;
        }
    }

    private final IOKitKernel kernel;
    private final Map<IOService, Device> devices = new IdentityHashMap<>();
    private final Deque<Run> queue = new ArrayDeque<>();
    private Run running;
    private Awaiting awaiting;
    private long registrations;

    PowerManager(IOKitKernel kernel) {
        this.kernel = kernel;
    }

    int registerPowerDriver(IOService service, IOService driver, IOPMPowerState[] states) {
        if (service == null || driver == null || states == null || states.length < 2) {
            return IOReturn.kIOReturnBadArgument;
        }
        Device device = new Device(service, driver, states.clone(), registrations++);
        synchronized (this) {
            devices.put(service, device);
        }
        // As in I/O Kit, the power manager then raises the new device to its highest state.
        enqueue(new PowerTransition("initial power state of " + describe(service)), List.of(new Step(service, device.highest())));
        return IOReturn.kIOReturnSuccess;
    }

    void joinPMtree(IOService parent, IOService child) {
        IORegistryEntry root = kernel.root();
        if (parent.getParentEntry(IORegistryEntry.gIOPowerPlane) == null && parent != root) {
            parent.attachToParent(root, IORegistryEntry.gIOPowerPlane);
        }
        IOPowerConnection connection = new IOPowerConnection();
        connection.attachToParent(parent, IORegistryEntry.gIOPowerPlane);
        child.attachToParent(connection, IORegistryEntry.gIOPowerPlane);
        connection.release();
    }

    void PMstop(IOService service) {
        synchronized (this) {
            devices.remove(service);
        }
        for (IORegistryEntry parent : service.getParentEntries(IORegistryEntry.gIOPowerPlane)) {
            service.detachFromParent(parent, IORegistryEntry.gIOPowerPlane);
            if (parent instanceof IOPowerConnection && parent.getChildEntries(IORegistryEntry.gIOPowerPlane).isEmpty()) {
                parent.detachAll(IORegistryEntry.gIOPowerPlane);
            }
        }
    }

    int changePowerStateTo(IOService service, long ordinal) {
        Device device;
        synchronized (this) {
            device = devices.get(service);
        }
        if (device == null) {
            return IOReturn.kIOReturnNotReady;
        }
        if (ordinal < 0 || ordinal > device.highest()) {
            return IOReturn.kIOReturnBadArgument;
        }
        enqueue(new PowerTransition(describe(service) + " to state " + ordinal), List.of(new Step(service, ordinal)));
        return IOReturn.kIOReturnSuccess;
    }

    synchronized long powerState(IOService service) {
        Device device = devices.get(service);
        return device == null ? -1 : device.current;
    }

    PowerTransition sleep() {
        List<Device> order = ordered(true);
        List<Step> steps = new ArrayList<>();
        for (Device d : order) {
            steps.add(new Step(d.service, 0));
        }
        PowerTransition t = new PowerTransition("system sleep");
        enqueue(t, steps);
        return t;
    }

    PowerTransition wake() {
        List<Device> order = ordered(false);
        List<Step> steps = new ArrayList<>();
        for (Device d : order) {
            steps.add(new Step(d.service, d.highest()));
        }
        PowerTransition t = new PowerTransition("system wake");
        enqueue(t, steps);
        return t;
    }

    int acknowledge(IOService service) {
        Awaiting done;
        synchronized (this) {
            if (awaiting == null || awaiting.device.service != service) {
                return IOReturn.kIOReturnSuccess;
            }
            awaiting.acknowledged = true;
            if (awaiting.inCall) {
                // Acknowledged before setPowerState even returned: the caller finishes the change.
                return IOReturn.kIOReturnSuccess;
            }
            done = awaiting;
            awaiting = null;
        }
        if (done.timeout != null) {
            done.timeout.cancel();
        }
        finish(done, PowerTransition.Ending.ACKNOWLEDGED);
        scheduleAdvance();
        return IOReturn.kIOReturnSuccess;
    }

    /** Order devices by depth in the power plane: children before parents for sleep, parents first for wake. */
    private synchronized List<Device> ordered(boolean leafFirst) {
        List<Device> all = new ArrayList<>(devices.values());
        Comparator<Device> byDepth = Comparator.comparingInt(d -> depth(d.service));
        if (leafFirst) {
            byDepth = byDepth.reversed();
        }
        all.sort(byDepth.thenComparingLong(d -> d.order));
        return all;
    }

    private static int depth(IORegistryEntry entry) {
        int depth = 0;
        for (IORegistryEntry e = entry.getParentEntry(IORegistryEntry.gIOPowerPlane); e != null;
                e = e.getParentEntry(IORegistryEntry.gIOPowerPlane)) {
            depth++;
        }
        return depth;
    }

    private void enqueue(PowerTransition transition, List<Step> steps) {
        boolean start;
        synchronized (this) {
            queue.add(new Run(transition, steps));
            start = running == null;
            if (start) {
                running = queue.poll();
            }
        }
        if (start) {
            scheduleAdvance();
        }
    }

    private void scheduleAdvance() {
        KernelScheduler scheduler = kernel.scheduler();
        scheduler.scheduleCallout("IOPower change", scheduler.nanoTime(), ExecutionContext.POWER_MANAGEMENT,
                () -> kernel.asKernel(this::advance));
    }

    /** Make as many changes as possible; stop when a driver must acknowledge. Runs on the PM thread. */
    private void advance() {
        while (true) {
            Run run;
            Step step;
            Device device;
            synchronized (this) {
                run = running;
                if (run == null || awaiting != null) {
                    return;
                }
                step = run.steps.poll();
                if (step == null) {
                    run.transition.completed();
                    running = queue.poll();
                    if (running == null) {
                        return;
                    }
                    continue;
                }
                device = devices.get(step.service);
                if (device == null || device.current == step.target) {
                    continue;
                }
            }
            long from = device.current;
            Awaiting pending = new Awaiting(device, from, step.target, 0);
            synchronized (this) {
                awaiting = pending;
            }
            int[] result = new int[1];
            Device d = device;
            boolean ok = kernel.callDriver(d.driver, "setPowerState", ExecutionContext.POWER_MANAGEMENT,
                    () -> result[0] = d.driver.setPowerState(step.target, d.service));
            Awaiting wait;
            synchronized (this) {
                pending.inCall = false;
                if (!ok || result[0] == IOService.kIOPMAckImplied || pending.acknowledged) {
                    awaiting = null;
                    wait = null;
                } else {
                    wait = new Awaiting(device, from, step.target, result[0]);
                    wait.inCall = false;
                    awaiting = wait;
                }
            }
            if (wait == null) {
                finish(pending, !ok ? PowerTransition.Ending.THREW
                        : result[0] == IOService.kIOPMAckImplied ? PowerTransition.Ending.ACK_IMPLIED : PowerTransition.Ending.ACKNOWLEDGED);
                continue;
            }
            KernelScheduler scheduler = kernel.scheduler();
            long micros = Integer.toUnsignedLong(result[0]);
            wait.timeout = scheduler.scheduleCallout("setPowerState acknowledgement timeout",
                    scheduler.nanoTime() + micros * 1_000L, ExecutionContext.POWER_MANAGEMENT,
                    () -> kernel.asKernel(() -> timedOut(wait)));
            return;
        }
    }

    private void timedOut(Awaiting wait) {
        synchronized (this) {
            if (awaiting != wait) {
                return;
            }
            awaiting = null;
        }
        kernel.log(wait.device.driver.getMetaClassName() + "::setPowerState(0x"
                + Long.toHexString(wait.device.service.getRegistryEntryID()) + ", " + wait.from + " -> " + wait.to
                + ") timed out after " + Math.max(1, Integer.toUnsignedLong(wait.micros) / 1000) + " ms");
        finish(wait, PowerTransition.Ending.TIMED_OUT);
        advance();
    }

    private void finish(Awaiting change, PowerTransition.Ending ending) {
        PowerTransition transition;
        synchronized (this) {
            change.device.current = change.to;
            transition = running == null ? null : running.transition;
        }
        if (transition != null) {
            transition.record(new PowerTransition.Change(describe(change.device.service),
                    change.device.driver.getMetaClassName(), change.from, change.to, ending));
        }
    }

    private static String describe(IOService service) {
        return service.getName() + (service.getLocation() == null ? "" : "@" + service.getLocation());
    }
}
