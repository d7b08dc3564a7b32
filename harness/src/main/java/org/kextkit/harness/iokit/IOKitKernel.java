package org.kextkit.harness.iokit;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.kextkit.harness.family.FamilyHardware;
import org.kextkit.harness.family.FamilyProvider;
import org.kextkit.harness.family.HardwareContext;
import org.kextkit.harness.family.MachineDescription;
import org.kextkit.harness.family.MachineDescriptionException;
import org.kextkit.harness.iokit.matching.DriverCatalogue;
import org.kextkit.harness.iokit.matching.MatchCandidate;
import org.kextkit.harness.scheduler.HostedScheduler;
import org.kextkit.harness.scheduler.KernelEntry;
import org.kextkit.kit.internal.ExecutionContext;
import org.kextkit.kit.internal.IOKitHost;
import org.kextkit.kit.internal.KernelPanic;
import org.kextkit.kit.internal.KernelRuntime;
import org.kextkit.kit.internal.KernelChecks;
import org.kextkit.kit.internal.KernelScheduler;
import org.kextkit.kit.internal.KernelServices;
import org.kextkit.kit.internal.MetaClassNames;
import org.kextkit.kit.internal.TerminationEngine;
import org.kextkit.kit.internal.WaitQueue;
import org.kextkit.kit.iokit.IOPMPowerState;
import org.kextkit.kit.iokit.IOPlatformExpertDevice;
import org.kextkit.kit.iokit.IORegistryEntry;
import org.kextkit.kit.iokit.IOResources;
import org.kextkit.kit.iokit.IOService;
import org.kextkit.kit.libkern.SInt32;

/**
 * The I/O Kit of one hosted kernel: the registry (root, platform expert device, {@code IOResources}),
 * matching of registered nubs against the driver catalogue with the probe and start sequence of
 * {@code IOService::probeCandidates}, termination, power management and system sleep/wake, and the
 * families' simulated hardware.
 *
 * <p><b>Matching</b> ({@code registerService}): the catalogue's candidates are taken in descending
 * score order; for each, the owning kext is loaded on demand, {@code IOClass} is instantiated, and
 * {@code init} (with a copy of the personality, {@code IOMatchCategory} and
 * {@code CFBundleIdentifier} written out), {@code attach}, {@code probe} (which may change the
 * score) and {@code detach} are called. Then, per match category, the highest scorer is attached and
 * started once the resources its {@code IOResourceMatch} names are published; if {@code start}
 * returns false or throws, it is detached and released and the next candidate of that category is
 * tried. A kext's exception never escapes: it fails that candidate with a log line naming the kext,
 * class, method and exception, and the rest of the registry goes on. The outcome of each nub's last
 * matching is kept for {@link #explainMatch}.
 *
 * <p><b>Threads</b>: asynchronous matching and termination run as kernel-thread callouts of the
 * kernel's {@link KernelScheduler}; {@code kIOServiceSynchronous} runs them on the caller.
 * Power changes run on the power-management context. Nothing here holds a lock while it calls a
 * driver.
 */
public final class IOKitKernel implements IOKitHost {
    /** The registry entry ID of the root, where IDs start (as ioreg shows them). */
    public static final long FIRST_REGISTRY_ENTRY_ID = 0x100000100L;
    /** The resource every kernel publishes at boot. */
    public static final String IOKIT_RESOURCE = "IOKit";

    private final KernelServices services;
    private final KernelScheduler scheduler;
    private final DriverCatalogue catalogue;
    private final DriverKexts kexts;
    private final Consumer<String> log;
    private final AtomicLong nextId = new AtomicLong(FIRST_REGISTRY_ENTRY_ID);
    private final TerminationEngine termination;
    private final PowerManager power = new PowerManager(this);
    // The nubs being matched right now, and the queue a second matching of one of them waits on.
    private final Set<IOService> beingMatched = Collections.newSetFromMap(new IdentityHashMap<>());
    private WaitQueue arbitration;
    private final Map<IOService, List<MatchOutcome>> lastMatching = Collections.synchronizedMap(new WeakHashMap<>());
    private final Map<IOService, WaitingStart> waitingForResources = new IdentityHashMap<>();
    private final Map<Class<?>, FamilyHardware> hardware = new LinkedHashMap<>();
    private volatile IORegistryEntry root;
    private volatile IOResources resources;
    private volatile IOPlatformExpertDevice platform;

