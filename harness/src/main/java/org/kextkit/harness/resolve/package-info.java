/**
 * Dependency resolution: turn a kext's {@code OSBundleLibraries} into a load list by Apple's rules,
 * and explain in kextutil's diagnostics why a dependency could not be satisfied. Start at {@link
 * org.kextkit.harness.resolve.DependencyResolver}.
 */
package org.kextkit.harness.resolve;
