/**
 * The hosted kernel and its tools. Packages follow the flow of a load: {@code bundle} (read and
 * validate a kext) → {@code version} → {@code repository} (known kexts) → {@code resolve}
 * (dependencies) → {@code link} (class loaders and the link check) → {@code lifecycle} (load, start,
 * stop, unload) → {@code cli} and {@code daemon} (the commands), with {@code config} and
 * {@code diagnostics} shared along the way.
 */
package org.kextkit.harness;
