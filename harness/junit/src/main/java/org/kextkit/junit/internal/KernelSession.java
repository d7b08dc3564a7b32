package org.kextkit.junit.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.kextkit.hardware.pci.PciDeviceModel;
import org.kextkit.hardware.pci.PciFunction;
import org.kextkit.hardware.pci.PciHardware;
import org.kextkit.harness.bundle.KextBundle;
import org.kextkit.harness.check.CheckSettings;
import org.kextkit.harness.check.FindingsReport;
import org.kextkit.harness.check.KextRef;
import org.kextkit.harness.check.ReportedFinding;
import org.kextkit.harness.check.Suppression;
import org.kextkit.harness.lifecycle.HostedKernel;
import org.kextkit.harness.lifecycle.KernelPanickedException;
import org.kextkit.harness.lifecycle.KernelSettings;
import org.kextkit.harness.lifecycle.LoadReport;
import org.kextkit.harness.lifecycle.UnloadReport;
import org.kextkit.harness.link.KextClassLoader;
import org.kextkit.harness.family.MachineDescriptionException;
import org.kextkit.harness.machine.MachineDescriptionReader;
import org.kextkit.kit.iokit.IOService;
import org.kextkit.harness.family.MachineDescription;
import org.opentest4j.AssertionFailedError;

/**
 * One test's hosted kernel: booted on its machine with its devices plugged and its kexts loaded and
 * matched; at the end, its kexts unloaded, the kernel shut down, and what went wrong collected.
 * Closing it (as JUnit closes the store holding it) shuts the kernel down if nothing else did.
 */
public final class KernelSession implements AutoCloseable {
    /** How much kernel time a driver has to start before a lookup gives up. */
    static final Duration DRIVER_START_BUDGET = Duration.ofSeconds(1);

    private final HostedKernel kernel;
    private final List<KextBundle> underTest;
    private final Set<String> ids = new LinkedHashSet<>();
    private final List<String> teardownProblems = new ArrayList<>();
    private int findingsJudged;

    private KernelSession(HostedKernel kernel, List<KextBundle> underTest) {
        this.kernel = kernel;
        this.underTest = List.copyOf(underTest);
        underTest.forEach(b -> ids.add(b.identifier()));
    }

    /**
     * Boot a kernel as {@code spec} says, plug its devices, load its kexts and let matching finish.
     *
     * @param module the module folder a relative machine path is read from
     * @throws ExtensionConfigurationException if the machine, a device or a kext is misconfigured
     * @throws AssertionFailedError if a kext does not load (with the kernel's messages and log)
     */
    public static KernelSession boot(KernelSpec spec, Path module) {
        KernelSettings settings = KernelSettings.defaults().withSeed(spec.seed()).withMachine(machine(spec.machine(), module))
                .withChecks(CheckSettings.of(spec.disabledChecks().keySet(), List.of()));
        HostedKernel kernel;
        try {
            kernel = HostedKernel.boot(settings);
        } catch (IllegalArgumentException e) {
            throw new ExtensionConfigurationException("kextkit can't boot the test's kernel: " + e.getMessage(), e);
        }
        try {
            plugDevices(kernel, spec);
            List<KextBundle> bundles = new ArrayList<>();
            for (KextSource source : spec.kexts()) {
                bundles.add(source.addTo(kernel));
            }
            for (KextBundle bundle : bundles) {
                LoadReport report = kernel.load(bundle);
                if (!report.isLoaded()) {
                    throw new AssertionFailedError("kext " + bundle.identifier() + " did not load ("
                            + report.status() + "):\n  " + String.join("\n  ", report.messages())
                            + "\nkernel log:\n" + kernel.logText());
                }
            }
            kernel.virtualTime().runUntilQuiescent();
            return new KernelSession(kernel, bundles);
        } catch (RuntimeException | Error e) {
            kernel.shutdown();
            throw e;
        }
    }

    private static MachineDescription machine(String path, Path module) {
        if (path.isEmpty()) {
            return MachineDescriptionReader.defaultMachine();
        }
        Path file = module.resolve(path);
        Set<String> families = HostedKernel.discoverFamilies().stream().map(f -> f.familyName())
                .collect(Collectors.toCollection(LinkedHashSet::new));
        try {
            return new MachineDescriptionReader().read(file, families);
        } catch (MachineDescriptionException e) {
            throw new ExtensionConfigurationException("kextkit can't read the test's machine " + file + ": "
                    + e.getMessage(), e);
        }
    }

    private static void plugDevices(HostedKernel kernel, KernelSpec spec) {
        if (spec.devices().isEmpty()) {
            return;
        }
        PciHardware pci = kernel.hardware(PciHardware.class);
        for (KernelSpec.PciDeviceSpec device : spec.devices()) {
            try {
                kernel.iokit().inKernel(() -> pci.hotPlug(device.slot(), device.model().get()));
            } catch (IllegalArgumentException e) {
                throw new ExtensionConfigurationException("kextkit can't plug the test's PCI device into slot "
                        + device.slot() + ": " + e.getMessage() + " (the machine's own devices: "
                        + pci.functions().stream().map(f -> "slot " + f.deviceNumber() + " " + f.model().modelName())
                                .collect(Collectors.joining(", ")) + ")", e);
            }
        }
    }

    /** Return the kernel. */
    public HostedKernel kernel() {
        return kernel;
    }

    /** Return the kexts under test, in load order. */
    public List<KextBundle> kextsUnderTest() {
        return underTest;
    }

