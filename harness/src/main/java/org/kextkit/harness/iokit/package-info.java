/**
 * The I/O Kit of a hosted kernel: the registry and its planes, matching of nubs against the driver
 * catalogue with on-demand kext loading, the probe and start sequence, termination, power
 * management with system sleep and wake, and the families' simulated hardware. {@link
 * org.kextkit.harness.iokit.IOKitKernel} is the entry point; the catalogue itself lives in
 * {@code org.kextkit.harness.iokit.matching}.
 */
package org.kextkit.harness.iokit;