    /**
     * Create the I/O Kit of a kernel; {@link #boot} builds the registry.
     *
     * @param services the kernel's services: objects the kernel creates (the root, nubs of built-in
     *     families) and the calls it makes into drivers are bound to them
     * @param scheduler the kernel's scheduler, for matching and termination threads and power changes
     * @param catalogue the personalities to match against
     * @param kexts loads the kext of a winning personality on demand
     * @param log appends one line to the kernel log
     */
    public IOKitKernel(KernelServices services, KernelScheduler scheduler, DriverCatalogue catalogue, DriverKexts kexts,
            Consumer<String> log) {
        this.services = Objects.requireNonNull(services, "services");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.catalogue = Objects.requireNonNull(catalogue, "catalogue");
        this.kexts = Objects.requireNonNull(kexts, "kexts");
        this.log = Objects.requireNonNull(log, "log");
        this.termination = new TerminationEngine(new TerminationEngine.Hooks() {
            @Override
            public boolean call(IOService target, String method, Runnable body) {
                boolean returned = callDriver(target, method, ExecutionContext.THREAD, body);
                if ("stop".equals(method)) {
                    KernelChecks checks = services.checks();
                    if (checks.active()) {
                        checks.serviceStopped(target);
                        reportLiveDma(checks, target);
                    }
                }
                return returned;
            }

            @Override
            public void finalized(IOService service) {
                forget(service);
            }
        });
    }

    // ---- boot and shutdown ----------------------------------------------------------------------

    /**
     * Build the registry for {@code machine}: the root ({@code Root}), the platform expert device
     * (named after the machine, with its {@code model}) and {@code IOResources}, both registered,
     * and publish the {@code IOKit} resource. Personalities should be in the catalogue first, so the
     * platform's drivers match.
     */
    public void boot(MachineDescription machine) {
        asKernel(() -> {
            IORegistryEntry rootEntry = new IORegistryEntry();
            rootEntry.setName("Root");
            Map<String, Object> planes = new LinkedHashMap<>();
            for (String plane : List.of(IORegistryEntry.gIOServicePlane, IORegistryEntry.gIOPowerPlane,
                    IORegistryEntry.gIODTPlane)) {
                planes.put(plane, plane);
            }
            rootEntry.setProperty("IORegistryPlanes", planes);
            root = rootEntry;
            IOPlatformExpertDevice expert = new IOPlatformExpertDevice(machine.name(), machine.model());
            expert.attachToParent(rootEntry, IORegistryEntry.gIOServicePlane);
            expert.release();
            platform = expert;
            IOResources resourcesNub = new IOResources();
            resourcesNub.attachToParent(rootEntry, IORegistryEntry.gIOServicePlane);
            resourcesNub.release();
            resources = resourcesNub;
            resourcesNub.setProperty(IOKIT_RESOURCE, IOKIT_RESOURCE);
            registerService(expert, 0);
            registerService(resourcesNub, 0);
        });
    }

    /**
     * Build each family's simulated hardware from {@code machine}'s devices of that family and keep
     * it for {@link #hardware}.
     *
     * @throws MachineDescriptionException if a family rejects a device entry (the message names the
     *     file, the entry and the key)
     */
    public void installHardware(List<FamilyProvider> families, MachineDescription machine, HardwareContext context)
            throws MachineDescriptionException {
        for (FamilyProvider family : families) {
            FamilyHardware built = family.createHardware(machine, context);
            if (built != null) {
                synchronized (hardware) {
                    hardware.put(built.lookupType(), built);
                }
            }
        }
        for (MachineDescription.Device device : machine.devices()) {
            boolean known = families.stream().anyMatch(f -> f.familyName().equalsIgnoreCase(device.family()));
            if (!known) {
                // A family left off the class path must not stop the kernel: its devices are absent.
                log(machine.source() + ": " + device.keyPath() + ": no family \"" + device.family()
                        + "\" is installed (installed: " + families.stream().map(FamilyProvider::familyName).toList()
                        + "); the device is left out of the machine.");
            }
        }
    }

    /** Report the DMA the stopped driver's device may still perform on its own (DMA-LIVE). */
    private void reportLiveDma(KernelChecks checks, IOService stopped) {
        IOService nub = stopped.getProvider();
        if (nub == null) {
            return;
        }
        List<FamilyHardware> all;
        synchronized (hardware) {
            all = List.copyOf(hardware.values());
        }
        for (FamilyHardware family : all) {
            for (org.kextkit.harness.family.LiveDma dma : family.liveDma(nub)) {
                checks.dmaStillProgrammed(stopped, dma.device(), dma.what(), dma.physicalAddress(), dma.length());
            }
        }
    }

    /** Run every family's standard device workload once ({@link FamilyHardware#exercise()}). */
    public void exerciseHardware() {
        List<FamilyHardware> all;
        synchronized (hardware) {
            all = List.copyOf(hardware.values());
        }
        for (FamilyHardware family : all) {
            family.exercise();
        }
    }

    /** Return the family hardware looked up as {@code type}, or {@code null} if the machine has none. */
    public <T> T hardware(Class<T> type) {
        synchronized (hardware) {
            FamilyHardware found = hardware.get(type);
            return found == null ? null : type.cast(found);
        }
    }

    /**
     * Shut the I/O Kit down: terminate the platform's and the resources' clients (everything stops,
     * leaf first), then power the hardware off.
     */
    public void shutdown() {
        IOService expert = platform;
        IOService res = resources;
        if (expert != null) {
            for (IOService client : expert.getClients()) {
                terminate(client, IOService.kIOServiceRequired | IOService.kIOServiceSynchronous);
            }
        }
        if (res != null) {
            for (IOService client : res.getClients()) {
                terminate(client, IOService.kIOServiceRequired | IOService.kIOServiceSynchronous);
            }
        }
        List<FamilyHardware> all;
        synchronized (hardware) {
            all = new ArrayList<>(hardware.values());
        }
        for (FamilyHardware h : all) {
            try {
                h.powerOff();
            } catch (RuntimeException e) {
                log("Family hardware " + h.lookupType().getSimpleName() + " failed to power off: " + describe(e));
            }
        }
    }

