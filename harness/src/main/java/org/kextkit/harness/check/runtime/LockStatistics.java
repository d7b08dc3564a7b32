package org.kextkit.harness.check.runtime;

/**
 * What the kernel measured of the locks of one lock group (the seed's Lock Profiling numbers).
 *
 * @param group the lock group's name ({@code IOKit} for I/O Kit locks)
 * @param taken how many times its locks were taken
 * @param contended how many of those had to wait for another holder
 * @param totalHoldNanos the kernel time its locks were held, summed over every release
 * @param maxHoldNanos the longest single hold, in kernel nanoseconds
 * @param released how many holds ended (the divisor of the average)
 */
public record LockStatistics(String group, long taken, long contended, long totalHoldNanos, long maxHoldNanos,
        long released) {
    /** Return the average hold time in kernel nanoseconds, or 0 if no hold ended yet. */
    public long averageHoldNanos() {
        return released == 0 ? 0 : totalHoldNanos / released;
    }
}
