package org.kextkit.harness.lifecycle;

import java.util.Locale;

/**
 * What reading or writing one sysctl gave, as {@code sysctl(8)} reports it.
 *
 * @param name the full dotted name asked for
 * @param value the value read, or after a write the value written; {@code null} on error
 * @param previous after a write, the value it replaced; else {@code null}
 * @param errno 0 on success, else the errno ({@code ENOENT} for an unknown oid, {@code EPERM} for a
 *     read-only one, {@code EINVAL} for a value of the wrong form, {@code EISDIR} for a node)
 * @param error why it failed, or {@code null}
 */
public record SysctlResult(String name, String value, String previous, int errno, String error) {
    /** Return true if the read or write succeeded. */
    public boolean ok() {
        return errno == 0;
    }

    /**
     * Return the line {@code sysctl(8)} prints: {@code name: value}, {@code name: old -> new} for a
     * write, or {@code sysctl: <why>} for an error.
     */
    public String line() {
        if (!ok()) {
            return "sysctl: " + error;
        }
        return previous == null ? name + ": " + value : String.format(Locale.ROOT, "%s: %s -> %s", name, previous, value);
    }
}
