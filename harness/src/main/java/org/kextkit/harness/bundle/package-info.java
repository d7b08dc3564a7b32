/**
 * Read kext bundles from disk and validate them as {@code kextutil} does: the first step of a load.
 *
 * <p>{@link org.kextkit.harness.bundle.InfoPlistReader} parses an Info.plist safely;
 * {@link org.kextkit.harness.bundle.KextBundleReader} turns a {@code Foo.kext} folder and its
 * plug-ins into {@link org.kextkit.harness.bundle.KextBundle}s;
 * {@link org.kextkit.harness.bundle.BundleScanner} does the same for a repository folder; and
 * {@link org.kextkit.harness.bundle.KextBundleValidator} records every problem in each bundle's
 * diagnostics. Resolving {@code OSBundleLibraries} is left to the resolver. See
 * {@code docs/bundles.md} for the layout, the jar conventions and the rules.
 */
package org.kextkit.harness.bundle;
