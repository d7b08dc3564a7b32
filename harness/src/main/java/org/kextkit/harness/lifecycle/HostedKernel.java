package org.kextkit.harness.lifecycle;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.ServiceLoader;
import org.kextkit.harness.bundle.BundleReadResult;
import org.kextkit.harness.bundle.BundleScanner;
import org.kextkit.harness.bundle.KextBundle;
import org.kextkit.harness.bundle.KextBundleReader;
import org.kextkit.harness.bundle.KextBundleValidator;
import org.kextkit.harness.bundle.ScanResult;
import org.kextkit.harness.bundle.KextExecutable;
import org.kextkit.harness.bundle.KextExecutableException;
import org.kextkit.harness.diagnostics.DiagnosticGroup;
import org.kextkit.harness.check.Checks;
import org.kextkit.harness.check.KernelFindings;
import org.kextkit.harness.check.runtime.LockStatistics;
import org.kextkit.harness.check.runtime.RuntimeChecks;
import org.kextkit.harness.family.BuiltInKext;
import org.kextkit.harness.family.FamilyProvider;
import org.kextkit.harness.family.HardwareContext;
import org.kextkit.harness.family.MachineDescriptionException;
import org.kextkit.harness.family.MatchIndexer;
import org.kextkit.harness.iokit.DriverKexts;
import org.kextkit.harness.iokit.IOKitKernel;
import org.kextkit.harness.iokit.MatchReport;
import org.kextkit.harness.iokit.Personalities;
import org.kextkit.harness.iokit.matching.DriverCatalogue;
import org.kextkit.harness.iokit.matching.IOCatalogue;
import org.kextkit.harness.link.ClassIndex;
import org.kextkit.harness.link.FamilyExports;
import org.kextkit.harness.link.KextClassTransformer;
import org.kextkit.harness.check.instrument.KextInstrumenter;
import org.kextkit.harness.link.KextClassLoader;
import org.kextkit.harness.link.KextLinker;
import org.kextkit.harness.link.LinkResult;
import org.kextkit.harness.link.LinkedLibrary;
import org.kextkit.harness.repository.KernelPseudoKexts;
import org.kextkit.harness.repository.KextRepository;
import org.kextkit.harness.resolve.DependencyResolver;
import org.kextkit.harness.resolve.LoadedKextLookup;
import org.kextkit.harness.resolve.Resolution;
import org.kextkit.harness.scheduler.Backtrace;
import org.kextkit.harness.scheduler.HostedScheduler;
import org.kextkit.harness.scheduler.KernelEntry;
import org.kextkit.harness.scheduler.KernelLock;
import org.kextkit.harness.scheduler.KernelStallException;
import org.kextkit.harness.scheduler.SchedulerSetup;
import org.kextkit.harness.scheduler.Schedulers;
import org.kextkit.harness.scheduler.VirtualTimeScheduler;
import org.kextkit.harness.version.VersionGrammar;
import org.kextkit.kit.internal.ExecutionContext;
import org.kextkit.kit.bsd.Sysctl;
import org.kextkit.kit.bsd.SysctlOid;
import org.kextkit.kit.internal.KernelPanic;
import org.kextkit.kit.internal.SysctlHost;
import org.kextkit.kit.internal.SysctlTree;
import org.kextkit.kit.internal.IOKitHost;
import org.kextkit.kit.internal.KernelHeap;
import org.kextkit.kit.internal.KernelRuntime;
import org.kextkit.kit.internal.KernelScheduler;
import org.kextkit.kit.internal.KernelChecks;
import org.kextkit.kit.internal.KernelServices;
import org.kextkit.kit.internal.SimulatedHeap;
import org.kextkit.kit.iokit.IORegistryEntry;
import org.kextkit.kit.iokit.IOService;
import org.kextkit.kit.libkern.KernReturn;
import org.kextkit.kit.libkern.KextModule;

/**
 * Run one hosted kernel: the set of loaded kexts, their load tags and references, and the load,
 * start, stop and unload sequence of XNU's {@code OSKext}.
 *
 * <p>Loading resolves the kext's libraries, links every kext of the load list that is not loaded yet
 * (dependencies first), and starts each; if anything fails, the kexts this request loaded are
 * unloaded again, so a failed load never changes what was loaded before. Unloading is refused while
 * other kexts link against the kext or while instances of its classes are alive, with the kernel's
 * wording.
 *
 * <p><b>Threads and time.</b> The kernel runs on a {@link HostedScheduler} in the time mode of its
 * settings. A public method called from outside the kernel first enters it (under virtual time it
 * waits for the processor, and returns once every kernel thread it made runnable has run), and all
 * state changes are serialised by a {@link KernelLock} rather than a Java monitor, which would stop a
 * virtual-time kernel whose lock holder blocks. Start and stop routines run on kernel threads of
 * their own in thread context, so one that never returns is reported, abandoned and fails its load
 * or unload, and the kernel goes on.
 *
 * <p><b>Panics.</b> A kext that panics ({@code KernelServices.panic}), throws {@link KernelPanic}, or
 * lets any throwable escape an interrupt handler, a callout or a kernel thread of its own panics
 * this kernel only: the kernel records a {@link PanicReport} (in the log, and from
 * {@link #panicReport()}), stops scheduling, and refuses further work with
 * {@link KernelPanickedException}. Other kernels in the JVM go on.
 */
public final class HostedKernel implements AutoCloseable {
    /** Where the first kext is mapped: the unslid kext region of an x86_64 kernel. */
    private static final long KEXT_BASE_ADDRESS = 0xffffff7f80a00000L;
    private static final long PAGE = 0x1000;

    private final KernelSettings settings;
    private final KernelLog log;
    private final KextRepository repository;
    private final MetaClassRegistry metaClasses = new MetaClassRegistry();
    private final Map<String, LoadedKext> loadedById = new LinkedHashMap<>();
    private final Map<KextBundle, LoadedKext> loadedByBundle = new HashMap<>();
    // How many loaded kexts link against each loaded kext; null when the loaded set has changed since.
    private Map<LoadedKext, Integer> linkedDependentCounts;
    private final KextBundleReader reader;
    private final KextBundleValidator validator = new KextBundleValidator();
    private int nextTag = 1;
    private long nextAddress = KEXT_BASE_ADDRESS;
    private boolean shutDown;

    private static final AtomicLong KERNEL_NUMBERS = new AtomicLong();
    private final String kernelName = "kernel-" + KERNEL_NUMBERS.incrementAndGet();
    private final long bootRealNanos = System.nanoTime();
    private final HostedScheduler scheduler;
    private final KernelLock stateLock;
    // What the checkers report while kexts load and run.
    private final KernelFindings findings;
    /** The load-time checks and instrumentation of kext bytecode, or {@code null} when switched off. */
    private final KextInstrumenter instrumenter;
    // Simulated kernel memory; a fault (overrun, double free, use after free, ...) panics this kernel.
    private final RuntimeChecks runtimeChecks;
    private final SimulatedHeap heap;
    // What a panic report needs, readable from any thread without the kernel lock: a copy of
    // loadedById made when first read after a change (not on every change, which made loading N
    // kexts copy the table N times). loadedById changes and this copy are guarded by snapshotMonitor,
    // a plain monitor held only for the map update or the copy, never across a wait in the scheduler.
    private final Object snapshotMonitor = new Object();
    private List<LoadedKext> loadedSnapshot = List.of(); // null when stale
    private volatile LastEvent lastStarted;
    private volatile LastEvent lastStopped;
    private final Object panicMonitor = new Object();
    private volatile PanicReport panicReport;
    // The I/O Kit: registry and matching, the families found at boot and their built-in kexts.
    private final List<FamilyProvider> families;
    private final IOKitKernel iokit;
    private final SysctlTree sysctlTree;
    private final KernelSysctls sysctls;
    private final Map<KextBundle, BuiltInKext> builtIns = new IdentityHashMap<>();
    private FamilyExports familyExports = FamilyExports.NONE;

