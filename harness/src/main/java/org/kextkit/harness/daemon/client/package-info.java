/**
 * Send one command to the running kernel from a JVM that must start fast: this package and
 * {@code daemon.protocol} use {@code java.base} only, and nothing here may load picocli, Commons
 * Configuration or kernel classes.
 */
package org.kextkit.harness.daemon.client;
