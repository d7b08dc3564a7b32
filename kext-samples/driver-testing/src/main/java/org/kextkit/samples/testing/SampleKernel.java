package org.kextkit.samples.testing;

import java.lang.reflect.InvocationHandler;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.kextkit.hardware.pci.PciHardware;
import org.kextkit.harness.bundle.BundleReadResult;
import org.kextkit.harness.bundle.KextBundle;
import org.kextkit.harness.lifecycle.HostedKernel;
import org.kextkit.harness.lifecycle.KernelSettings;
import org.kextkit.harness.lifecycle.LoadReport;
import org.kextkit.harness.lifecycle.UnloadReport;
import org.kextkit.harness.machine.MachineDescriptionReader;
import org.kextkit.harness.scheduler.KernelEntry;
import org.kextkit.harness.scheduler.VirtualTimeScheduler;
import org.kextkit.kit.internal.HeapAllocation;
import org.kextkit.kit.iokit.IOService;

/**
 * A hosted kernel booted on the built-in default machine ({@code SimMachine}: the echo DMA engine in
 * PCI slot 1, the NIC in slot 2), in virtual time, with one built kext bundle added: what a test of
 * a PCI driver needs.
 *
 * <p>The kext's classes are loaded by the kernel from the bundle's jar, not from the test's class
 * path, so a test cannot cast a driver to its class. {@link #client} gives it a typed view instead:
 * an interface of the test's whose methods have the names and JDK or kit parameter types of the
 * driver's public methods; each call enters the kernel first, as a kernel thread would make it.
 */
public final class SampleKernel implements AutoCloseable {
    /** The system property the sample modules' builds set to the bundle they built. */
    public static final String BUNDLE_PROPERTY = "sample.kext.bundle";

    private final HostedKernel kernel;
    private final KextBundle kext;

    private SampleKernel(HostedKernel kernel, KextBundle kext) {
        this.kernel = kernel;
        this.kext = kext;
    }

    /**
     * Return the bundle the module's build made: the {@value #BUNDLE_PROPERTY} system property, else
     * {@code target/<name>.kext}.
     *
     * @throws IllegalStateException if it has not been built
     */
    public static Path builtBundle(String name) {
        String configured = System.getProperty(BUNDLE_PROPERTY);
        Path bundle = configured != null ? Path.of(configured) : Path.of("target", name + ".kext");
        if (!Files.isRegularFile(bundle.resolve("Contents/Info.plist")) || !Files.isDirectory(bundle.resolve("Contents/MacOS"))) {
            throw new IllegalStateException(bundle.toAbsolutePath() + " is not a built kext bundle (no Contents/Info.plist"
                    + " or Contents/MacOS); the sample tests run after the package phase: mvn verify");
        }
        return bundle;
    }

    /** Boot a kernel on the default machine with {@code bundle} added (not loaded) and seed 42. */
    public static SampleKernel boot(Path bundle) {
        KernelSettings settings = KernelSettings.defaults().withSeed(42).withMachine(MachineDescriptionReader.defaultMachine());
        HostedKernel kernel = HostedKernel.boot(settings);
        try {
            BundleReadResult read = kernel.addKext(bundle);
            if (!read.isRead() || !read.problems().isEmpty()) {
                throw new IllegalStateException("could not add " + bundle + ": " + read.problems());
            }
            return new SampleKernel(kernel, read.bundle().orElseThrow());
        } catch (RuntimeException e) {
            kernel.shutdown();
            throw e;
        }
    }

    /** Return the kernel. */
    public HostedKernel kernel() {
        return kernel;
    }

    /** Return the kext under test. */
    public KextBundle kext() {
        return kext;
    }

    /** Return the machine's PCI bus. */
    public PciHardware pci() {
        return kernel.hardware(PciHardware.class);
    }

    /** Return the kernel's virtual clock. */
    public VirtualTimeScheduler clock() {
        return kernel.virtualTime();
    }

    /** Load the kext (which sends its personalities, so matching starts its drivers). */
    public LoadReport load() {
        return kernel.load(kext);
    }

    /** Unload the kext, terminating its drivers first. */
    public UnloadReport unload() {
        return kernel.unload(kext.identifier());
    }