    // ---- IOKitHost ------------------------------------------------------------------------------

    @Override
    public long newRegistryEntryID() {
        return nextId.getAndIncrement();
    }

    @Override
    public IORegistryEntry root() {
        return root;
    }

    @Override
    public IOService resources() {
        return resources;
    }

    /** Return the platform expert device, the machine's root nub. */
    public IOPlatformExpertDevice platformExpert() {
        return platform;
    }

    /** Return the catalogue matching uses. */
    public DriverCatalogue catalogue() {
        return catalogue;
    }

    /** Return the scheduler matching, termination and power changes run on. */
    public KernelScheduler scheduler() {
        return scheduler;
    }

    @Override
    public void registerService(IOService service, int options) {
        if (service.isInactive()) {
            return;
        }
        service.serviceState().registered = true;
        if ((options & IOService.kIOServiceSynchronous) != 0) {
            asKernel(() -> inThread(() -> runMatching(service)));
            return;
        }
        service.serviceState().busy++;
        scheduler.scheduleCallout("IOService matching " + service.getName(), scheduler.nanoTime(), ExecutionContext.THREAD,
                () -> asKernel(() -> {
                    try {
                        runMatching(service);
                    } finally {
                        service.serviceState().busy--;
                    }
                }));
    }

    @Override
    public boolean terminate(IOService service, int options) {
        List<IOService>[] victims = newVictims();
        asKernel(() -> inThread(() -> victims[0] = termination.phase1(service, options)));
        if (victims[0] == null) {
            log("Can't terminate " + describe(service) + ": it is open by a client (" + openerOf(service)
                    + ") and kIOServiceRequired was not given.");
            return false;
        }
        if ((options & IOService.kIOServiceSynchronous) != 0) {
            asKernel(() -> inThread(() -> termination.phase2(victims[0], options)));
        } else {
            scheduler.scheduleCallout("IOService termination " + service.getName(), scheduler.nanoTime(),
                    ExecutionContext.THREAD, () -> asKernel(() -> termination.phase2(victims[0], options)));
        }
        return true;
    }

    @SuppressWarnings("unchecked")
    private static List<IOService>[] newVictims() {
        return (List<IOService>[]) new List<?>[1];
    }

    @Override
    public void scheduleStop(IOService client, IOService provider) {
        asKernel(() -> termination.scheduleStop(client, provider));
    }

    @Override
    public void closed(IOService provider, IOService client) {
        asKernel(() -> termination.closed(provider, client));
    }

    @Override
    public void publishResource(String key, Object value) {
        IOResources nub = resources;
        nub.setProperty(key, value);
        List<WaitingStart> ready = new ArrayList<>();
        synchronized (waitingForResources) {
            for (WaitingStart waiting : new ArrayList<>(waitingForResources.values())) {
                if (missingResources(waiting.probed.table).isEmpty()) {
                    waitingForResources.remove(waiting.probed.instance);
                    ready.add(waiting);
                }
            }
        }
        for (WaitingStart waiting : ready) {
            scheduler.scheduleCallout("IOService start " + waiting.probed.instance.getMetaClassName(), scheduler.nanoTime(),
                    ExecutionContext.THREAD, () -> asKernel(() -> {
                        startCategory(waiting.nub, waiting.list, waiting.index, waiting.outcomes);
                        lastMatching.put(waiting.nub, List.copyOf(waiting.outcomes));
                    }));
        }
        // Personalities on IOResources that wait for this resource can match now.
        registerService(nub, 0);
    }

    @Override
    public int registerPowerDriver(IOService service, IOService driver, IOPMPowerState[] states) {
        int[] result = new int[1];
        asKernel(() -> result[0] = power.registerPowerDriver(service, driver, states));
        return result[0];
    }

    @Override
    public void joinPMtree(IOService parent, IOService child) {
        asKernel(() -> power.joinPMtree(parent, child));
    }

    @Override
    public int changePowerStateTo(IOService service, long ordinal) {
        int[] result = new int[1];
        asKernel(() -> result[0] = power.changePowerStateTo(service, ordinal));
        return result[0];
    }

    @Override
    public int acknowledgeSetPowerState(IOService service) {
        int[] result = new int[1];
        asKernel(() -> result[0] = power.acknowledge(service));
        return result[0];
    }

    @Override
    public void PMstop(IOService service) {
        power.PMstop(service);
    }

    @Override
    public long getPowerState(IOService service) {
        return power.powerState(service);
    }

    // ---- the API for tests, families and commands -----------------------------------------------

