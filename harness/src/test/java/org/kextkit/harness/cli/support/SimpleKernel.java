package org.kextkit.harness.cli.support;

import com.dd.plist.NSNumber;
import com.dd.plist.NSObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.kextkit.harness.bundle.KextBundle;
import org.kextkit.harness.bundle.KextExecutable;
import org.kextkit.harness.bundle.KextExecutableException;
import org.kextkit.harness.cli.KernelMessage;
import org.kextkit.harness.cli.KernelPort;
import org.kextkit.harness.cli.KernelResponse;
import org.kextkit.harness.cli.KernelUnavailableException;
import org.kextkit.harness.cli.KextCatalog;
import org.kextkit.harness.cli.KextLog;
import org.kextkit.harness.cli.KextstatRow;
import org.kextkit.harness.cli.LoadRequest;
import org.kextkit.harness.cli.TrialLink;
import org.kextkit.harness.cli.UnloadMode;
import org.kextkit.harness.cli.internal.BundleFacts;
import org.kextkit.harness.lifecycle.KextReturn;

/**
 * Play the kernel in command tests: a small in-memory model of {@code OSKext::load} and
 * {@code removeKext} over kexts read from disk.
 *
 * <p>The kernel components found in the extension folders are loaded at construction (tags 1..n).
 * Loading resolves with {@link DiskKextInspector}, loads dependencies first, assigns never-reused
 * tags, counts references, and fails a start when the kext's Info.plist sets the test-only integer
 * {@code KextkitTestStartResult} to a non-zero {@code kern_return_t}. Unloading refuses a kext with
 * references or a kernel component.
 */
public final class SimpleKernel implements KernelPort {
    /** The Info.plist key (test-only) whose non-zero value a kext's start routine returns. */
    public static final String START_RESULT_KEY = "KextkitTestStartResult";
    private static final long BASE_ADDRESS = 0xffffff7f80000000L;

    private final DiskKextInspector inspector;
    private final String arch;
    private final Map<String, Loaded> loaded = new LinkedHashMap<>();
    private final Set<String> codeless = new HashSet<>();
    private final Set<String> unterminable = new HashSet<>();
    private final List<LoadRequest> requests = new ArrayList<>();
    private final List<String> personalitiesSent = new ArrayList<>();
    private final List<String> terminatedClasses = new ArrayList<>();
    private int nextTag = 1;
    private boolean running = true;
    private boolean unloadsAllowed = true;

    private static final class Loaded {
        final KextBundle bundle;
        final int tag;
        int refs;
        final List<Loaded> dependencies;
        final String uuid;

        Loaded(KextBundle bundle, int tag, List<Loaded> dependencies, String uuid) {
            this.bundle = bundle;
            this.tag = tag;
            this.dependencies = dependencies;
            this.uuid = uuid;
        }
    }

    /** Boot with the kernel components found in {@code extensionFolders}. */
    public SimpleKernel(DiskKextInspector inspector, List<Path> extensionFolders, String arch) {
        this.inspector = inspector;
        this.arch = arch;
        KextCatalog catalog = inspector.open(extensionFolders, arch, KextLog.NONE);
        for (KextBundle k : catalog.kexts()) {
            if (k.isKernelComponent()) {
                loaded.put(k.identifier(), new Loaded(k, nextTag++, List.of(), uuidOf(k)));
            }
        }
    }

    /** Make every later request fail as if the kernel had shut down. */
    public void shutDown() {
        running = false;
    }

    /** Refuse unload and terminate requests for lack of privilege. */
    public void denyUnloads() {
        unloadsAllowed = false;
    }

    /** Make terminating instances of {@code className} fail. */
    public void refuseToTerminate(String className) {
        unterminable.add(className);
    }

    /** Return the load requests received, in order. */
    public List<LoadRequest> requests() {
        return List.copyOf(requests);
    }

    /** Return the identifiers whose personalities were sent without loading ({@code kextutil -m}). */
    public List<String> personalitiesSent() {
        return List.copyOf(personalitiesSent);
    }

    /** Return the classes terminated, in order. */
    public List<String> terminatedClasses() {
        return List.copyOf(terminatedClasses);
    }

