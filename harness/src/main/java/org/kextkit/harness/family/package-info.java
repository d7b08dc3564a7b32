/**
 * The interface between the hosted kernel and the simulated I/O Kit families: family providers,
 * their built-in kexts, their hardware and the machine description that says what is plugged in.
 */
package org.kextkit.harness.family;
