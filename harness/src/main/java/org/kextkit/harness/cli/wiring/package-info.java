/**
 * Connect the kext commands to the real machinery: the bundle reader and validator, the resolver,
 * the linker and kextlibs, and a hosted kernel (in this process for kextutil, the daemon's for
 * kextload, kextunload and kextstat).
 */
package org.kextkit.harness.cli.wiring;
