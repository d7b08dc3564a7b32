package org.kextkit.harness.cli;

import java.util.List;
import java.util.Map;
import org.kextkit.kit.iokit.IORegistryEntry;

/**
 * Give {@code ioreg}, {@code ioclasscount} and {@code sysctl} a look into a running hosted kernel: the
 * I/O Kit registry, the live-instance count of every class, and the sysctl namespace.
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

    /**
     * One answer of {@code sysctl}: the line {@code sysctl(8)} prints.
     *
     * @param name the oid's full dotted name
     * @param value its value (after a write, the new one), or {@code null} on error
     * @param previous after a write, the value replaced; else {@code null}
     * @param error why the request failed ({@code unknown oid 'x'}, ...), or {@code null}
     */
    record SysctlAnswer(String name, String value, String previous, String error) {
    }

    /**
     * Answer {@code sysctl} requests, each a full dotted name to read, a name followed by
     * {@code =value} to write, or, with {@code all}, a prefix under which to read every value ("" for
     * the whole namespace).
     */
    default List<SysctlAnswer> sysctl(List<String> requests, boolean all) throws KernelUnavailableException {
        throw new KernelUnavailableException("this kernel connection has no sysctl namespace");
    }
}
