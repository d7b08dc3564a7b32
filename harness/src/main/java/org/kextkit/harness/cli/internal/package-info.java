/**
 * Machinery behind the kext commands that is not API: log filtering, the {@code -v}/{@code -q}
 * options, usage-error handling, path checks and the command factory.
 */
package org.kextkit.harness.cli.internal;
