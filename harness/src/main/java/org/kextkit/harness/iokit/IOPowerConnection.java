package org.kextkit.harness.iokit;

import org.kextkit.kit.iokit.IOService;

/**
 * The link between a power parent and a power child in the {@code IOPower} plane
 * ({@code IOPowerConnection}): {@code joinPMtree} puts one between them, as ioreg shows with
 * {@code -p IOPower}.
 */
public final class IOPowerConnection extends IOService {
    /** Create a connection; only the kernel's power manager does this. */
    IOPowerConnection() {
        setName("IOPowerConnection");
    }
}
