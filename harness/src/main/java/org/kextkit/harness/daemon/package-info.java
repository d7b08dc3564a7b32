/**
 * Run the hosted kernel as a background daemon that the kext commands talk to over a private Unix
 * domain socket: {@link org.kextkit.harness.daemon.DaemonLauncher} boots it,
 * {@link org.kextkit.harness.daemon.KernelDaemon} is its main class,
 * {@link org.kextkit.harness.daemon.KernelServer} serves requests one at a time, and a kernel plugs
 * in through {@link org.kextkit.harness.daemon.KernelHostFactory},
 * {@link org.kextkit.harness.daemon.KernelHost} and {@link org.kextkit.harness.daemon.CommandRunner}.
 * {@code docs/daemon.md} describes the life cycle, the protocol and the exit statuses.
 */
package org.kextkit.harness.daemon;
