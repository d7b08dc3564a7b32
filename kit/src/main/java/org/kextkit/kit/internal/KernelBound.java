package org.kextkit.kit.internal;

/**
 * Mark a class loader as belonging to one hosted kernel, so a kit call made from a kext's code is
 * routed to the kernel that loaded that kext, even when several kernels share a JVM.
 */
public interface KernelBound {
    /** Return the kernel that owns this loader's classes. */
    KernelServices kernelServices();
}