    /** Return true if {@code type} is a class of a kext under test (defined by its kext class loader). */
    public boolean isKextClass(Class<?> type) {
        return type.getClassLoader() instanceof KextClassLoader loader && ids.contains(loader.bundle().identifier());
    }

    /** Return the started, active drivers whose classes the kexts under test define, in registry order. */
    public List<IOService> drivers() {
        return kernel.iokit().services().stream()
                .filter(s -> !s.isInactive() && s.serviceState().started && isKextClass(s.getClass()))
                .collect(Collectors.toList());
    }

    /**
     * Return the first started driver of class {@code name} (binary, simple or I/O Kit class name;
     * empty: the only driver class), running the kernel for up to one second of kernel time for it.
     *
     * @throws ExtensionConfigurationException if {@code name} is empty and several driver classes started
     * @throws AssertionFailedError if none started, with what matching did and the kernel log
     */
    public IOService driver(String name) {
        Predicate<IOService> wanted = name.isEmpty() ? s -> true : s -> name.equals(s.getClass().getName())
                || name.equals(s.getClass().getSimpleName()) || name.equals(s.getMetaClassName());
        kernel.virtualTime().runUntil(() -> drivers().stream().anyMatch(wanted), DRIVER_START_BUDGET);
        List<IOService> found = drivers().stream().filter(wanted).collect(Collectors.toList());
        if (found.isEmpty()) {
            throw new AssertionFailedError("no driver " + (name.isEmpty() ? "" : "of class " + name + " ")
                    + "of " + String.join(", ", ids) + " started within " + DRIVER_START_BUDGET.toSeconds()
                    + " s of kernel time; matching:\n" + matchingSummary() + "kernel log:\n" + kernel.logText());
        }
        Set<String> classes = found.stream().map(s -> s.getClass().getName()).collect(Collectors.toCollection(LinkedHashSet::new));
        if (classes.size() > 1) {
            throw new ExtensionConfigurationException("the kexts under test started drivers of " + classes.size()
                    + " classes (" + String.join(", ", classes) + "); say which with @Driver(\"ClassName\")");
        }
        return found.get(0);
    }

    private String matchingSummary() {
        StringBuilder sb = new StringBuilder();
        for (IOService nub : kernel.iokit().services()) {
            if (nub.getProvider() != null && !nub.isInactive() && !isKextClass(nub.getClass())
                    && !kernel.iokit().lastMatching(nub).isEmpty()) {
                sb.append("  ").append(nub.getName()).append('@').append(nub.getLocation()).append(": ")
                        .append(kernel.iokit().lastMatching(nub)).append('\n');
            }
        }
        return sb.length() == 0 ? "  no nub had a candidate driver\n" : sb.toString();
    }

    /**
     * Return the device model of class {@code type} on the machine's PCI bus.
     *
     * @throws ExtensionConfigurationException if there is none, or several (then name the slot)
     */
    public <T extends PciDeviceModel> T device(Class<T> type) {
        PciHardware pci = kernel.hardware(PciHardware.class);
        List<PciFunction> matching = pci == null ? List.of()
                : pci.functions().stream().filter(f -> type.isInstance(f.model())).collect(Collectors.toList());
        if (matching.size() != 1) {
            throw new ExtensionConfigurationException("the test's machine has " + matching.size() + " PCI devices of type "
                    + type.getName() + (matching.isEmpty() ? "; plug one in with KernelExtension.builder().pciDevice(slot, "
                    + type.getSimpleName() + "::new) or a machine description"
                    : " (slots " + matching.stream().map(f -> String.valueOf(f.deviceNumber())).collect(Collectors.joining(", "))
                    + "); ask KextKernel.device(slot, " + type.getSimpleName() + ".class) for one"));
        }
        return type.cast(matching.get(0).model());
    }

    /** Terminate and unload the kexts under test, dependents first; remember any that refuse. */
    public void unloadKexts() {
        for (int i = underTest.size() - 1; i >= 0 && !kernel.hasPanicked(); i--) {
            String id = underTest.get(i).identifier();
            try {
                if (kernel.loadedKext(id).isPresent()) {
                    UnloadReport report = kernel.unload(id);
                    if (!report.isUnloaded()) {
                        teardownProblems.add("kext " + id + " did not unload (" + report.result() + "): "
                                + String.join("; ", report.messages()));
                    }
                }
            } catch (KernelPanickedException e) {
                return; // the panic report says what happened
            }
        }
    }

    /** Return what went wrong while tearing down (kexts that refused to unload). */
    public List<String> teardownProblems() {
        return List.copyOf(teardownProblems);
    }

    /**
     * Return the findings reported since the previous call (all of them the first time), with
     * {@code allowed} applied: what it covers is listed as suppressed.
     */
    public FindingsReport newFindings(List<Suppression> allowed) {
        List<KextRef> refs = underTest.stream().map(b -> new KextRef(b.identifier(), b.versionString()))
                .collect(Collectors.toList());
        FindingsReport all = kernel.findings().report(refs);
        List<ReportedFinding> fresh = all.findings().subList(Math.min(findingsJudged, all.findings().size()), all.findings().size());
        findingsJudged = all.findings().size();
        return new FindingsReport(List.copyOf(fresh), List.of(), all.settings(), refs)
                .applying(CheckSettings.of(List.of(), allowed));
    }

    /** Shut the kernel down (its remaining kexts stop); harmless when already done. */
    @Override
    public void close() {
        kernel.shutdown();
    }
}