    /** Return true if a kext with this identifier is loaded (with or without code). */
    public boolean isLoaded(String identifier) {
        return loaded.containsKey(identifier) || codeless.contains(identifier);
    }

    private void checkRunning() throws KernelUnavailableException {
        if (!running) {
            throw new KernelUnavailableException("the kernel is not running");
        }
    }

    @Override
    public List<KextstatRow> loadedKexts() throws KernelUnavailableException {
        checkRunning();
        List<KextstatRow> rows = new ArrayList<>();
        rows.add(new KextstatRow(0, 0, 0xffffff8000200000L, 0x1000000, 0x1000000, "__kernel__", "20.5.0", null,
                List.of(), arch, false));
        for (Loaded l : loaded.values()) {
            boolean component = l.bundle.isKernelComponent();
            long size = component ? 0 : sizeOf(l.bundle);
            long address = component ? 0 : BASE_ADDRESS + (long) l.tag * 0x100000L;
            List<Integer> tags = new ArrayList<>();
            l.dependencies.forEach(d -> tags.add(d.tag));
            rows.add(new KextstatRow(l.tag, l.refs, address, size, size, l.bundle.identifier(), l.bundle.versionString(),
                    l.uuid, tags, arch, component));
        }
        return rows;
    }

    @Override
    public KernelResponse load(LoadRequest request) throws KernelUnavailableException {
        checkRunning();
        requests.add(request);
        KextCatalog catalog = inspector.open(request.searchPaths(), arch, KextLog.NONE);
        KextBundle kext = request.kext() != null ? catalog.kextAt(request.kext())
                : catalog.kextWithIdentifier(request.bundleIdentifier());
        List<KernelMessage> messages = new ArrayList<>();
        if (kext == null) {
            String target = request.kext() != null ? request.kext().toString() : request.bundleIdentifier();
            return KernelResponse.failure(KextReturn.NOT_FOUND, KernelMessage.error("Kext " + target + " not found."));
        }
        if (request.mode() == LoadRequest.Mode.MATCH_ONLY) {
            personalitiesSent.add(kext.identifier());
            return KernelResponse.success();
        }
        KextReturn result = load(kext, catalog, request.safeBoot(), messages);
        return new KernelResponse(result, messages);
    }

    private KextReturn load(KextBundle kext, KextCatalog catalog, boolean safeBoot, List<KernelMessage> messages) {
        String id = kext.identifier();
        Loaded existing = loaded.get(id);
        if (existing != null || codeless.contains(id)) {
            if (existing == null || existing.bundle.version().equals(kext.version())) {
                return KextReturn.SUCCESS;
            }
            messages.add(KernelMessage.error("Kext " + id + " is already loaded with a different version."));
            return KextReturn.LOADED_VERSION_DIFFERS;
        }
        if (safeBoot && !BundleFacts.isEligibleInSafeBoot(kext)) {
            messages.add(KernelMessage.error("Can't load kext " + id + " - not loadable during safe boot."));
            return KextReturn.BOOT_LEVEL;
        }
        if (!catalog.validate(kext)) {
            messages.add(KernelMessage.error("Kext " + id + " failed validation."));
            return KextReturn.VALIDATION;
        }
        if (!catalog.resolveDependencies(kext)) {
            messages.add(KernelMessage.error("Can't load kext " + id + " - failed to resolve library dependencies."));
            return KextReturn.DEPENDENCIES;
        }
        List<Loaded> dependencies = new ArrayList<>();
        for (KextBundle d : ((DiskKextInspector.Catalog) catalog).directDependencies(kext)) {
            KextReturn r = load(d, catalog, safeBoot, messages);
            if (!r.isSuccess()) {
                messages.add(KernelMessage.error("Dependency " + d.identifier() + " of kext " + id + " failed to load."));
                return KextReturn.DEPENDENCY_LOAD_ERROR;
            }
            Loaded dl = loaded.get(d.identifier());
            if (dl != null) {
                dependencies.add(dl);
            }
        }
        if (!kext.declaresExecutable()) {
            codeless.add(id);
            messages.add(KernelMessage.basic("Kext " + id + " loaded."));
            return KextReturn.SUCCESS;
        }
        Optional<TrialLink> link = catalog.trialLink(kext);
        if (link.isPresent() && !link.get().linked()) {
            link.get().messages().forEach(m -> messages.add(KernelMessage.error(m)));
            messages.add(KernelMessage.error("Failed to load executable for kext " + id + "."));
            return KextReturn.LINK_ERROR;
        }
        int tag = nextTag++;
        NSObject start = kext.infoDictionary().objectForKey(START_RESULT_KEY);
        long startResult = start instanceof NSNumber ? ((NSNumber) start).longValue() : 0;
        if (startResult != 0) {
            messages.add(KernelMessage.error(String.format("Kext %s start failed (result 0x%x).", id, startResult)));
            return KextReturn.START_STOP_ERROR;
        }
        Loaded l = new Loaded(kext, tag, dependencies, uuidOf(kext));
        dependencies.forEach(d -> d.refs++);
        loaded.put(id, l);
        messages.add(KernelMessage.basic("Kext " + id + " loaded."));
        return KextReturn.SUCCESS;
    }

