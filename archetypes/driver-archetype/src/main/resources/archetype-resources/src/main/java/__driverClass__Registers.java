package ${package};

/**
 * The register map of the device ${driverClass} drives (BAR 0, 32-bit registers). The simulated
 * device in the tests implements exactly this; keep the two in step.
 */
public final class ${driverClass}Registers {
    /** RO: identifies the device, {@link #ID_VALUE}. */
    public static final int ID = 0x00;
    /** RW: bit 0 {@link #CONTROL_INT_ENABLE}. */
    public static final int CONTROL = 0x04;
    /** W1C: bit 0 {@link #INT_DONE}, set when a doorbell has been processed; the interrupt is raised then. */
    public static final int INT_STATUS = 0x08;
    /** WO: add the value written to {@link #COUNTER}, about a microsecond later, then interrupt. */
    public static final int DOORBELL = 0x0C;
    /** RO: the sum of every value rung since reset. */
    public static final int COUNTER = 0x10;
    /** RW: a plain register. */
    public static final int SCRATCH = 0x14;

    /** What {@link #ID} reads: device ID in the high half, vendor ID in the low half. */
    public static final int ID_VALUE = 0x${pciDeviceId}${pciVendorId};
    /** CONTROL: interrupt when a doorbell is done. */
    public static final int CONTROL_INT_ENABLE = 0x1;
    /** INT_STATUS: a doorbell was processed. */
    public static final int INT_DONE = 0x1;

    private ${driverClass}Registers() {
    }
}
