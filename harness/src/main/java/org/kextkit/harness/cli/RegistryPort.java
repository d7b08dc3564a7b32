package org.kextkit.harness.cli;

import java.util.Map;
import org.kextkit.kit.iokit.IORegistryEntry;

/**
 * Give {@code ioreg} and {@code ioclasscount} a look into a running hosted kernel's I/O Kit: the
 * registry and the live-instance count of every class.
 *
 * <p>The kernel side implements it over {@code HostedKernel}. Callers only read what they are given;
 * the daemon calls it from its kernel thread, so the registry does not change while a command
 * prints it.
 */
public interface RegistryPort {
    /** Return the registry root ({@code Root}, class {@code IORegistryEntry}). */
    IORegistryEntry root() throws KernelUnavailableException;

    /**
     * Return the live-instance count of every class the kernel knows, by I/O Kit class name
     * ({@code OSMetaClass} counting: a class's own instances plus its direct subclasses that have
     * any); a class with no instances is present with 0.
     */
    Map<String, Integer> classCounts() throws KernelUnavailableException;
}
