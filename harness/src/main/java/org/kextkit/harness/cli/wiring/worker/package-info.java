/**
 * {@code kextcheck --isolation=process}: a worker JVM (the hidden {@code kextcheck-worker} command,
 * started on this JVM's class path) runs one kext at a time in a fresh kernel and answers over its
 * standard input and output; the parent replaces a worker that dies, stops answering, or is left
 * soiled by a kext (a panic, threads still running).
 */
package org.kextkit.harness.cli.wiring.worker;
