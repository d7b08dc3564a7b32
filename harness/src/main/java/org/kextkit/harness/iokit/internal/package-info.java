/**
 * Helpers of the registry that are not part of its API: the caller-thread scheduler the registry
 * runs on until the kernel has its own, and a catalogue that matches on the provider class alone.
 */
package org.kextkit.harness.iokit.internal;
