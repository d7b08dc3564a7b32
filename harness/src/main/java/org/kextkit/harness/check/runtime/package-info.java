/**
 * The runtime checkers of a hosted kernel: they receive the kit's lock, memory and entry-point
 * events ({@link org.kextkit.kit.internal.KernelChecks}) and the kernel's teardown calls, and report
 * {@link org.kextkit.harness.check.Finding}s to the kernel's findings.
 */
package org.kextkit.harness.check.runtime;