    private HostedKernel(KernelSettings settings, KextRepository repository, List<FamilyProvider> families) {
        this.settings = settings;
        this.findings = new KernelFindings(settings.checks());
        this.runtimeChecks = new RuntimeChecks(findings);
        this.heap = new SimulatedHeap(fault -> {
            // Every fault the heap detects is one XNU (or a KASAN kernel) panics on: report it, then panic.
            runtimeChecks.memoryFault(fault);
            throw new KernelWideServices().panic(fault.report());
        });
        this.log = new KernelLog(settings.logCapacity());
        this.repository = repository;
        this.reader = new KextBundleReader(settings.arch(), settings.grammar(), new AtomicLong());
        this.scheduler = createScheduler(settings);
        runtimeChecks.attach(scheduler);
        runtimeChecks.locateDmaMemoryWith(heap::allocationAtPhysical);
        heap.setChecks(runtimeChecks);
        this.stateLock = new KernelLock(scheduler, "kernel state lock of " + kernelName);
        this.families = List.copyOf(families);
        this.instrumenter = settings.instrumentation().enabled()
                ? new KextInstrumenter(settings.instrumentation().stackBudget(), findings) : null;
        this.iokit = new IOKitKernel(new KextServices("kernel"), scheduler, newCatalogue(this.families),
                this::loadForMatching, log::kernel);
        this.sysctlTree = new SysctlTree(log::kernel);
        publishKernelSysctls(settings);
        this.sysctls = new KernelSysctls(sysctlTree, scheduler, this::panicked);
    }

    private HostedScheduler createScheduler(KernelSettings settings) {
        SchedulerSetup setup = new SchedulerSetup(kernelName, settings.seed(), settings.watchdog(), new KernelWideServices(),
                this::threadPanicked, log::kernel);
        return Schedulers.create(settings.timeMode(), setup);
    }

    /** Return the driver catalogue of a kernel with these families, indexed by their nub classes' indexers. */
    private static DriverCatalogue newCatalogue(List<FamilyProvider> families) {
        Map<String, MatchIndexer> indexers = new HashMap<>();
        for (FamilyProvider family : families) {
            indexers.putAll(family.matchIndexers());
        }
        return new IOCatalogue(indexers);
    }

    /**
     * Boot a kernel that knows only its own pseudo-kexts; add kexts to {@link #repository()}.
     * The KPI pseudo-kexts are loaded and started with the first load tags.
     */
    public static HostedKernel boot(KernelSettings settings) {
        KernelPseudoKexts pseudoKexts = KernelPseudoKexts.forKernel(settings.kernelVersion(), settings.arch(), settings.grammar());
        return boot(settings, new KextRepository(pseudoKexts));
    }

    /**
     * Boot a kernel that knows the kexts of {@code repository}, whose pseudo-kexts must be those of
     * the kernel version in {@code settings}.
     */
    public static HostedKernel boot(KernelSettings settings, KextRepository repository) {
        return boot(settings, repository, discoverFamilies());
    }

    /**
     * Boot a kernel with these I/O Kit families (instead of those {@link #discoverFamilies} finds):
     * their built-in kexts join the repository, their hardware is built from the settings' machine,
     * the personalities of the repository's kexts go to the catalogue, and the registry is published.
     *
     * @throws IllegalArgumentException if the machine description is wrong (the message names the
     *     file, the device entry and the key)
     */
    public static HostedKernel boot(KernelSettings settings, KextRepository repository, List<FamilyProvider> families) {
        HostedKernel kernel = new HostedKernel(settings, repository, families);
        try (Guard guard = kernel.guard()) {
            kernel.loadKernelComponents();
            kernel.startIOKit();
        } catch (RuntimeException e) {
            // Nobody gets this kernel: stop its scheduler so that its threads do not outlive the failed boot.
            kernel.scheduler.shutdown();
            throw e;
        }
        return kernel;
    }

    /** Return the I/O Kit families on the class path ({@code META-INF/services/...FamilyProvider}). */
    public static List<FamilyProvider> discoverFamilies() {
        List<FamilyProvider> found = new ArrayList<>();
        // Each kernel gets its own provider instances; only the class path scan is shared.
        for (ServiceLoader.Provider<FamilyProvider> provider : FamilyProviders.FOUND) {
            found.add(provider.get());
        }
        found.sort(Comparator.comparing(FamilyProvider::familyName));
        return found;
    }

    /** The family providers on the class path, found once: the loader that is searched never changes. */
    private static final class FamilyProviders {
        static final List<ServiceLoader.Provider<FamilyProvider>> FOUND = ServiceLoader
                .load(FamilyProvider.class, HostedKernel.class.getClassLoader()).stream().toList();
    }

    private void loadKernelComponents() {
        log.kernel(kernelBanner());
        List<KextBundle> components = new ArrayList<>();
        for (KextBundle bundle : repository.all()) {
            // com.apple.kernel is the kernel itself (tag 0); the legacy com.apple.kernel.* ids exist
            // only on 32-bit kernels, so a 64-bit kernel knows but never loads them.
            if (bundle.isKernelComponent() && bundle.identifier() != null && bundle.identifier().startsWith("com.apple.kpi.")) {
                components.add(bundle);
            }
        }
        components.sort(Comparator.comparing(KextBundle::identifier));
        for (KextBundle component : components) {
            LoadedKext kext = new LoadedKext(this, component, nextTag++, 0, 0, pseudoUuid(component), List.of(), null);
            kext.started(null);
            register(kext);
        }
    }

