/**
 * Read kextkit's configuration: built-in defaults, the user file, {@code -Dkextkit.*} system
 * properties and {@code --set key=value}, in rising precedence, into an immutable
 * {@link org.kextkit.harness.config.KextkitConfig}; and parse the kernel's
 * {@link org.kextkit.harness.config.BootArgs}. {@code docs/configuration.md} lists the keys.
 */
package org.kextkit.harness.config;