    @Override
    public KernelResponse unload(String bundleIdentifier, UnloadMode mode) throws KernelUnavailableException {
        checkRunning();
        if (!unloadsAllowed) {
            return KernelResponse.failure(KextReturn.NOT_PRIVILEGED);
        }
        Loaded l = loaded.get(bundleIdentifier);
        if (l == null && !codeless.contains(bundleIdentifier)) {
            return KernelResponse.failure(KextReturn.NOT_FOUND,
                    KernelMessage.error("Kext " + bundleIdentifier + " not found for unload request."));
        }
        if (mode == UnloadMode.TERMINATE_AND_REMOVE_PERSONALITIES) {
            return KernelResponse.success();
        }
        if (l == null) {
            codeless.remove(bundleIdentifier);
            return KernelResponse.success(KernelMessage.basic("Removing kext " + bundleIdentifier + "."));
        }
        if (l.bundle.isKernelComponent()) {
            return KernelResponse.failure(KextReturn.INVALID_ARGUMENT,
                    KernelMessage.error("Kext " + bundleIdentifier + " is a kernel component; it can't be unloaded."));
        }
        if (l.refs > 0) {
            return KernelResponse.failure(KextReturn.IN_USE, KernelMessage.error("Can't unload kext " + bundleIdentifier
                    + "; outstanding references " + l.refs + " (linkage or tracking object)."));
        }
        loaded.remove(bundleIdentifier);
        l.dependencies.forEach(d -> d.refs--);
        return KernelResponse.success(KernelMessage.basic("Kext " + bundleIdentifier + " unloaded."));
    }

    @Override
    public KernelResponse terminateInstances(String className) throws KernelUnavailableException {
        checkRunning();
        if (!unloadsAllowed) {
            return KernelResponse.failure(KextReturn.NOT_PRIVILEGED);
        }
        if (unterminable.contains(className)) {
            return KernelResponse.failure(KextReturn.IN_USE,
                    KernelMessage.error("IOService " + className + " did not terminate."));
        }
        terminatedClasses.add(className);
        return KernelResponse.success();
    }

    private static String uuidOf(KextBundle kext) {
        if (!kext.declaresExecutable()) {
            return null;
        }
        try {
            return KextExecutable.read(kext.executablePath()).uuid();
        } catch (KextExecutableException e) {
            return null;
        }
    }

    private static long sizeOf(KextBundle kext) {
        try {
            long bytes = kext.executablePath() == null ? 0 : Files.size(kext.executablePath());
            return (bytes + 0xfff) & ~0xfffL;
        } catch (java.io.IOException e) {
            return KextstatRow.UNKNOWN;
        }
    }

    private final org.kextkit.harness.check.KernelFindings checks = new org.kextkit.harness.check.KernelFindings();

    /** Return where tests report findings for this kernel to hand to commands. */
    public org.kextkit.harness.check.KernelFindings checks() {
        return checks;
    }

    @Override
    public org.kextkit.harness.check.FindingsReport findings() {
        return checks.report();
    }
}
