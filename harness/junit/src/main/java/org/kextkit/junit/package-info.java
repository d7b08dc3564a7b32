/**
 * The JUnit 5 extension for driver tests: {@link org.kextkit.junit.KernelTest} and
 * {@link org.kextkit.junit.KernelExtension} boot a hosted kernel per test, load the kext under test
 * (by default the module's build output), attach simulated devices, inject the kernel
 * ({@link org.kextkit.junit.KextKernel}), the matched driver ({@link org.kextkit.junit.Driver}) and the
 * device models, and fail the test on the checkers' findings unless
 * {@link org.kextkit.junit.AllowFinding} accepts them. See docs/testing-drivers.md.
 */
package org.kextkit.junit;
