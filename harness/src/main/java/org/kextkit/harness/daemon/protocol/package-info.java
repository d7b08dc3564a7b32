/**
 * Frame requests and replies between the client and the kernel daemon (protocol version 1); the
 * byte layout is drawn in {@code docs/daemon.md}.
 */
package org.kextkit.harness.daemon.protocol;
