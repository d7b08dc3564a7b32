package org.kextkit.kit.iokit;

/**
 * One row of a driver's power state table ({@code IOPMPowerState}), passed to
 * {@link IOService#registerPowerDriver}.
 *
 * @param version {@code kIOPMPowerStateVersion1} (1) or 2
 * @param capabilityFlags what the device can do in this state ({@code kIOPMPowerOn}, {@code kIOPMDeviceUsable}, ...)
 * @param outputPowerCharacter the power this state supplies to clients
 * @param inputPowerRequirement the power this state needs from the parent domain
 */
public record IOPMPowerState(int version, long capabilityFlags, long outputPowerCharacter, long inputPowerRequirement) {
    /** {@code kIOPMPowerStateVersion1}. */
    public static final int kIOPMPowerStateVersion1 = 1;
    /** {@code kIOPMPowerOn}: the device is powered. */
    public static final long kIOPMPowerOn = 0x2;
    /** {@code kIOPMDeviceUsable}: the device can be used. */
    public static final long kIOPMDeviceUsable = 0x8000;
    /** {@code kIOPMLowPower}: a reduced-power state. */
    public static final long kIOPMLowPower = 0x10000;
}
