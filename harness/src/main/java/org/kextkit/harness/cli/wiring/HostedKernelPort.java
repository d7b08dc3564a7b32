package org.kextkit.harness.cli.wiring;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.kextkit.harness.bundle.BundleReadResult;
import org.kextkit.harness.bundle.KextBundle;
import org.kextkit.harness.bundle.ScanResult;
import org.kextkit.harness.cli.KernelMessage;
import org.kextkit.harness.cli.KernelPort;
import org.kextkit.harness.cli.KernelResponse;
import org.kextkit.harness.cli.KernelUnavailableException;
import org.kextkit.harness.cli.KextstatRow;
import org.kextkit.harness.cli.LoadRequest;
import org.kextkit.harness.cli.UnloadMode;
import org.kextkit.harness.diagnostics.DiagnosticGroup;
import org.kextkit.harness.lifecycle.HostedKernel;
import org.kextkit.harness.lifecycle.KernelLog;
import org.kextkit.harness.lifecycle.KernelPanickedException;
import org.kextkit.harness.lifecycle.KextReturn;
import org.kextkit.harness.lifecycle.LoadReport;
import org.kextkit.harness.lifecycle.LoadedKext;
import org.kextkit.harness.lifecycle.PanicReport;
import org.kextkit.harness.lifecycle.UnloadReport;
import org.kextkit.harness.scheduler.VirtualTimeScheduler;
import org.kextkit.kit.internal.KernelPanic;

/**
 * Serve the kext commands' kernel requests from a {@link HostedKernel}: kextstat rows, loads with
 * their search paths, unloads. The kernel's log lines written during a request come back as the
 * response's messages, so {@code -v} shows what the kext printed. A request that meets a panicked
 * kernel, or during which the kernel panics, fails with the kernel's panic report as its error
 * messages.
 */
public final class HostedKernelPort implements KernelPort {
    private final HostedKernel kernel;

    /** Serve requests from {@code kernel}. */
    public HostedKernelPort(HostedKernel kernel) {
        this.kernel = kernel;
    }

    /** Return the kernel behind this port. */
    public HostedKernel kernel() {
        return kernel;
    }

    @Override
    public List<KextstatRow> loadedKexts() {
        List<KextstatRow> rows = new ArrayList<>();
        for (LoadedKext kext : kernel.loadedKexts()) {
            List<Integer> linked = new ArrayList<>();
            for (LoadedKext dependency : kext.linkedAgainst()) {
                linked.add(dependency.tag());
            }
            rows.add(new KextstatRow(kext.tag(), kext.refs(), kext.address(), kext.size(), kext.wired(), kext.bundleId(),
                    kext.version(), kext.uuid(), linked, kernel.settings().arch(), kext.isKernelComponent()));
        }
        return rows;
    }

    @Override
    public KernelResponse load(LoadRequest request) throws KernelUnavailableException {
        synchronized (kernel) {
            long logMark = kernel.log().lastSequence();
            try {
                return load(request, read(request.searchPaths()), logMark);
            } catch (KernelPanickedException | KernelPanic e) {
                return panicked();
            }
        }
    }

    /** Answer a request that met a panicked kernel with the panic report, as a panic log would show it. */
    private KernelResponse panicked() {
        List<KernelMessage> messages = new ArrayList<>();
        PanicReport report = kernel.panicReport().orElse(null);
        if (report == null) {
            messages.add(KernelMessage.error("The hosted kernel has panicked."));
            return new KernelResponse(KextReturn.ERROR, messages);
        }
        messages.add(KernelMessage.error("The hosted kernel has panicked: " + report.panicString()));
        for (String line : report.text().split("\n")) {
            messages.add(KernelMessage.error(line));
        }
        return new KernelResponse(KextReturn.ERROR, messages);
    }

    /**
     * Run the requests in order, reading each distinct list of search paths once: kextload's
     * requests all share one list, so N kexts named on one command line are read N times fewer
     * than by N calls of {@link #load}, and the repository does not fill with N copies of each.
     * Each response is the one {@link #load} would give, its own problems and log lines included.
     */
    @Override
    public void loadEach(List<LoadRequest> requests, LoadListener listener) throws KernelUnavailableException {
        synchronized (kernel) {
            Map<List<Path>, SearchPathsRead> reads = new HashMap<>();
            for (int i = 0; i < requests.size(); i++) {
                LoadRequest request = requests.get(i);
                long logMark = kernel.log().lastSequence();
                KernelResponse response;
                try {
                    SearchPathsRead read = reads.get(request.searchPaths());
                    if (read == null) {
                        read = read(request.searchPaths());
                        reads.put(request.searchPaths(), read);
                    }
                    response = load(request, read, logMark);
                } catch (KernelPanickedException | KernelPanic e) {
                    response = panicked();
                }
                listener.answered(i, response);
            }
        }
    }

    /**
     * What reading a request's search paths gave: the problems, as messages, and the bundles read,
     * by absolute normalized path (when two share a path, the one read last).
     */
    private record SearchPathsRead(List<KernelMessage> problems, Map<Path, KextBundle> byPath) {
    }

