package org.kextkit.junit.internal;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.kextkit.hardware.pci.PciDeviceModel;
import org.kextkit.junit.KernelLifecycle;

/**
 * What a test's kernel is booted with.
 *
 * @param lifecycle per test or per class
 * @param machine the machine description plist, or empty for the built-in default machine
 * @param seed the kernel's random seed
 * @param kexts the kexts under test, loaded in this order
 * @param devices simulated PCI devices hot-plugged before the kexts load
 * @param disabledChecks checks switched off, with the reason for each
 */
public record KernelSpec(KernelLifecycle lifecycle, String machine, long seed, List<KextSource> kexts,
                         List<PciDeviceSpec> devices, Map<String, String> disabledChecks) {
    /** Copy the lists. */
    public KernelSpec {
        kexts = List.copyOf(kexts);
        devices = List.copyOf(devices);
        disabledChecks = Map.copyOf(disabledChecks);
    }

    /** A simulated PCI device: a fresh model from {@code model} for each kernel, at function 0 of {@code slot}. */
    public record PciDeviceSpec(int slot, Supplier<? extends PciDeviceModel> model) {
    }
}