    private static String pseudoUuid(KextBundle bundle) {
        return UUID.nameUUIDFromBytes((bundle.identifier() + "/" + bundle.versionString()).getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .toString().toUpperCase(Locale.ROOT);
    }

    /** Return the settings this kernel booted with. */
    public KernelSettings settings() {
        return settings;
    }

    /** Return the kernel log. */
    public KernelLog log() {
        return log;
    }

    /** Return the scheduler this kernel's threads run on: its clock, threads and contexts. */
    public HostedScheduler scheduler() {
        return scheduler;
    }

    /**
     * Return the virtual-time scheduler, through which a test drives the kernel clock
     * ({@code advance}, {@code runUntil}, ...).
     *
     * @throws IllegalStateException if this kernel runs in real time
     */
    public VirtualTimeScheduler virtualTime() {
        if (scheduler instanceof VirtualTimeScheduler virtual) {
            return virtual;
        }
        throw new IllegalStateException("hosted kernel " + kernelName + " runs in " + scheduler.mode().configName()
                + " time; only a virtual-time kernel's clock can be driven");
    }

    /** Return the kernel's panic report, or empty while it has not panicked. */
    public Optional<PanicReport> panicReport() {
        return Optional.ofNullable(panicReport);
    }

    /** Return true once the kernel has panicked. */
    public boolean hasPanicked() {
        return panicReport != null;
    }

    /** Return the kexts this kernel knows. */
    public KextRepository repository() {
        return repository;
    }

    /**
     * Read and validate the kext at {@code path} (and its plug-ins) with this kernel's architecture
     * and grammar, and make them known; returns what was read and any problems.
     */
    public BundleReadResult addKext(Path path) {
        try (Guard guard = workGuard()) {
            BundleReadResult result = reader.read(path);
            for (KextBundle bundle : result.bundles()) {
                validator.validate(bundle);
                repository.add(bundle);
            }
            return result;
        }
    }

    /**
     * Validate and make known a kext a build has not packaged yet, whose classes are already in
     * memory (see {@link KextBundleReader#readUnpackaged}); it then loads like any other.
     */
    public BundleReadResult addKext(Path bundlePath, Path infoPlist, byte[] infoPlistBytes,
                                    org.kextkit.harness.bundle.KextExecutable executable) {
        try (Guard guard = workGuard()) {
            BundleReadResult result = reader.readUnpackaged(bundlePath, infoPlist, infoPlistBytes, executable);
            for (KextBundle bundle : result.bundles()) {
                validator.validate(bundle);
                repository.add(bundle);
            }
            return result;
        }
    }

    /**
     * Read a search item (a {@code .kext} bundle or a folder of them, see
     * {@link BundleScanner#readItem}) and make its kexts known.
     */
    public ScanResult addSearchItem(Path item) {
        try (Guard guard = workGuard()) {
            ScanResult result = new BundleScanner(reader, validator).readItem(item);
            repository.addAll(result.bundles());
            return result;
        }
    }

    /** Scan an extensions folder (not recursively, plug-ins included) and make its kexts known. */
    public ScanResult addRepository(Path folder) {
        try (Guard guard = workGuard()) {
            ScanResult result = new BundleScanner(reader, validator).scan(folder);
            repository.addAll(result.bundles());
            // An extensions folder is what the kernel boots with: its kexts' personalities go to the
            // catalogue now, and the kexts load when one of them wins.
            List<KextBundle> all = new ArrayList<>();
            for (KextBundle bundle : result.bundles()) {
                all.add(bundle);
                all.addAll(bundle.plugins());
            }
            sendPersonalities(all, true);
            return result;
        }
    }

    /** Return the live-instance counts of the kexts' classes. */
    public MetaClassRegistry metaClasses() {
        return metaClasses;
    }


    /** Return the loaded kexts in load-tag order, kernel components included. */
    public List<LoadedKext> loadedKexts() {
        try (Guard guard = guard()) {
            List<LoadedKext> all = new ArrayList<>(loadedById.values());
            all.sort(Comparator.comparingInt(LoadedKext::tag));
            return all;
        }
    }

    /** Return the loaded kext with {@code bundleId}, if any. */
    public Optional<LoadedKext> loadedKext(String bundleId) {
        try (Guard guard = guard()) {
            return Optional.ofNullable(loadedById.get(bundleId));
        }
    }

    /** Return a view of what is loaded, for the resolver. */
    public LoadedKextLookup loadedLookup() {
        return bundleId -> {
            try (Guard guard = guard()) {
                LoadedKext kext = loadedById.get(bundleId);
                return kext == null ? null : kext.bundle();
            }
        };
    }

    int linkedDependentsOf(LoadedKext kext) {
        try (Guard guard = guard()) {
            return linkedDependentsOfLocked(kext);
        }
    }

    private int linkedDependentsOfLocked(LoadedKext kext) {
        // kextstat asks this of every loaded kext: count all dependents in one pass and keep the
        // counts until the loaded set changes, rather than scanning every kext for each kext.
        if (linkedDependentCounts == null) {
            Map<LoadedKext, Integer> counts = new IdentityHashMap<>();
            for (LoadedKext other : loadedById.values()) {
                List<LoadedKext> linked = other.linkedAgainst();
                for (int i = 0; i < linked.size(); i++) {
                    LoadedKext dependency = linked.get(i);
                    // Each dependent counts once, however often it lists the library.
                    if (linked.indexOf(dependency) == i) {
                        counts.merge(dependency, 1, Integer::sum);
                    }
                }
            }
            linkedDependentCounts = counts;
        }
        return linkedDependentCounts.getOrDefault(kext, 0);
    }

    /** Load one kext with its libraries. */
    public LoadReport load(KextBundle kext) {
        return loadAll(List.of(kext)).get(0);
    }

    /**
     * Load several kexts, each with its libraries, in the order given; one kext's failure does not
     * stop the others.
     */
    public List<LoadReport> loadAll(List<KextBundle> kexts) {
        try (Guard guard = workGuard()) {
            return loadAllLocked(kexts);
        }
    }

    private List<LoadReport> loadAllLocked(List<KextBundle> kexts) {
        DependencyResolver resolver = new DependencyResolver(repository, loadedLookup());
        ClassIndex classIndex = new ClassIndex(repository::all);
        // One batch resolution shares the work of kexts reached from several roots; resolution
        // prefers what is loaded, and nothing this batch loads can change a choice already made.
        List<KextBundle> resolvable = new ArrayList<>();
        for (KextBundle kext : kexts) {
            if (isResolvable(kext)) {
                resolvable.add(kext);
            }
        }
        Map<KextBundle, Resolution> resolutions = new HashMap<>();
        List<Resolution> resolved = resolver.resolveAll(resolvable);
        for (int i = 0; i < resolvable.size(); i++) {
            resolutions.put(resolvable.get(i), resolved.get(i));
        }
        List<LoadReport> reports = new ArrayList<>(kexts.size());
        for (KextBundle kext : kexts) {
            reports.add(loadOne(kext, resolutions.get(kext), classIndex));
        }
        return reports;
    }

    private boolean isResolvable(KextBundle kext) {
        return (kext.identifier() == null || !loadedById.containsKey(kext.identifier()))
                && !kext.diagnostics().has(DiagnosticGroup.VALIDATION)
                && !(settings.safeBoot() && !isLoadableInSafeBoot(kext));
    }

    private LoadReport loadOne(KextBundle root, Resolution resolution, ClassIndex classIndex) {
        String name = root.displayName();
        LoadedKext already = root.identifier() == null ? null : loadedById.get(root.identifier());
        if (already != null) {
            return alreadyLoaded(root, already);
        }
        if (root.diagnostics().has(DiagnosticGroup.VALIDATION)) {
            return failed(root, KextReturn.VALIDATION, List.of(root.path() + " is invalid; can't load."));
        }
        if (settings.safeBoot() && !isLoadableInSafeBoot(root)) {
            log.kernel("Can't load kext " + name + " - not loadable during safe boot.");
            return failed(root, KextReturn.BOOT_LEVEL, List.of("Can't load kext " + name + " - not loadable during safe boot."));
        }
        if (!resolution.isResolved()) {
            List<String> messages = new ArrayList<>(resolution.logLines());
            log.kernel("Can't load kext " + name + " - failed to resolve library dependencies.");
            return failed(root, KextReturn.DEPENDENCIES, messages);
        }
        List<LoadedKext> loadedNow = new ArrayList<>();
        List<KextBundle> codelessNow = new ArrayList<>();
        // Only the part of the root's closure that is not loaded: a loaded kext's libraries are loaded
        // too, so the walk stops there instead of visiting the whole closure for every root of a batch.
        // The identity map is asked first, before the Info.plist lookup of isKernelComponent().
        for (KextBundle bundle : resolution.loadListWithout(b -> isLoaded(b) || b.isKernelComponent())) {
            if (bundle.identifier() != null && loadedById.containsKey(bundle.identifier())) {
                rollBack(loadedNow);
                String line = "Can't load " + bundle.path() + " - a different version is already loaded.";
                return failed(root, KextReturn.LOADED_VERSION_DIFFERS, List.of(line));
            }
            BuiltInKext builtIn = builtIns.get(bundle);
            if (builtIn != null) {
                loadedNow.add(loadBuiltIn(bundle, builtIn, resolution));
                continue;
            }
            if (!bundle.declaresExecutable()) {
                // A codeless kext only registers (and, later, sends personalities): no tag, no row.
                codelessNow.add(bundle);
                continue;
            }
            StepResult step = linkAndStart(bundle, resolution, classIndex);
            if (step.kext == null) {
                rollBack(loadedNow);
                if (bundle != root) {
                    List<String> messages = new ArrayList<>(step.messages);
                    messages.add("Dependency " + bundle.identifier() + " of kext " + name + " failed to load.");
                    return failed(root, KextReturn.DEPENDENCY_LOAD_ERROR, messages);
                }
                return failed(root, step.result, step.messages);
            }
            loadedNow.add(step.kext);
        }
        log.kernel("Kext " + name + " loaded.");
        // §3.2: send the personalities of what this request loaded to the catalogue, which starts
        // matching; never changes the result. Kexts of the closure loaded earlier sent theirs then.
        List<KextBundle> sent = new ArrayList<>(codelessNow);
        for (LoadedKext kext : loadedNow) {
            sent.add(kext.bundle());
        }
        if (!sent.contains(root)) {
            sent.add(root);
        }
        sendPersonalities(sent, false);
        return new LoadReport(root, LoadReport.Status.LOADED, KextReturn.SUCCESS, List.of());
    }

    private LoadReport alreadyLoaded(KextBundle root, LoadedKext loaded) {
        boolean sameVersion = loaded.bundle().version().equals(root.version());
        boolean sameExecutable = loaded.bundle() == root || sameUuid(loaded, root);
        if (sameVersion && sameExecutable) {
            return new LoadReport(root, LoadReport.Status.ALREADY_LOADED, KextReturn.SUCCESS, List.of());
        }
        String what = sameVersion ? "UUID" : "version";
        return failed(root, KextReturn.LOADED_VERSION_DIFFERS,
                List.of("Can't load " + root.path() + " - a different " + what + " is already loaded."));
    }

    private static boolean sameUuid(LoadedKext loaded, KextBundle candidate) {
        if (!candidate.declaresExecutable()) {
            return loaded.uuid() == null;
        }
        try {
            return candidate.executable().uuid().equals(loaded.uuid());
        } catch (KextExecutableException e) {
            return false;
        }
    }

    private boolean isLoaded(KextBundle bundle) {
        return loadedByBundle.containsKey(bundle);
    }

    private static boolean isLoadableInSafeBoot(KextBundle kext) {
        String required = kext.osBundleRequired();
        return required != null && !required.equals("DriverKit");
    }

    private record StepResult(LoadedKext kext, KextReturn result, List<String> messages) {
    }

    private StepResult linkAndStart(KextBundle bundle, Resolution resolution, ClassIndex classIndex) {
        String name = bundle.displayName();
        KextExecutable executable;
        try {
            executable = bundle.executable();
        } catch (KextExecutableException e) {
            return new StepResult(null, KextReturn.VALIDATION, List.of(e.getMessage()));
        }
        List<LinkedLibrary> libraries = new ArrayList<>();
        List<LoadedKext> linkedAgainst = new ArrayList<>();
        List<FamilyExports.Family> declaredFamilies = new ArrayList<>();
        for (KextBundle dependency : resolution.dependencies(bundle)) {
            FamilyExports.Family family = builtIns.containsKey(dependency) ? familyExports.family(dependency.identifier()) : null;
            if (family != null) {
                declaredFamilies.add(family);
            }
        }
        for (KextBundle dependency : resolution.linkDependencies(bundle)) {
            LoadedKext loadedDependency = loadedByBundle.get(dependency);
            if (loadedDependency == null) {
                return new StepResult(null, KextReturn.DEPENDENCY_LOAD_ERROR,
                        List.of("Kext " + name + " - library kext " + dependency.identifier() + " is not loaded."));
            }
            linkedAgainst.add(loadedDependency);
            if (!builtIns.containsKey(dependency)) {
                // A built-in family lends its exported packages instead (declaredFamilies).
                libraries.add(new LinkedLibrary(dependency, loadedDependency.classLoader()));
            }
        }
        KextServices services = new KextServices(bundle.identifier());
        KextClassTransformer transformer = KextClassTransformer.NONE;
        if (instrumenter != null) {
            List<String> refusals = instrumenter.prepare(bundle, executable, services);
            if (!refusals.isEmpty()) {
                List<String> messages = new ArrayList<>();
                for (String refusal : refusals) {
                    messages.add("Kext " + name + " - refused: " + refusal);
                }
                log.kernel("Kext " + name + " - link failed: " + refusals.size() + " use(s) of APIs kernel code may not use.");
                return new StepResult(null, KextReturn.LINK_ERROR, messages);
            }
            transformer = instrumenter;
        }
        LinkResult link = new KextLinker(classIndex, transformer, familyExports)
                .link(bundle, executable, libraries, declaredFamilies, services);
        if (!link.isLinked()) {
            List<String> messages = new ArrayList<>(link.formatFindings());
            log.kernel("Kext " + name + " - link failed: " + messages.size() + " unresolved reference(s).");
            return new StepResult(null, KextReturn.LINK_ERROR, messages);
        }
        long size = bundle.isInterface() ? 0 : Math.max(PAGE, (executable.fileSize() + PAGE - 1) / PAGE * PAGE);
        long address = bundle.isInterface() ? 0 : nextAddress;
        nextAddress += size;
        LoadedKext kext = new LoadedKext(this, bundle, nextTag++, address, size, executable.uuid(), linkedAgainst, link.loader());
        register(kext);
        String failure = start(kext, executable.moduleClass());
        if (failure != null) {
            unregister(kext);
            return new StepResult(null, KextReturn.START_STOP_ERROR, List.of(failure));
        }
        return new StepResult(kext, KextReturn.SUCCESS, List.of());
    }

    /** What running a start routine gave: the module and its result, or why it could not run. */
    private record Started(KextModule module, int result, String failure) {
    }

    /** Run the kext's start routine; return null on success or the failure line. */
    private String start(LoadedKext kext, String moduleClass) {
        String name = kext.name();
        Started started;
        try {
            // The kext's own thread, so that a start routine that never returns fails only this load;
            // a kext without a start routine (a library) has nothing to run, so no thread is started.
            started = moduleClass == null ? new Started(null, KernReturn.KERN_SUCCESS, null)
                    : scheduler.call("kext start " + name, ExecutionContext.THREAD, () -> runStart(kext, moduleClass));
        } catch (KernelStallException e) {
            // The scheduler has logged the whole report; the failure line carries its summary.
            return failStart(name, "its start routine did not return (" + e.getMessage() + ")");
        } catch (KernelPanic p) {
            throw panicked(p);
        } catch (Throwable t) {
            return failStart(name, "its start routine threw " + describe(unwrap(t)));
        }
        if (started.failure() != null) {
            return failStart(name, started.failure());
        }
        KextModule module = started.module();
        int result = started.result();
        if (result != KernReturn.KERN_SUCCESS) {
            String line = "Kext " + name + " start failed (result " + String.format(Locale.ROOT, "0x%x", result) + ").";
            log.kernel("Kext " + name + " did not start (return code " + String.format(Locale.ROOT, "0x%x", result) + ").");
            log.kernel(line);
            return line;
        }
        kext.started(module);
        lastStarted = new LastEvent(scheduler.nanoTime(), kext);
        log.kernel("Kext " + name + " is now started.");
        return null;
    }

    /** On the kext's start thread: load the module class, create the module and call its start routine. */
    private Started runStart(LoadedKext kext, String moduleClass) throws ReflectiveOperationException {
        try (KernelRuntime.Scope ignored = KernelRuntime.enter(new KextServices(kext.name()))) {
            if (moduleClass == null) {
                return new Started(null, KernReturn.KERN_SUCCESS, null);
            }
            Class<?> type = Class.forName(moduleClass, true, kext.classLoader());
            if (!KextModule.class.isAssignableFrom(type)) {
                return new Started(null, 0, "its Kext-Module-Class " + moduleClass + " does not implement " + KextModule.class.getName());
            }
            KextModule module = (KextModule) type.getDeclaredConstructor().newInstance();
            int token = KernelChecks.entering();
            int result = module.start(kext, null);
            runtimeChecks.entryPointReturned("the start routine of " + kext.name(), token);
            return new Started(module, result, null);
        }
    }

    private void logReport(String text) {
        for (String line : text.split("\n")) {
            log.kernel(line);
        }
    }

    /**
     * The last kext started or stopped and when, for a panic report's "last started kext" lines;
     * formatted only if a report needs it, not at every start.
     */
    private record LastEvent(long nanos, LoadedKext kext) {
        static String describe(LastEvent event) {
            return event == null ? null : event.toString();
        }

        @Override
        public String toString() {
            return Backtrace.seconds(nanos) + ": " + kext.name() + " " + kext.version()
                    + String.format(Locale.ROOT, " (addr 0x%x, size %d)", kext.address(), kext.size());
        }
    }

    private String failStart(String name, String why) {
        String line = "Kext " + name + " start failed: " + why + ".";
        log.kernel(line);
        return line;
    }

    private static Throwable unwrap(Throwable t) {
        if (t instanceof java.util.concurrent.CompletionException && t.getCause() != null) {
            return unwrap(t.getCause());
        }
        if (t instanceof java.lang.reflect.InvocationTargetException && t.getCause() != null) {
            return t.getCause();
        }
        if (t instanceof ExceptionInInitializerError && t.getCause() != null) {
            return t.getCause();
        }
        return t;
    }

    /** Describe a throwable as a driver author wants it: type, message, and where in the kext. */
    static String describe(Throwable t) {
        StringBuilder sb = new StringBuilder(t.getClass().getName());
        if (t.getMessage() != null) {
            sb.append(": ").append(t.getMessage());
        }
        for (StackTraceElement frame : t.getStackTrace()) {
            if (!frame.getClassName().startsWith("java.") && !frame.getClassName().startsWith("jdk.")
                    && !frame.getClassName().startsWith("org.kextkit.harness.")) {
                sb.append(" (at ").append(frame).append(')');
                break;
            }
        }
        return sb.toString();
    }

    private void rollBack(List<LoadedKext> loadedNow) {
        // Apple leaves such dependencies to autounload a minute later; kextkit removes them at once
        // so that a failed load leaves the kernel exactly as it was.
        for (int i = loadedNow.size() - 1; i >= 0; i--) {
            LoadedKext kext = loadedNow.get(i);
            stopAndUnregister(kext, true);
        }
    }

    private void register(LoadedKext kext) {
        synchronized (snapshotMonitor) {
            loadedById.put(kext.bundleId(), kext);
            loadedSnapshot = null;
        }
        loadedByBundle.put(kext.bundle(), kext);
        linkedDependentCounts = null;
    }

    private void unregister(LoadedKext kext) {
        synchronized (snapshotMonitor) {
            loadedById.remove(kext.bundleId());
            loadedSnapshot = null;
        }
        loadedByBundle.remove(kext.bundle());
        linkedDependentCounts = null;
        if (kext.classLoader() != null) {
            metaClasses.forget(kext.classLoader());
        }
    }

    /** Return the loaded kexts in load order, from any thread, without the kernel lock. */
    private List<LoadedKext> loadedSnapshot() {
        synchronized (snapshotMonitor) {
            if (loadedSnapshot == null) {
                loadedSnapshot = List.copyOf(loadedById.values());
            }
            return loadedSnapshot;
        }
    }

    private LoadReport failed(KextBundle kext, KextReturn result, List<String> messages) {
        return new LoadReport(kext, LoadReport.Status.FAILED, result, List.copyOf(messages));
    }

    /**
     * Unload a kext: refused while other kexts link against it, while it has explicit references,
     * while instances of its classes are alive, for kernel components, or if its stop routine fails.
     */
    public UnloadReport unload(String bundleId) {
        try (Guard guard = workGuard()) {
            return unloadLocked(bundleId);
        } catch (KernelPanic p) {
            // A driver's stop or termination that panics on the caller's own kernel thread.
            throw panicked(p);
        }
    }

    private UnloadReport unloadLocked(String bundleId) {
        LoadedKext kext = loadedById.get(bundleId);
        if (kext == null) {
            String line = "Kext " + bundleId + " not found for unload request.";
            log.kernel(line);
            return new UnloadReport(bundleId, KextReturn.NOT_FOUND, List.of(line));
        }
        if (kext.isKernelComponent()) {
            String line = "Can't unload kext " + bundleId + "; it is a kernel component.";
            log.kernel(line);
            return new UnloadReport(bundleId, KextReturn.INVALID_ARGUMENT, List.of(line));
        }
        int refs = kext.refs();
        if (refs > 0) {
            String line = "Can't unload kext " + bundleId + "; outstanding references " + refs + " (linkage or tracking object).";
            log.kernel(line);
            return new UnloadReport(bundleId, KextReturn.IN_USE, List.of(line));
        }
        // §3.5: terminate the kext's I/O Kit services and remove its personalities, then check instances.
        terminateDriversForModule(bundleId, true);
        List<String> instances = instanceReport(kext);
        if (!instances.isEmpty()) {
            runtimeChecks.instancesAlive(kext.bundle(), liveClasses(kext));
            instances.forEach(log::kernel);
            return new UnloadReport(bundleId, KextReturn.IN_USE, instances);
        }
        String stopFailure = stop(kext);
        if (stopFailure != null) {
            return new UnloadReport(bundleId, KextReturn.START_STOP_ERROR, List.of(stopFailure));
        }
        runtimeChecks.kextUnloaded(kext.classLoader(), kext.bundle(), heap.liveAllocations());
        runtimeChecks.kextObjectsUnloaded(kext.classLoader(), kext.bundle());
        withdrawSysctlsOf(kext);
        unregister(kext);
        log.kernel("Kext " + bundleId + " unloaded.");
        return new UnloadReport(bundleId, KextReturn.SUCCESS, List.of());
    }

    private Map<String, Integer> liveClasses(LoadedKext kext) {
        if (kext.definingLoader() == null) {
            return new LinkedHashMap<>();
        }
        Map<String, Integer> live = metaClasses.liveClassesOf(kext.definingLoader());
        BuiltInKext builtIn = builtIns.get(kext.bundle());
        if (builtIn != null) {
            // A built-in family shares its loader with kextkit: count only its exported packages.
            FamilyExports.Family family = familyExports.family(kext.bundleId());
            live.keySet().removeIf(type -> family == null || !family.exports(type));
        }
        return live;
    }

    private List<String> instanceReport(LoadedKext kext) {
        List<String> lines = new ArrayList<>();
        Map<String, Integer> live = liveClasses(kext);
        if (!live.isEmpty()) {
            lines.add("Can't unload kext " + kext.name() + "; classes have instances:");
            live.forEach((type, count) -> lines.add("    Kext " + kext.name() + " class " + type + " has " + count
                    + (count == 1 ? " instance." : " instances.")));
        }
        return lines;
    }

    /** Run the stop routine; return null on success or the failure line. */
    private String stop(LoadedKext kext) {
        String name = kext.name();
        kext.stopping();
        KextModule module = kext.module();
        if (module == null) {
            return null;
        }
        int result;
        try {
            result = scheduler.call("kext stop " + name, ExecutionContext.THREAD, () -> {
                try (KernelRuntime.Scope ignored = KernelRuntime.enter(new KextServices(name))) {
                    int token = KernelChecks.entering();
                    int stopped = module.stop(kext, null);
                    runtimeChecks.entryPointReturned("the stop routine of " + name, token);
                    return stopped;
                }
            });
        } catch (KernelStallException e) {
            kext.started(module);
            String line = "Kext " + name + " can't unload - its stop routine did not return (" + e.getMessage() + ").";
            log.kernel(line);
            return line;
        } catch (KernelPanic p) {
            throw panicked(p);
        } catch (Throwable t) {
            kext.started(module);
            String line = "Kext " + name + " can't unload - its stop routine threw " + describe(unwrap(t)) + ".";
            log.kernel(line);
            return line;
        }
        if (result != KernReturn.KERN_SUCCESS) {
            kext.started(module);
            String code = String.format(Locale.ROOT, "0x%x", result);
            log.kernel("Kext " + name + " did not stop (return code " + code + ").");
            String line = "Kext " + name + " can't unload - module stop returned " + code + ".";
            log.kernel(line);
            return line;
        }
        lastStopped = new LastEvent(scheduler.nanoTime(), kext);
        return null;
    }

    private void stopAndUnregister(LoadedKext kext, boolean quiet) {
        String failure = stop(kext);
        if (failure != null && !quiet) {
            log.kernel(failure);
        }
        if (failure == null) {
            runtimeChecks.kextUnloaded(kext.classLoader(), kext.bundle(), heap.liveAllocations());
            runtimeChecks.kextObjectsUnloaded(kext.classLoader(), kext.bundle());
        withdrawSysctlsOf(kext);
        }
        unregister(kext);
    }

    /**
     * Shut the kernel down: stop and unload every kext in reverse load order, whatever refuses,
     * so that dependents stop before their libraries.
     */
    public void shutdown() {
        if (hasPanicked()) {
            // A panicked kernel runs no more kext code: its stop routines are not called.
            shutDown = true;
            scheduler.shutdown();
            return;
        }
        try (Guard guard = guard()) {
            shutdownLocked();
        }
        scheduler.shutdown();
    }

    private void shutdownLocked() {
        if (shutDown) {
            return;
        }
        // Every driver stops (leaf first) before the kexts that define them do.
        iokit.shutdown();
        List<LoadedKext> kexts = loadedKexts();
        for (int i = kexts.size() - 1; i >= 0; i--) {
            LoadedKext kext = kexts.get(i);
            if (!kext.isKernelComponent()) {
                stopAndUnregister(kext, false);
                log.kernel("Kext " + kext.name() + " unloaded.");
            }
        }
        shutDown = true;
        log.kernel("Kernel shut down.");
    }

    @Override
    public void close() {
        shutdown();
    }

    private void ensureRunning() {
        PanicReport report = panicReport;
        if (report != null) {
            throw new KernelPanickedException(report);
        }
        if (shutDown) {
            throw new IllegalStateException("the hosted kernel has been shut down");
        }
    }

    /** A caller's stay inside the kernel with its state lock held. */
    @FunctionalInterface
    private interface Guard extends AutoCloseable {
        @Override
        void close();
    }

    /** Enter the kernel (if called from outside it) and take the state lock. */
    private Guard guard() {
        KernelEntry entry = scheduler.enter();
        try {
            stateLock.lock();
        } catch (RuntimeException | Error e) {
            entry.close();
            throw e;
        }
        return () -> {
            try {
                stateLock.unlock();
            } finally {
                entry.close();
            }
        };
    }

    /** As {@link #guard()}, for requests that change the kernel: refused once it has panicked or shut down. */
    private Guard workGuard() {
        ensureRunning();
        Guard guard = guard();
        try {
            ensureRunning();
        } catch (RuntimeException e) {
            guard.close();
            throw e;
        }
        return guard;
    }

    /** Return the exception that ends a request during which the kernel panicked. */
    private KernelPanickedException panicked(KernelPanic panic) {
        if (panicReport == null) {
            recordPanic(panic.getMessage(), panic, scheduler.currentThreadName(), scheduler.currentContext());
        }
        return new KernelPanickedException(panicReport);
    }

    /** Called by the scheduler when a throwable escaped kext code on one of its threads. */
    private void threadPanicked(String panicString, Throwable cause, String threadName, ExecutionContext context) {
        recordPanic(panicString, cause, threadName, context);
    }

    /**
     * Record the kernel's panic (the first one only: later ones are its consequences), write the
     * report to the log, and halt the scheduler.
     */
    private void recordPanic(String panicString, Throwable cause, String threadName, ExecutionContext context) {
        PanicReport report;
        synchronized (panicMonitor) {
            if (panicReport != null) {
                return;
            }
            StackTraceElement[] stack = cause != null ? cause.getStackTrace() : Thread.currentThread().getStackTrace();
            report = buildPanicReport(panicString, Backtrace.withoutPlumbing(stack), threadName, context);
            panicReport = report;
        }
        findings.report(panicFinding(report));
        logReport(report.text());
        scheduler.halt(panicString);
    }

    /** Return the panic as a finding, so that every report format shows it (check PANIC). */
    private static org.kextkit.harness.check.Finding panicFinding(PanicReport report) {
        List<StackTraceElement> kextFrames = report.backtrace().stream().filter(Backtrace::isKextFrame).toList();
        PanicReport.KextInBacktrace kext = report.kextsInBacktrace().isEmpty() ? null : report.kextsInBacktrace().get(0);
        return org.kextkit.harness.check.Finding.panic(report.panicString(), kextFrames,
                kext == null ? null : kext.bundleId(), kext == null ? null : kext.version(),
                report.context() == null ? null : report.context().name());
    }

    private PanicReport buildPanicReport(String panicString, List<StackTraceElement> stack, String threadName,
                                         ExecutionContext context) {
        List<StackTraceElement> backtrace = new ArrayList<>(stack);
        // Drop the kernel's own frames above the panicking code (KextServices.panic and its callers in the harness).
        while (backtrace.size() > 1 && backtrace.get(0).getClassName().startsWith("org.kextkit.harness.")
                && !Backtrace.isKextFrame(backtrace.get(0))) {
            backtrace.remove(0);
        }
        // ...and the kernel's dispatch frames below the outermost kext frame, which every panic shares.
        int outermostKextFrame = -1;
        for (int i = 0; i < backtrace.size(); i++) {
            if (Backtrace.isKextFrame(backtrace.get(i))) {
                outermostKextFrame = i;
            }
        }
        if (outermostKextFrame >= 0) {
            backtrace.subList(outermostKextFrame + 1, backtrace.size()).clear();
        }
        String caller = null;
        List<String> kextIds = new ArrayList<>();
        for (StackTraceElement frame : backtrace) {
            String kext = Backtrace.kextOf(frame);
            if (kext != null) {
                if (caller == null) {
                    caller = Backtrace.method(frame);
                }
                if (!kextIds.contains(kext)) {
                    kextIds.add(kext);
                }
            }
        }
        if (caller == null) {
            caller = backtrace.isEmpty() ? "kernel" : Backtrace.method(backtrace.get(0));
        }
        List<LoadedKext> loaded = loadedSnapshot();
        List<PanicReport.KextInBacktrace> kexts = new ArrayList<>();
        for (String id : kextIds) {
            LoadedKext kext = loaded.stream().filter(k -> id.equals(k.bundleId())).findFirst().orElse(null);
            if (kext == null) {
                kexts.add(new PanicReport.KextInBacktrace(id, "not loaded", null, 0, 0, List.of()));
                continue;
            }
            List<String> dependencies = new ArrayList<>();
            for (LoadedKext dependency : kext.linkedAgainst()) {
                dependencies.add(PanicReport.KextInBacktrace.describe(dependency.bundleId(), dependency.version(),
                        dependency.uuid(), dependency.address(), dependency.size()));
            }
            kexts.add(new PanicReport.KextInBacktrace(kext.bundleId(), kext.version(), kext.uuid(), kext.address(), kext.size(),
                    dependencies));
        }
        List<String> loadedLines = new ArrayList<>();
        for (LoadedKext kext : loaded) {
            if (!kext.isKernelComponent()) {
                loadedLines.add(kext.bundleId() + "\t" + kext.version());
            }
        }
        return new PanicReport(panicString, caller, threadName, context, backtrace, kexts, LastEvent.describe(lastStarted),
                LastEvent.describe(lastStopped), loadedLines,
                kernelBanner(), scheduler.mode(), settings.seed(), scheduler.nanoTime(), System.nanoTime() - bootRealNanos);
    }

    private String kernelBanner() {
        return "Darwin Kernel Version " + settings.kernelVersion() + " (kextkit hosted kernel, " + settings.arch()
                + (settings.safeBoot() ? ", safe boot" : "") + ")";
    }

    /** The services of kernel threads that run no particular kext's code: thread bodies, callouts, interrupts. */
    private final class KernelWideServices extends KextServices {
        KernelWideServices() {
            super("kernel");
        }

        @Override
        public void log(Class<?> caller, String function, String message) {
            log.append(sourceOf(caller), message);
        }
    }

    private static String sourceOf(Class<?> caller) {
        if (caller != null && caller.getClassLoader() instanceof KextClassLoader loader && loader.bundle().identifier() != null) {
            return loader.bundle().identifier();
        }
        return "kernel";
    }

    /** Route a kext's kit calls (printf, IOLog, OSObject counting) into this kernel. */
    private class KextServices implements KernelServices {
        private final String bundleId;

        KextServices(String bundleId) {
            this.bundleId = bundleId;
        }

        @Override
        public void log(Class<?> caller, String function, String message) {
            log.append(bundleId, message);
        }

        @Override
        public void instanceConstructed(Class<?> type) {
            metaClasses.constructed(type);
        }

        @Override
        public void instanceDestructed(Class<?> type) {
            metaClasses.destructed(type);
        }

        @Override
        public KernelScheduler scheduler() {
            return scheduler;
        }

        @Override
        public KernelPanic panic(String panicString) {
            recordPanic(panicString, null, scheduler.currentThreadName(), scheduler.currentContext());
            throw new KernelPanic(panicString);
        }

        @Override
        public IOKitHost iokit() {
            return iokit;
        }

        @Override
        public KernelChecks checks() {
            return runtimeChecks;
        }

        @Override
        public KernelHeap heap() {
            return heap;
        }

        @Override
        public <T> T hardware(Class<T> type) {
            return iokit.hardware(type);
        }

        @Override
        public SysctlHost sysctl() {
            return sysctlTree;
        }
    }

    /** The oids every Darwin kernel publishes that a kext or a test may reasonably read. */
    private void publishKernelSysctls(KernelSettings settings) {
        int rd = Sysctl.CTLFLAG_RD;
        sysctlTree.publish(SysctlOid.SYSCTL_STRING("kern", "ostype", rd, "Darwin", 0, "operating system type"));
        sysctlTree.publish(SysctlOid.SYSCTL_STRING("kern", "osrelease", rd, settings.kernelVersion(), 0,
                "operating system release"));
        sysctlTree.publish(SysctlOid.SYSCTL_STRING("kern", "version", rd, kernelBanner(), 0, "kernel version"));
        sysctlTree.publish(SysctlOid.SYSCTL_STRING("hw", "machine", rd, settings.arch(), 0, "machine class"));
        sysctlTree.publish(SysctlOid.SYSCTL_STRING("hw", "model", rd, settings.machine().model(), 0, "machine model"));
    }

    /**
     * Withdraw the oids an unloaded kext left registered, reporting each (REG-SYSCTL): left in place,
     * a real kernel would call into unloaded code the next time user space reads one.
     */
    private void withdrawSysctlsOf(LoadedKext kext) {
        if (kext.classLoader() == null) {
            return;
        }
        for (SysctlTree.Entry left : sysctlTree.removeOwnedBy(kext.classLoader())) {
            runtimeChecks.sysctlLeftRegistered(kext.bundle(), left.oid().fullName(), left.site());
            log.kernel("Kext " + kext.bundleId() + " unloaded with sysctl " + left.oid().fullName()
                    + " still registered; withdrawn.");
        }
    }

    /** Return this kernel's sysctl namespace: read and write what the kernel and kexts publish. */
    public KernelSysctls sysctl() {
        return sysctls;
    }

    /** Return the whole kernel log as text, one entry per line (for reports and tests). */
    public String logText() {
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text);
        for (KernelLog.Entry entry : log.entries()) {
            out.println(entry.message());
        }
        out.flush();
        return text.toString();
    }