    /** Read and make known every search path, in order. Call with the kernel locked. */
    private SearchPathsRead read(List<Path> searchPaths) {
        List<KernelMessage> problemMessages = new ArrayList<>();
        Map<Path, KextBundle> byPath = new HashMap<>();
        for (Path item : searchPaths) {
            ScanResult scan = kernel.addSearchItem(item);
            scan.problems().forEach(p -> problemMessages.add(KernelMessage.error(p.message())));
            for (KextBundle bundle : scan.bundles()) {
                byPath.put(bundle.path().toAbsolutePath().normalize(), bundle);
            }
        }
        return new SearchPathsRead(List.copyOf(problemMessages), byPath);
    }

    /** Load one request's kext from what its search paths gave. Call with the kernel locked. */
    private KernelResponse load(LoadRequest request, SearchPathsRead read, long logMark) {
        List<KernelMessage> messages = new ArrayList<>(read.problems());
        KextBundle root = null;
        if (request.kext() != null) {
            root = read.byPath().get(request.kext().toAbsolutePath().normalize());
        }
        if (request.kext() != null && root == null) {
            BundleReadResult result = kernel.addKext(request.kext());
            result.problems().forEach(p -> messages.add(KernelMessage.error(p.message())));
            root = result.bundle().orElse(null);
        }
        if (request.bundleIdentifier() != null) {
            root = kernel.repository().preferred(request.bundleIdentifier());
            if (root == null) {
                messages.add(KernelMessage.error("Can't find kext with bundle identifier " + request.bundleIdentifier() + "."));
                return new KernelResponse(KextReturn.NOT_FOUND, messages);
            }
        }
        if (root == null) {
            return new KernelResponse(KextReturn.NOT_A_KEXT, messages);
        }
        if (root.diagnostics().has(DiagnosticGroup.VALIDATION)) {
            messages.add(KernelMessage.error("Diagnostics for " + root.path() + ":"));
            for (String line : root.diagnostics().format(java.util.Set.of(DiagnosticGroup.VALIDATION)).split("\n")) {
                messages.add(KernelMessage.error(line));
            }
        }
        LoadReport report = kernel.load(root);
        if (report.isLoaded()) {
            settleMatching();
        }
        report.messages().forEach(m -> messages.add(KernelMessage.error(m)));
        if (report.result() == KextReturn.DEPENDENCIES) {
            for (String line : root.diagnostics().format(java.util.Set.of(DiagnosticGroup.DEPENDENCIES)).split("\n")) {
                if (!line.isEmpty()) {
                    messages.add(KernelMessage.error(line));
                }
            }
        }
        appendLog(messages, logMark);
        return new KernelResponse(report.result(), messages);
    }

    /**
     * Under virtual time, let the matching a load set off finish (drivers probed and started, their
     * start routines' I/O done), for at most one second of kernel time, so the request's log shows it.
     */
    private void settleMatching() {
        if (kernel.scheduler() instanceof VirtualTimeScheduler clock) {
            clock.runUntil(() -> kernel.iokit().services().stream().allMatch(s -> s.serviceState().busy == 0),
                    Duration.ofSeconds(1));
        }
    }

    private void appendLog(List<KernelMessage> messages, long since) {
        for (KernelLog.Entry entry : kernel.log().since(since)) {
            messages.add(KernelMessage.basic(entry.message()));
        }
    }

    @Override
    public KernelResponse unload(String bundleIdentifier, UnloadMode mode) {
        long logMark = kernel.log().lastSequence();
        List<KernelMessage> messages = new ArrayList<>();
        if (mode == UnloadMode.TERMINATE_AND_REMOVE_PERSONALITIES) {
            // kextunload -p: terminate the kext's services and remove its personalities, keep it loaded.
            if (kernel.loadedKext(bundleIdentifier).isEmpty()) {
                messages.add(KernelMessage.error("Kext " + bundleIdentifier + " not found for unload request."));
                return new KernelResponse(KextReturn.NOT_FOUND, messages);
            }
            boolean terminated = kernel.terminateDriversForModule(bundleIdentifier, true);
            appendLog(messages, logMark);
            return new KernelResponse(terminated ? KextReturn.SUCCESS : KextReturn.IN_USE, messages);
        }
        UnloadReport report;
        try {
            report = kernel.unload(bundleIdentifier);
        } catch (KernelPanickedException | KernelPanic e) {
            return panicked();
        }
        if (!report.isUnloaded()) {
            report.messages().forEach(m -> messages.add(KernelMessage.error(m)));
        }
        appendLog(messages, logMark);
        return new KernelResponse(report.result(), messages);
    }

    @Override
    public KernelResponse terminateInstances(String className) {
        long logMark = kernel.log().lastSequence();
        List<KernelMessage> messages = new ArrayList<>();
        int terminated = kernel.terminateInstances(className);
        appendLog(messages, logMark);
        return new KernelResponse(terminated < 0 ? KextReturn.IN_USE : KextReturn.SUCCESS, messages);
    }

    @Override
    public org.kextkit.harness.check.FindingsReport findings() {
        return kernel.findings().report();
    }
}