    /**
     * Put the system to sleep: every power driver's device goes to state 0, children before parents
     * in the power plane, each change waiting for its acknowledgement or timeout.
     */
    public PowerTransition systemSleep() {
        PowerTransition[] t = new PowerTransition[1];
        asKernel(() -> t[0] = power.sleep());
        return t[0];
    }

    /** Wake the system: every power driver's device goes to its highest state, parents first. */
    public PowerTransition systemWake() {
        PowerTransition[] t = new PowerTransition[1];
        asKernel(() -> t[0] = power.wake());
        return t[0];
    }

    /** Start matching again on every registered, active service (personalities were added). */
    public void rematch() {
        for (IOService service : services()) {
            if (service.serviceState().registered && !service.isInactive()) {
                registerService(service, 0);
            }
        }
    }

    /**
     * Add personalities to the catalogue and start matching on the registered services, as sending
     * a kext's personalities to the {@code IOCatalogue} does.
     *
     * @return how many personalities were new
     */
    public int addPersonalities(String bundleIdentifier, Map<String, Map<String, Object>> personalities, String source) {
        if (personalities.isEmpty()) {
            return 0;
        }
        int added = catalogue.addDrivers(bundleIdentifier, personalities, source, this::log);
        if (added > 0 && root != null) {
            rematch();
        }
        return added;
    }

    /** Return every service in the service plane, parents before children, each once. */
    public List<IOService> services() {
        List<IOService> all = new ArrayList<>();
        IORegistryEntry start = root;
        if (start == null) {
            return all;
        }
        Map<IORegistryEntry, Boolean> seen = new IdentityHashMap<>();
        collect(start, all, seen);
        return all;
    }

    private static void collect(IORegistryEntry entry, List<IOService> into, Map<IORegistryEntry, Boolean> seen) {
        if (seen.put(entry, Boolean.TRUE) != null) {
            return;
        }
        if (entry instanceof IOService) {
            into.add((IOService) entry);
        }
        for (IORegistryEntry child : entry.getChildEntries(IORegistryEntry.gIOServicePlane)) {
            collect(child, into, seen);
        }
    }

    /**
     * Terminate, synchronously and as required, every service whose property table has
     * {@code CFBundleIdentifier} = {@code bundleIdentifier} ({@code IOCatalogue::terminateDriversForModule});
     * return false if one could not be terminated.
     */
    public boolean terminateDriversOf(String bundleIdentifier) {
        boolean all = true;
        for (IOService service : services()) {
            if (!service.isInactive() && bundleIdentifier.equals(service.getProperty("CFBundleIdentifier"))) {
                all &= terminate(service, IOService.kIOServiceRequired | IOService.kIOServiceSynchronous);
            }
        }
        return all;
    }

    /**
     * Terminate every instance of the I/O Kit class {@code className} and of its subclasses
     * ({@code kextunload -c}); return how many were terminated, or -1 if one refused.
     */
    public int terminateInstancesOf(String className) {
        int count = 0;
        boolean refused = false;
        for (IOService service : services()) {
            if (!service.isInactive() && isKindOf(service, className)) {
                if (terminate(service, IOService.kIOServiceRequired | IOService.kIOServiceSynchronous)) {
                    count++;
                } else {
                    refused = true;
                }
            }
        }
        return refused ? -1 : count;
    }