    /** Return every loaded kext that is not a kernel component, in load order. */
    public Collection<LoadedKext> loadedNonKernelKexts() {
        try (Guard guard = guard()) {
            List<LoadedKext> kexts = new ArrayList<>();
            for (LoadedKext kext : loadedKexts()) {
                if (!kext.isKernelComponent()) {
                    kexts.add(kext);
                }
            }
            return kexts;
        }
    }

    /** Run {@code body} inside the kernel with its state lock held (for the kernel's own records, such as retains). */
    void withStateLock(Runnable body) {
        try (Guard guard = guard()) {
            body.run();
        }
    }

    // ---- I/O Kit ------------------------------------------------------------------------------------

    /**
     * Return the load-time checks and instrumentation of kext bytecode (where entry-point listeners
     * attach), or empty if the kernel was booted with them switched off.
     */
    public Optional<KextInstrumenter> instrumenter() {
        return Optional.ofNullable(instrumenter);
    }

    /** Return what the checkers found in this kernel so far (see docs/checks.md). */
    public KernelFindings findings() {
        return findings;
    }

    /** Return this kernel's simulated memory (allocations, physical pages for DMA, live allocations for leak reports). */
    public SimulatedHeap heap() {
        return heap;
    }

    /**
     * Return the kernel's runtime checks (lock, memory and teardown checks), which report to
     * {@link #findings()}: settings such as the LCK-LONG threshold, and the lock statistics.
     */
    public RuntimeChecks runtimeChecks() {
        return runtimeChecks;
    }

