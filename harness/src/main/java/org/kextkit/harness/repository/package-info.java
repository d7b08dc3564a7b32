/**
 * The kexts the kernel knows about: the kernel's own pseudo-kexts ({@link
 * org.kextkit.harness.repository.KernelPseudoKexts}) and the bundles a reader produced, indexed by
 * bundle identifier in Apple's order of preference ({@link org.kextkit.harness.repository.KextRepository}).
 */
package org.kextkit.harness.repository;