    /**
     * Run the kernel until a started service of I/O Kit class {@code ioClass} is attached to the nub
     * in PCI slot {@code slot}, for at most one second of kernel time; return it.
     *
     * @throws AssertionError naming what the nub's matching did and the kernel log, if none started
     */
    public IOService awaitDriver(int slot, String ioClass) {
        Supplier<Optional<IOService>> find = () -> driverOn(slot, ioClass);
        if (!clock().runUntil(() -> find.get().isPresent(), Duration.ofSeconds(1))) {
            throw new AssertionError("no started " + ioClass + " on PCI slot " + slot + "; matching: "
                    + nubOf(slot).map(nub -> kernel.iokit().lastMatching(nub).toString()).orElse("no nub")
                    + "\nkernel log:\n" + kernel.logText());
        }
        return find.get().orElseThrow();
    }

    /** Return the started service of class {@code ioClass} on the nub in PCI slot {@code slot}, if any. */
    public Optional<IOService> driverOn(int slot, String ioClass) {
        return nubOf(slot).flatMap(nub -> nub.getClients().stream()
                .filter(client -> client.getMetaClassName().equals(ioClass) && client.serviceState().started)
                .findFirst());
    }

    /** Return the active {@code IOPCIDevice} nub of PCI slot {@code slot}, if any. */
    public Optional<IOService> nubOf(int slot) {
        return kernel.iokit().services().stream()
                .filter(s -> s.getMetaClassName().equals("IOPCIDevice") && !s.isInactive())
                .filter(s -> {
                    String location = s.getLocation();
                    return location != null && location.split(",")[0].equalsIgnoreCase(Integer.toHexString(slot));
                })
                .findFirst();
    }

    /** Return the live services of I/O Kit class {@code ioClass}, active or not. */
    public List<IOService> services(String ioClass) {
        return kernel.iokit().services().stream().filter(s -> s.getMetaClassName().equals(ioClass)).collect(Collectors.toList());
    }

    /** Run the kernel for {@code duration} of kernel time. */
    public void advance(Duration duration) {
        clock().advance(duration);
    }

    /** Run the kernel until {@code condition} holds, for at most {@code timeout} of kernel time; return whether it held. */
    public boolean runUntil(java.util.function.BooleanSupplier condition, Duration timeout) {
        return clock().runUntil(condition, timeout);
    }

    /** Run {@code body} as a kernel thread (in thread context) and return what it returned. */
    public <T> T inKernel(Supplier<T> body) {
        try (KernelEntry entry = kernel.scheduler().enter()) {
            return body.get();
        }
    }

    /**
     * Return a view of {@code driver} through {@code api}: each method of {@code api} calls the
     * driver's public method with the same name and parameter types, from inside the kernel.
     */
    public <T> T client(IOService driver, Class<T> api) {
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return method.invoke(driver, args);
            }
            MethodHandle target;
            try {
                // A method handle, not Method.invoke: after a few calls core reflection generates an
                // accessor class that would have to resolve JDK internals through the kext's loader.
                target = MethodHandles.publicLookup().unreflect(
                        driver.getClass().getMethod(method.getName(), method.getParameterTypes())).bindTo(driver);
            } catch (NoSuchMethodException e) {
                throw new AssertionError(driver.getClass().getName() + " has no public method " + method.getName()
                        + " with the parameters of " + api.getSimpleName() + "." + method.getName(), e);
            }
            try (KernelEntry entry = kernel.scheduler().enter()) {
                return target.invokeWithArguments(args == null ? new Object[0] : args);
            }
        };
        return api.cast(Proxy.newProxyInstance(api.getClassLoader(), new Class<?>[] {api}, handler));
    }

    /** Return the kernel heap's live allocations made by classes of {@code packageName} (the kext's code). */
    public List<HeapAllocation> liveAllocationsOf(String packageName) {
        return kernel.heap().liveAllocations().stream()
                .filter(a -> a.caller() != null && a.caller().getPackageName().equals(packageName))
                .collect(Collectors.toList());
    }

    /** Shut the kernel down. */
    @Override
    public void close() {
        kernel.shutdown();
    }
}