    /** Return the lock statistics per lock group ({@code kern.lockstat.<group>.*} in {@link RuntimeChecks#sysctl}). */
    public Map<String, LockStatistics> lockStatistics() {
        return runtimeChecks.lockStatistics();
    }

    /** Return this kernel's I/O Kit: registry, matching, termination, power, family hardware. */
    public IOKitKernel iokit() {
        return iokit;
    }

    /** Return the registry root ({@code Root}). */
    public IORegistryEntry registryRoot() {
        return iokit.root();
    }

    /** Return the family hardware of this kernel's machine looked up as {@code type}, or {@code null}. */
    public <T> T hardware(Class<T> type) {
        return iokit.hardware(type);
    }

    /**
     * Explain why the personalities of {@code bundleIdentifier} did or did not match {@code nub},
     * with the probe/start outcomes of the nub's last matching.
     */
    public MatchReport explainMatch(IOService nub, String bundleIdentifier) {
        return iokit.explainMatch(nub, bundleIdentifier);
    }

    /**
     * Terminate, synchronously, every I/O Kit service whose {@code CFBundleIdentifier} is
     * {@code bundleIdentifier} and, if asked, remove the kext's personalities from the catalogue
     * ({@code IOCatalogue::terminateDriversForModule}, what {@code kextunload -p} asks for).
     *
     * @return true if every such service terminated
     */
    public boolean terminateDriversForModule(String bundleIdentifier, boolean removePersonalities) {
        try (Guard guard = workGuard()) {
            boolean terminated = iokit.terminateDriversOf(bundleIdentifier);
            if (!terminated) {
                log.kernel("Can't remove kext " + bundleIdentifier + "; services failed to terminate - 0x"
                        + Integer.toHexString(org.kextkit.kit.iokit.IOReturn.kIOReturnBusy) + ".");
            }
            if (removePersonalities) {
                iokit.catalogue().removeDrivers(bundleIdentifier);
            }
            return terminated;
        }
    }

