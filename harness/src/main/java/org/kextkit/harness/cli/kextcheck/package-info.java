/**
 * {@code kextcheck}'s handling of its inputs that are not plain bundles: {@code .kext.zip} archives,
 * unpacked safely (paths, links, sizes and structure checked while the bytes stream) into a private
 * folder that is removed when the run ends.
 */
package org.kextkit.harness.cli.kextcheck;
