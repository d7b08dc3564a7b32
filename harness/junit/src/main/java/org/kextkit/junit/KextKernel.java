package org.kextkit.junit;

import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.kextkit.hardware.pci.PciDeviceModel;
import org.kextkit.hardware.pci.PciHardware;
import org.kextkit.harness.bundle.KextBundle;
import org.kextkit.harness.check.Finding;
import org.kextkit.harness.lifecycle.HostedKernel;
import org.kextkit.harness.scheduler.KernelEntry;
import org.kextkit.junit.internal.DriverForwarding;
import org.kextkit.junit.internal.KernelSession;
import org.kextkit.junit.internal.TestVerdict;
import org.kextkit.kit.iokit.IOService;

/**
 * A test's hosted kernel, with its kexts under test loaded and their drivers matched: the parameter a
 * {@link KernelTest} method declares to look at the drivers, drive virtual time and reach the
 * simulated hardware. The kernel runs in virtual time: nothing happens between calls, and
 * {@link #advance} and {@link #runUntil} move its clock.
 */
public final class KextKernel {
    private final KernelSession session;

    KextKernel(KernelSession session) {
        this.session = session;
    }

    /** Return the hosted kernel itself, for what this handle does not offer. */
    public HostedKernel hostedKernel() {
        return session.kernel();
    }

    /** Return the kexts under test, in load order. */
    public List<KextBundle> kextsUnderTest() {
        return session.kextsUnderTest();
    }

    /**
     * Return the started driver of the kexts under test, when they start one class of driver;
     * waits up to one second of kernel time for it.
     *
     * @throws org.opentest4j.AssertionFailedError if none started, with what matching did and the log
     */
    public IOService driver() {
        return session.driver("");
    }

    /** Return the first started driver of class {@code className} (binary, simple or I/O Kit name); see {@link #driver()}. */
    public IOService driver(String className) {
        return session.driver(className);
    }

    /** Return the driver of class {@code className} seen through the test's interface {@code api}; see {@link #client}. */
    public <T> T driver(String className, Class<T> api) {
        return client(driver(className), api);
    }

    /** Return every started, active driver the kexts under test define, in registry order. */
    public List<IOService> drivers() {
        return session.drivers();
    }

    /**
     * Return {@code driver} seen through {@code api}, an interface of the test's: each method calls the
     * driver's public method of the same name and parameter types, entering the kernel first as a
     * kernel thread would. (The driver's class was loaded by the kext's own loader, so it cannot be
     * cast to the test class path's copy.)
     */
    public <T> T client(IOService driver, Class<T> api) {
        return DriverForwarding.forward(session.kernel(), driver, api);
    }

    /** Return the I/O Kit registry as {@code ioreg -l -w0} prints it. */
    public String ioreg() {
        return TestVerdict.ioreg(session.kernel());
    }

    /** Return the kernel log so far. */
    public String log() {
        return session.kernel().logText();
    }

    /** Return the checkers' standing findings so far (the test fails on them at its end unless allowed). */
    public List<Finding> findings() {
        return session.kernel().findings().list();
    }

    /** Run everything due within {@code duration} of kernel time and move the clock that far. */
    public void advance(Duration duration) {
        session.kernel().virtualTime().advance(duration);
    }

    /** Run the kernel until {@code condition} holds, for at most {@code timeout} of kernel time; return whether it held. */
    public boolean runUntil(BooleanSupplier condition, Duration timeout) {
        return session.kernel().virtualTime().runUntil(condition, timeout);
    }

    /** Return the kernel clock in nanoseconds since boot. */
    public long nanoTime() {
        return session.kernel().virtualTime().nanoTime();
    }

    /** Run {@code body} as a kernel thread would (in thread context) and return its result. */
    public <T> T runInKernel(Supplier<T> body) {
        try (KernelEntry entry = session.kernel().scheduler().enter()) {
            return body.get();
        }
    }

    /** Run {@code body} as a kernel thread would (in thread context). */
    public void runInKernel(Runnable body) {
        try (KernelEntry entry = session.kernel().scheduler().enter()) {
            body.run();
        }
    }

    /** Return the machine's simulated PCI bus: its functions, hot-plug and surprise removal. */
    public PciHardware pci() {
        return session.kernel().hardware(PciHardware.class);
    }

    /**
     * Return the only PCI device model of class {@code type} on the machine.
     *
     * @throws org.junit.jupiter.api.extension.ExtensionConfigurationException if there is none, or several
     */
    public <T extends PciDeviceModel> T device(Class<T> type) {
        return session.device(type);
    }

    /** Return the model at function 0 of PCI slot {@code slot} as {@code type}. */
    public <T extends PciDeviceModel> T device(int slot, Class<T> type) {
        return pci().model(slot, type);
    }
}