    /**
     * Terminate every instance of the I/O Kit class {@code className} and its subclasses
     * ({@code kextunload -c}); return how many, or -1 if one refused.
     */
    public int terminateInstances(String className) {
        try (Guard guard = workGuard()) {
            return iokit.terminateInstancesOf(className);
        }
    }

    /**
     * Send the personalities of {@code kext} (and its plug-ins) to the catalogue and start matching,
     * without loading it: the kext loads on demand when a personality wins ({@code kextutil -m}).
     *
     * @return how many personalities were new
     */
    public int sendPersonalities(KextBundle kext) {
        try (Guard guard = workGuard()) {
            List<KextBundle> all = new ArrayList<>();
            all.add(kext);
            all.addAll(kext.plugins());
            return sendPersonalities(all, false);
        }
    }

    /**
     * Send personalities of {@code kexts} to the catalogue, then match once. At boot (and for an
     * extensions folder) kexts that require an explicit load and, in safe boot, kexts not loadable
     * in safe boot are left out, as {@code OSKext::copyAllKextPersonalities} does.
     */
    private int sendPersonalities(List<KextBundle> kexts, boolean atBoot) {
        int added = 0;
        for (KextBundle kext : kexts) {
            if (kext.isKernelComponent() || kext.identifier() == null || kext.diagnostics().has(DiagnosticGroup.VALIDATION)) {
                continue;
            }
            if (atBoot && (kext.booleanValue("OSBundleRequireExplicitLoad")
                    || settings.safeBoot() && !isLoadableInSafeBoot(kext))) {
                continue;
            }
            Map<String, Map<String, Object>> personalities = Personalities.of(kext);
            if (!personalities.isEmpty() && !atBoot
                    && (findings.isEnabled(Checks.PER_PROVIDER) || findings.isEnabled(Checks.PER_CLASS))) {
                new PersonalityClassCheck(familyExports, repository).check(kext, personalities).forEach(findings::report);
            }
            if (!personalities.isEmpty()) {
                added += iokit.catalogue().addDrivers(kext.identifier(), personalities, kext.infoPlistPath().toString(),
                        log::kernel);
            }
        }
        if (added > 0 && iokit.root() != null) {
            iokit.rematch();
        }
        return added;
    }