    private static boolean isKindOf(IOService service, String className) {
        for (Class<?> c = service.getClass(); c != null && IORegistryEntry.class.isAssignableFrom(c); c = c.getSuperclass()) {
            if (MetaClassNames.of(c).equals(className)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Find a service by registry path ({@code IOService:/SimMachine/pci@0/ethernet@1}, or the same
     * without the plane), name with optional location ({@code ethernet@1}, {@code ethernet}) or
     * registry entry ID ({@code 0x100000123}); see {@link RegistryLookup}.
     */
    public RegistryLookup.Result findService(String spec) {
        return RegistryLookup.find(root, services(), spec);
    }

    /** Return what the last matching of {@code nub} did with each candidate, in order; empty if never matched. */
    public List<MatchOutcome> lastMatching(IOService nub) {
        List<MatchOutcome> outcomes = lastMatching.get(nub);
        return outcomes == null ? List.of() : outcomes;
    }

    /**
     * Explain why the personalities of {@code bundleIdentifier} (and every other personality of the
     * nub's class chain) did or did not match {@code nub}, with the probe/start outcomes of the nub's
     * last matching.
     */
    public MatchReport explainMatch(IOService nub, String bundleIdentifier) {
        DriverCatalogue.MatchContext current = contextFor(nub);
        // A kext asking about its own driver should not read "category taken" because that driver holds it.
        DriverCatalogue.MatchContext asked = new DriverCatalogue.MatchContext() {
            @Override
            public boolean categoryTaken(String category) {
                IOService holder = holderOf(nub, category);
                return holder != null && (bundleIdentifier == null
                        || !bundleIdentifier.equals(holder.getProperty("CFBundleIdentifier")));
            }

            @Override
            public int matchedServiceCount() {
                return current.matchedServiceCount();
            }
        };
        return new MatchReport(catalogue.explain(nub, asked, bundleIdentifier), lastMatching(nub),
                nub.serviceState().matched);
    }

    // ---- matching -------------------------------------------------------------------------------

    /** A candidate that survived probe, with the instance to start. */
    private record Probed(MatchCandidate candidate, IOService instance, int score, Map<String, Object> table) {
    }

    /** A start that waits for resources; it resumes the category's start list where it stopped. */
    private record WaitingStart(IOService nub, List<Probed> list, int index, List<MatchOutcome> outcomes, Probed probed) {
    }

    private DriverCatalogue.MatchContext contextFor(IOService nub) {
        return new DriverCatalogue.MatchContext() {
            @Override
            public boolean categoryTaken(String category) {
                return holderOf(nub, category) != null;
            }

            @Override
            public int matchedServiceCount() {
                int count = 0;
                for (IOService client : nub.getClients()) {
                    if (client.serviceState().started && client.getProperty("IOMatchCategory") != null) {
                        count++;
                    }
                }
                return count;
            }
        };
    }

    /** Return the client of {@code nub} that holds {@code category} (started, or waiting to start), or null. */
    private IOService holderOf(IOService nub, String category) {
        for (IOService client : nub.getClients()) {
            boolean waiting;
            synchronized (waitingForResources) {
                waiting = waitingForResources.containsKey(client);
            }
            if ((client.serviceState().started || waiting) && !client.isInactive()
                    && category.equals(client.getProperty("IOMatchCategory"))) {
                return client;
            }
        }
        return null;
    }

    /**
     * Match {@code nub}, one matching at a time per nub (I/O Kit's arbitration lock): two passes over
     * the same nub at once (its registration and a rematch after new personalities, say) would each
     * find its categories free and start two drivers.
     */
    private void runMatching(IOService nub) {
        WaitQueue queue = arbitrationQueue();
        while (true) {
            queue.await(() -> !isBeingMatched(nub), WaitQueue.FOREVER);
            synchronized (beingMatched) {
                if (beingMatched.add(nub)) {
                    break;
                }
            }
        }
        try {
            runMatchingArbitrated(nub);
        } finally {
            synchronized (beingMatched) {
                beingMatched.remove(nub);
            }
            queue.wakeAll();
        }
    }

    private boolean isBeingMatched(IOService nub) {
        synchronized (beingMatched) {
            return beingMatched.contains(nub);
        }
    }

    private WaitQueue arbitrationQueue() {
        synchronized (beingMatched) {
            if (arbitration == null) {
                arbitration = scheduler.newWaitQueue("IOService matching arbitration");
            }
            return arbitration;
        }
    }

    private void runMatchingArbitrated(IOService nub) {
        if (nub.isInactive()) {
            return;
        }
        List<MatchOutcome> outcomes = new ArrayList<>();
        List<MatchCandidate> candidates;
        try {
            candidates = catalogue.findDrivers(nub, contextFor(nub));
        } catch (KernelPanic panic) {
            throw panic;
        } catch (RuntimeException | LinkageError e) {
            log("IOService matching of " + describe(nub) + " failed: " + describe(e));
            return;
        }
        Map<String, List<Probed>> startLists = new LinkedHashMap<>();
        for (MatchCandidate candidate : candidates) {
            IOService holder = holderOf(nub, candidate.category());
            if (holder != null) {
                outcomes.add(outcome(candidate, candidate.score(), MatchOutcome.Result.CATEGORY_TAKEN,
                        "category " + candidate.category() + " already has " + describe(holder)));
                continue;
            }
            Probed probed = probe(nub, candidate, outcomes);
            if (probed != null) {
                List<Probed> list = startLists.computeIfAbsent(candidate.category(), c -> new ArrayList<>());
                int at = 0;
                while (at < list.size() && list.get(at).score >= probed.score) {
                    at++;
                }
                list.add(at, probed);
            }
        }
        for (List<Probed> list : startLists.values()) {
            startCategory(nub, list, 0, outcomes);
        }
        nub.serviceState().matched = true;
        lastMatching.put(nub, List.copyOf(outcomes));
    }

    private Probed probe(IOService nub, MatchCandidate candidate, List<MatchOutcome> outcomes) {
        DriverKexts.Result kext;
        try {
            kext = kexts.loadForMatching(candidate.bundleIdentifier());
        } catch (KernelPanic panic) {
            throw panic;
        } catch (RuntimeException e) {
            kext = DriverKexts.Result.failed(List.of(describe(e)));
        }
        if (!kext.isLoaded()) {
            log("Can't load kext " + candidate.bundleIdentifier() + " for personality \"" + candidate.personalityName()
                    + "\" matching " + describe(nub) + ":");
            kext.failure().forEach(line -> log("    " + line));
            outcomes.add(outcome(candidate, candidate.score(), MatchOutcome.Result.LOAD_FAILED,
                    kext.failure().isEmpty() ? "the kext could not be loaded" : String.join(" ", kext.failure())));
            return null;
        }
        String[] why = new String[1];
        Class<? extends IOService> type = driverClass(kext, candidate.ioClass(), why);
        IOService instance = null;
        if (type != null) {
            try {
                instance = type.getDeclaredConstructor().newInstance();
            } catch (KernelPanic panic) {
                throw panic;
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                Throwable cause = e instanceof java.lang.reflect.InvocationTargetException && e.getCause() != null ? e.getCause() : e;
                why[0] = "its constructor failed: " + describe(cause);
            }
        }
        if (instance == null) {
            log("Couldn't alloc class \"" + candidate.ioClass() + "\"");
            outcomes.add(outcome(candidate, candidate.score(), MatchOutcome.Result.CLASS_NOT_FOUND,
                    "Couldn't alloc class \"" + candidate.ioClass() + "\" in kext " + candidate.bundleIdentifier()
                            + ": " + why[0]));
            return null;
        }
        IOService inst = instance;
        inst.serviceState().bundleIdentifier = candidate.bundleIdentifier();
        Map<String, Object> table = new LinkedHashMap<>(candidate.table());
        table.put("IOMatchCategory", candidate.category());
        table.putIfAbsent("CFBundleIdentifier", candidate.bundleIdentifier());
        table.putIfAbsent("CFBundleIdentifierKernel", candidate.bundleIdentifier());
        table.put("IOProbeScore", (long) candidate.score());
        boolean[] initialised = new boolean[1];
        Throwable thrown = invoke(inst, "init", ExecutionContext.THREAD, () -> initialised[0] = inst.init(new LinkedHashMap<>(table)));
        if (thrown != null || !initialised[0]) {
            String detail = thrown != null ? failureLine(inst, "init", null, thrown)
                    : inst.getMetaClassName() + "::init of kext " + candidate.bundleIdentifier() + " returned false";
            log(detail + "; candidate dropped.");
            inst.release();
            outcomes.add(outcome(candidate, candidate.score(), MatchOutcome.Result.INIT_FAILED, detail));
            return null;
        }
        // probeCandidates writes the category out, so the driver's table always shows it.
        inst.setProperty("IOMatchCategory", candidate.category());
        SInt32 score = new SInt32(candidate.score());
        IOService[] chosen = new IOService[1];
        thrown = invoke(inst, "probe", ExecutionContext.THREAD, () -> {
            inst.attach(nub);
            chosen[0] = inst.probe(nub, score);
        });
        Throwable detachFailure = invoke(inst, "detach", ExecutionContext.THREAD, () -> inst.detach(nub));
        if (nub.isChild(inst, IORegistryEntry.gIOServicePlane)) {
            inst.detachFromParent(nub, IORegistryEntry.gIOServicePlane);
        }
        if (thrown == null) {
            thrown = detachFailure;
        }
        if (thrown != null) {
            String detail = failureLine(inst, "probe", nub, thrown);
            log(detail + "; candidate dropped.");
            inst.release();
            outcomes.add(outcome(candidate, score.value, MatchOutcome.Result.PROBE_FAILED, detail));
            return null;
        }
        if (chosen[0] == null) {
            inst.release();
            outcomes.add(outcome(candidate, score.value, MatchOutcome.Result.PROBE_DECLINED,
                    inst.getMetaClassName() + "::probe returned null"));
            return null;
        }
        IOService winner = chosen[0];
        if (winner != inst) {
            // probe may hand back a substitute; the original instance is done with.
            winner.retain();
            inst.release();
            winner.serviceState().bundleIdentifier = candidate.bundleIdentifier();
            winner.setProperty("IOMatchCategory", candidate.category());
        }
        winner.setProperty("IOProbeScore", (long) score.value);
        table.put("IOProbeScore", (long) score.value);
        return new Probed(candidate, winner, score.value, table);
    }

    /** Start the list of one category from {@code index}: the first that starts wins, the rest lose. */
    private void startCategory(IOService nub, List<Probed> list, int index, List<MatchOutcome> outcomes) {
        for (int i = index; i < list.size(); i++) {
            Probed p = list.get(i);
            IOService inst = p.instance;
            IOService holder = holderOf(nub, p.candidate.category());
            if (holder != null && holder != inst || nub.isInactive()) {
                inst.release();
                outcomes.add(outcome(p.candidate, p.score, MatchOutcome.Result.LOST, nub.isInactive()
                        ? describe(nub) + " is terminating" : describe(holder) + " started in " + p.candidate.category()));
                continue;
            }
            if (!nub.isChild(inst, IORegistryEntry.gIOServicePlane)) {
                Throwable thrown = invoke(inst, "attach", ExecutionContext.THREAD, () -> inst.attach(nub));
                if (thrown != null || !nub.isChild(inst, IORegistryEntry.gIOServicePlane)) {
                    String detail = thrown != null ? failureLine(inst, "attach", nub, thrown)
                            : inst.getMetaClassName() + "::attach did not attach to " + describe(nub);
                    log(detail + "; trying the next candidate in " + p.candidate.category() + ".");
                    inst.release();
                    outcomes.add(outcome(p.candidate, p.score, MatchOutcome.Result.START_FAILED, detail));
                    continue;
                }
            }
            List<String> missing = missingResources(p.table);
            if (!missing.isEmpty()) {
                // As in I/O Kit the driver waits, attached, until the resources are published.
                synchronized (waitingForResources) {
                    waitingForResources.put(inst, new WaitingStart(nub, list, i, outcomes, p));
                }
                outcomes.add(outcome(p.candidate, p.score, MatchOutcome.Result.WAITING_FOR_RESOURCES,
                        "waiting for IOResourceMatch " + String.join(", ", missing)));
                return;
            }
            boolean[] started = new boolean[1];
            Throwable thrown = invokeWatched(inst.getMetaClassName() + "::start", () -> started[0] = inst.start(nub));
            if (thrown == null && started[0] && !inst.isInactive()) {
                inst.serviceState().started = true;
                // The registry's link holds the driver from now on.
                inst.release();
                outcomes.add(outcome(p.candidate, p.score, MatchOutcome.Result.STARTED,
                        inst.getMetaClassName() + " started on " + describe(nub)));
                // What a driver author wants to see first: which personality won, where, with what score.
                log(inst.getMetaClassName() + " matched and started on " + describe(nub) + " (personality \""
                        + p.candidate.personalityName() + "\" of " + p.candidate.bundleIdentifier() + ", score " + p.score
                        + ", " + p.candidate.category() + ")");
                continue;
            }
            String detail = thrown != null ? failureLine(inst, "start", nub, thrown)
                    : inst.getMetaClassName() + "::start(" + describe(nub) + ") of kext " + p.candidate.bundleIdentifier()
                            + " returned false";
            log(detail + "; trying the next candidate in " + p.candidate.category() + ".");
            invoke(inst, "detach", ExecutionContext.THREAD, () -> inst.detach(nub));
            if (nub.isChild(inst, IORegistryEntry.gIOServicePlane)) {
                inst.detachFromParent(nub, IORegistryEntry.gIOServicePlane);
            }
            inst.release();
            outcomes.add(outcome(p.candidate, p.score, MatchOutcome.Result.START_FAILED, detail));
        }
    }

    /**
     * Return the resources named by {@code IOResourceMatch} in a driver's table that are not
     * published yet. For a personality on IOResources itself the key is a matching key, not a wait.
     */
    static List<String> resourcesNamed(Map<String, Object> table) {
        // Until IOCatalogue offers a helper for this, read the key here: a string, or a collection of strings.
        Object value = table.get(IOResources.gIOResourceMatchKey);
        List<String> names = new ArrayList<>();
        if (value instanceof String) {
            names.add((String) value);
        } else if (value instanceof Collection) {
            for (Object o : (Collection<?>) value) {
                if (o instanceof String) {
                    names.add((String) o);
                }
            }
        }
        return names;
    }

    private List<String> missingResources(Map<String, Object> table) {
        List<String> missing = new ArrayList<>();
        IOResources nub = resources;
        for (String name : resourcesNamed(table)) {
            if (nub == null || !nub.hasProperty(name)) {
                missing.add(name);
            }
        }
        return missing;
    }

    private Class<? extends IOService> driverClass(DriverKexts.Result kext, String ioClass, String[] why) {
        List<String> names = new ArrayList<>();
        if (ioClass == null || ioClass.isEmpty() || "null".equals(ioClass)) {
            why[0] = "the personality has no IOClass";
            return null;
        }
        if (kext.classNames().contains(ioClass)) {
            names.add(ioClass);
        }
        for (String binary : kext.classNames()) {
            if (MetaClassNames.ofBinaryName(binary).equals(ioClass) && !names.contains(binary)) {
                names.add(binary);
            }
        }
        for (String pkg : kext.packages()) {
            names.add(pkg + "." + ioClass);
        }
        if (kext.classNames().isEmpty() && kext.packages().isEmpty()) {
            names.add(ioClass);
        }
        for (String name : names) {
            Class<?> type;
            try {
                type = Class.forName(name, true, kext.loader());
            } catch (ClassNotFoundException e) {
                continue;
            } catch (LinkageError e) {
                why[0] = name + " could not be initialised: " + describe(e.getCause() != null ? e.getCause() : e);
                return null;
            }
            if (!IOService.class.isAssignableFrom(type)) {
                why[0] = name + " is not an IOService subclass";
                return null;
            }
            if (java.lang.reflect.Modifier.isAbstract(type.getModifiers())) {
                why[0] = name + " is abstract";
                return null;
            }
            return type.asSubclass(IOService.class);
        }
        why[0] = "no class of the kext is named " + ioClass + " (as a Java binary name or an I/O Kit class name)";
        return null;
    }

    // ---- bookkeeping and calls into drivers -------------------------------------------------------

    private void forget(IOService service) {
        lastMatching.remove(service);
        power.PMstop(service);
        boolean waiting;
        synchronized (waitingForResources) {
            waiting = waitingForResources.remove(service) != null;
        }
        if (waiting) {
            // The kernel still held the reference it took when it created the waiting driver.
            service.release();
        }
    }

    /**
     * Run {@code body} on behalf of this kernel: objects it creates (nubs a family hot-plugs, say)
     * get this kernel's registry IDs and instance counts, and kit calls it makes reach this kernel.
     * Family hardware and tests use it to add or remove devices at run time; removal is
     * {@code nub.terminate(kIOServiceRequired)}.
     */
    public void inKernel(Runnable body) {
        if (scheduler instanceof HostedScheduler hosted) {
            // Entering takes the processor; leaving runs what the body set off (matching) until quiet.
            try (KernelEntry entry = hosted.enter()) {
                asKernel(body);
            }
        } else {
            asKernel(body);
        }
    }

    /** Run {@code body} bound to this kernel, so objects it creates and kit calls it makes land here. */
    void asKernel(Runnable body) {
        try (KernelRuntime.Scope ignored = KernelRuntime.enter(services)) {
            body.run();
        }
    }

    private void inThread(Runnable body) {
        if (scheduler.currentContext() == ExecutionContext.THREAD) {
            body.run();
        } else {
            scheduler.runInContext(ExecutionContext.THREAD, body);
        }
    }

    /**
     * Call driver code in {@code context}; return false if it threw, after logging a line that names
     * the class, kext, method and exception. A kernel panic goes through.
     */
    boolean callDriver(IOService target, String method, ExecutionContext context, Runnable body) {
        Throwable thrown = invoke(target, method, context, body);
        if (thrown != null) {
            log(failureLine(target, method, null, thrown) + ".");
            return false;
        }
        return true;
    }

    private Throwable invoke(IOService target, String method, ExecutionContext context, Runnable body) {
        Runnable checked = checkedEntry(target == null ? method : target.getMetaClassName() + "::" + method, body);
        try {
            if (scheduler.currentContext() == context) {
                checked.run();
            } else {
                scheduler.runInContext(context, checked);
            }
            return null;
        } catch (KernelPanic panic) {
            throw panic;
        } catch (RuntimeException | Error e) {
            return e;
        }
    }

    /**
     * Run a driver method that may never return ({@code start}) on its own kernel thread, so that the
     * scheduler's watchdog can cut it off: the stall then fails this candidate and matching goes on.
     */
    private Throwable invokeWatched(String threadName, Runnable body) {
        if (!(scheduler instanceof HostedScheduler hosted)) {
            return invoke(null, threadName, ExecutionContext.THREAD, body);
        }
        try {
            Runnable checked = checkedEntry(threadName, body);
            hosted.call(threadName, ExecutionContext.THREAD, () -> {
                checked.run();
                return null;
            });
            return null;
        } catch (KernelPanic panic) {
            throw panic;
        } catch (RuntimeException | Error e) {
            return e;
        }
    }

    /** Wrap a call into driver code so the kernel's checks see what it left behind when it returns. */
    private Runnable checkedEntry(String entryPoint, Runnable body) {
        KernelChecks checks = services.checks();
        if (!checks.active()) {
            return body;
        }
        return () -> {
            int token = KernelChecks.entering();
            body.run();
            checks.entryPointReturned(entryPoint, token);
        };
    }

    private static String failureLine(IOService target, String method, IOService provider, Throwable thrown) {
        String kext = target.serviceState().bundleIdentifier;
        return target.getMetaClassName() + "::" + method + (provider == null ? "" : "(" + describe(provider) + ")")
                + (kext == null ? "" : " of kext " + kext) + " threw " + describe(thrown);
    }

    void log(String line) {
        log.accept(line);
    }

    private static String openerOf(IOService service) {
        for (IOService client : service.getClients()) {
            if (service.isOpen(client)) {
                return describe(client);
            }
        }
        return "a client";
    }

    private static MatchOutcome outcome(MatchCandidate c, int score, MatchOutcome.Result result, String detail) {
        return new MatchOutcome(c.bundleIdentifier(), c.personalityName(), c.ioClass(), c.category(), score, result, detail);
    }

    /** Describe a service as ioreg names it: {@code name@location <class X>}. */
    static String describe(IOService service) {
        if (service == null) {
            return "(none)";
        }
        return service.getName() + (service.getLocation() == null ? "" : "@" + service.getLocation()) + " <class "
                + service.getMetaClassName() + ">";
    }

    /** Describe a throwable as a driver author wants it: type, message, and the first frame in driver code. */
    static String describe(Throwable t) {
        StringBuilder sb = new StringBuilder(t.getClass().getName());
        if (t.getMessage() != null) {
            sb.append(": ").append(t.getMessage());
        }
        for (StackTraceElement frame : t.getStackTrace()) {
            String cls = frame.getClassName();
            // The first frame outside the JDK, the kit and this class: where the driver threw.
            if (!cls.startsWith("java.") && !cls.startsWith("jdk.") && !cls.startsWith("sun.")
                    && !cls.startsWith("org.kextkit.kit.") && !cls.startsWith(IOKitKernel.class.getName())) {
                sb.append(" (at ").append(frame).append(')');
                break;
            }
        }
        return sb.toString();
    }
}
