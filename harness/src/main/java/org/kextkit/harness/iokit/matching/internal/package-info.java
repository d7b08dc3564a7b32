/**
 * The matching engine's internals: personalities read once into their matching form, the passive
 * key checks in I/O Kit's order, value equality as the OS containers define it, and the builder of
 * match explanations. Not for use outside {@code org.kextkit.harness.iokit.matching}.
 */
package org.kextkit.harness.iokit.matching.internal;