    /** Add the families' built-in kexts, build their hardware, send personalities and publish the registry. */
    private void startIOKit() {
        List<FamilyExports.Family> exports = new ArrayList<>();
        long order = -100;
        for (FamilyProvider family : families) {
            for (BuiltInKext builtIn : family.builtInKexts()) {
                KextBundle bundle = builtIn.bundle(settings.arch(), settings.grammar(), order++);
                builtIns.put(bundle, builtIn);
                repository.add(bundle);
                exports.add(new FamilyExports.Family(builtIn.bundleIdentifier(), bundle.versionString(),
                        builtIn.classLoader(), builtIn.exportedPackages()));
            }
        }
        familyExports = new FamilyExports(exports);
        HardwareContext context = new HardwareContext() {
            @Override
            public KernelScheduler scheduler() {
                return iokit.scheduler();
            }

            @Override
            public KernelHeap heap() {
                return heap;
            }

            @Override
            public long seed() {
                return settings.machine().seed();
            }

            @Override
            public String architecture() {
                return settings.arch();
            }
        };
        try (KernelRuntime.Scope ignored = KernelRuntime.enter(new KextServices("kernel"))) {
            iokit.installHardware(families, settings.machine(), context);
        } catch (MachineDescriptionException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        sendPersonalities(repository.all(), true);
        iokit.boot(settings.machine());
    }

    /** Record a built-in family kext as loaded and started: it has no jar, its classes come with kextkit. */
    private LoadedKext loadBuiltIn(KextBundle bundle, BuiltInKext builtIn, Resolution resolution) {
        List<LoadedKext> linkedAgainst = new ArrayList<>();
        for (KextBundle dependency : resolution.linkDependencies(bundle)) {
            LoadedKext loadedDependency = loadedByBundle.get(dependency);
            if (loadedDependency != null) {
                linkedAgainst.add(loadedDependency);
            }
        }
        long address = nextAddress;
        nextAddress += PAGE;
        LoadedKext kext = new LoadedKext(this, bundle, nextTag++, address, PAGE, pseudoUuid(bundle), linkedAgainst, null,
                builtIn.classLoader());
        kext.started(null);
        register(kext);
        log.kernel("Kext " + bundle.identifier() + " is now started.");
        return kext;
    }

    /** Load a winning personality's kext on demand and say where its classes come from. */
    private DriverKexts.Result loadForMatching(String bundleId) {
        try (Guard guard = guard()) {
            LoadedKext loaded = loadedById.get(bundleId);
            if (loaded == null) {
                KextBundle bundle = repository.preferred(bundleId);
                if (bundle == null) {
                    return DriverKexts.Result.failed(List.of("Kext " + bundleId + " not found; it can't be loaded for matching."));
                }
                LoadReport report = load(bundle);
                if (!report.isLoaded()) {
                    List<String> why = new ArrayList<>(report.messages());
                    if (why.isEmpty()) {
                        why.add("Kext " + bundleId + " failed to load (" + report.result() + ").");
                    }
                    return DriverKexts.Result.failed(why);
                }
                loaded = loadedById.get(bundleId);
                if (loaded == null) {
                    return DriverKexts.Result.failed(List.of("Kext " + bundleId + " has no executable, so it has no class"
                            + " to instantiate; a personality's CFBundleIdentifier must name the kext with its IOClass."));
                }
            }
            BuiltInKext builtIn = builtIns.get(loaded.bundle());
            if (builtIn != null) {
                return new DriverKexts.Result(builtIn.classLoader(), java.util.Set.of(), builtIn.exportedPackages(), List.of());
            }
            KextClassLoader loader = loaded.classLoader();
            if (loader == null) {
                return DriverKexts.Result.failed(List.of("Kext " + bundleId + " is a kernel component and has no driver classes."));
            }
            return new DriverKexts.Result(loader, loader.executable().classNames(), List.of(), List.of());
        }
    }
}
