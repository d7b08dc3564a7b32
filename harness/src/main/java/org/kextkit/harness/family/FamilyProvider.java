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
     * Build this family's hardware from {@code machine}'s entries of this family; errors name
     * {@code machine.source()} (the file) as well as the entry and key. Kernels call this form.
     *
     * @throws MachineDescriptionException naming the file, the device entry and the key, if an entry is wrong
     */
    default FamilyHardware createHardware(MachineDescription machine, HardwareContext context)
            throws MachineDescriptionException {
        return createHardware(devicesOf(machine), context);
    }

    /** Return the devices of {@code machine} whose {@code Family} is this family's name, in file order. */
    default List<MachineDescription.Device> devicesOf(MachineDescription machine) {
        return machine.devices().stream().filter(d -> familyName().equals(d.family())).toList();
    }

    /**
     * Return the matching indexers of this family's nub classes, by class name (such as
     * {@code IOPCIDevice}); classes without one are matched without an index.
     */
    default Map<String, MatchIndexer> matchIndexers() {
        return Map.of();
    }
}
