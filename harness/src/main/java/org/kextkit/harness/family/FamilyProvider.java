package org.kextkit.harness.family;

import java.util.List;
import java.util.Map;

/**
 * A simulated I/O Kit family (PCI, USB, SCSI, serial): its built-in family kexts, the simulated
 * hardware it builds from a machine description, and the matching index of its nub classes.
 *
 * <p>Families are found with {@link java.util.ServiceLoader}; a family module lists its provider in
 * {@code META-INF/services/org.kextkit.harness.family.FamilyProvider}. The hosted kernel knows
 * nothing family-specific beyond this interface.
 */
public interface FamilyProvider {
    /** Return the family name used in machine descriptions, such as {@code PCI}. */
    String familyName();

    /**
     * Return the family's kexts (such as {@code com.apple.iokit.IOPCIFamily}). They join every
     * kernel's repository and catalogue at boot and load on demand like any other kext.
     */
    List<BuiltInKext> builtInKexts();

    /**
     * Build this family's simulated hardware from the machine description's device entries of this
     * family (possibly none: hardware can still be hot-plugged later).
     *
     * @throws MachineDescriptionException naming the file, the device entry and the key, if an entry is wrong
     */
    FamilyHardware createHardware(List<MachineDescription.Device> devices, HardwareContext context)
            throws MachineDescriptionException;

    /**
     * Return the matching indexers of this family's nub classes, by class name (such as
     * {@code IOPCIDevice}); classes without one are matched without an index.
     */
    default Map<String, MatchIndexer> matchIndexers() {
        return Map.of();
    }
}
