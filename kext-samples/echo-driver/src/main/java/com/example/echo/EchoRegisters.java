package com.example.echo;

/**
 * The echo DMA engine's programming interface, as its data sheet gives it: BAR 0 register offsets
 * and bits, and the layout of a 32-byte command (see {@code docs/pci-family.md}, "The echo DMA
 * engine"). A driver keeps its own copy of these numbers, as a C driver keeps a register header;
 * the device model is not visible to kexts.
 */
public final class EchoRegisters {
    /** PCI vendor ID. */
    public static final int VENDOR_ID = 0x1234;
    /** PCI device ID. */
    public static final int DEVICE_ID = 0x0ed1;

    /** Read-only identification register. */
    public static final int ID = 0x00;
    /** ENABLE, RESET, INT_ENABLE. */
    public static final int CONTROL = 0x04;
    /** BUSY, HALTED. */
    public static final int STATUS = 0x08;
    /** DONE, ERROR; write 1 to clear. */
    public static final int INT_STATUS = 0x0C;
    /** Physical address of the command ring, low 32 bits. */
    public static final int RING_BASE_LO = 0x10;
    /** Physical address of the command ring, high 32 bits. */
    public static final int RING_BASE_HI = 0x14;
    /** Entries in the ring (a power of two). */
    public static final int RING_SIZE = 0x18;
    /** The next entry the engine processes. */
    public static final int RING_HEAD = 0x1C;
    /** Doorbell: one past the last entry queued. */
    public static final int RING_TAIL = 0x20;
    /** Commands completed since reset. */
    public static final int COMPLETED = 0x24;
    /** Kernel time the engine takes per command, in nanoseconds. */
    public static final int LATENCY_NS = 0x2C;

    /** The value of {@link #ID}: "ECH1". */
    public static final int ID_VALUE = 0x4543_4831;
    /** CONTROL: process the ring. */
    public static final int CONTROL_ENABLE = 0x1;
    /** CONTROL: reset the engine (self-clearing). */
    public static final int CONTROL_RESET = 0x2;
    /** CONTROL: interrupt on completion. */
    public static final int CONTROL_INT_ENABLE = 0x4;
    /** STATUS: a DMA failed; the engine stopped until reset. */
    public static final int STATUS_HALTED = 0x2;
    /** INT_STATUS: a command completed. */
    public static final int INT_DONE = 0x1;
    /** INT_STATUS: a command failed. */
    public static final int INT_ERROR = 0x2;

    /** Bytes per command. */
    public static final int COMMAND_SIZE = 32;
    /** Command field offsets. */
    public static final int CMD_OPCODE = 0;
    /** Transfer length. */
    public static final int CMD_LENGTH = 4;
    /** Source physical address. */
    public static final int CMD_SOURCE = 8;
    /** Destination physical address (COPY). */
    public static final int CMD_DESTINATION = 16;
    /** Result written by the engine: bytes copied or the CRC-32. */
    public static final int CMD_RESULT = 24;
    /** Status written by the engine. */
    public static final int CMD_STATUS = 28;
    /** Opcode: copy source to destination. */
    public static final int OP_COPY = 1;
    /** Opcode: CRC-32 of the source. */
    public static final int OP_CHECKSUM = 2;
    /** Command status: done. */
    public static final int COMMAND_OK = 1;
    /** Command status: the engine refused the command. */
    public static final int COMMAND_BAD = 2;
    /** Command status: a DMA failed. */
    public static final int COMMAND_DMA_ERROR = 3;
    /** The longest transfer one command may ask for. */
    public static final int MAX_LENGTH = 1 << 20;

    private EchoRegisters() {
    }
}
