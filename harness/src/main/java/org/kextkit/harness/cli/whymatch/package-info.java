/**
 * The {@code whymatch} command: why a kext's I/O Kit personalities did or did not match a nub,
 * in the daemon's kernel or in a kernel booted for the command.
 */
package org.kextkit.harness.cli.whymatch;
