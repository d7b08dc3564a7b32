package org.kextkit.hardware.pci.models;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.zip.CRC32;
import org.kextkit.hardware.pci.PciBar;
import org.kextkit.hardware.pci.PciDeviceModel;
import org.kextkit.hardware.pci.PciIdentity;
import org.kextkit.hardware.pci.PciPowerState;
import org.kextkit.hardware.pci.RegisterHandler;
import org.kextkit.kit.internal.KernelScheduler;

/**
 * A DMA engine a driver talks to through a command ring: it copies buffers and computes CRC-32
 * checksums in the kernel's memory and interrupts on completion. Machine-file model name
 * {@code echo-dma}; identity vendor 0x1234, device 0x0ed1, class 0xff0000 (unassigned class),
 * one MSI vector.
 *
 * <p>Registers (BAR 0, 4 KiB of 32-bit memory space; 32-bit accesses):
 * <table>
 * <caption>Echo DMA engine registers</caption>
 * <tr><th>Offset</th><th>Name</th><th>Access</th><th>Meaning</th></tr>
 * <tr><td>0x00</td><td>ID</td><td>RO</td><td>0x45434831 ("ECH1")</td></tr>
 * <tr><td>0x04</td><td>CONTROL</td><td>RW</td><td>bit 0 ENABLE, bit 1 RESET (self-clearing), bit 2 INT_ENABLE</td></tr>
 * <tr><td>0x08</td><td>STATUS</td><td>RO</td><td>bit 0 BUSY, bit 1 HALTED (a command failed; RESET to recover)</td></tr>
 * <tr><td>0x0C</td><td>INT_STATUS</td><td>W1C</td><td>bit 0 DONE, bit 1 ERROR; the interrupt stays asserted while a bit is set</td></tr>
 * <tr><td>0x10</td><td>RING_BASE_LO</td><td>RW</td><td>physical address of the command ring, low 32 bits</td></tr>
 * <tr><td>0x14</td><td>RING_BASE_HI</td><td>RW</td><td>high 32 bits</td></tr>
 * <tr><td>0x18</td><td>RING_SIZE</td><td>RW</td><td>entries in the ring: a power of two, 1 to 4096</td></tr>
 * <tr><td>0x1C</td><td>RING_HEAD</td><td>RO</td><td>the next entry the engine will process</td></tr>
 * <tr><td>0x20</td><td>RING_TAIL</td><td>RW</td><td>doorbell: one past the last entry software queued</td></tr>
 * <tr><td>0x24</td><td>COMPLETED</td><td>RO</td><td>commands completed since reset</td></tr>
 * <tr><td>0x28</td><td>SCRATCH</td><td>RW</td><td>a plain register</td></tr>
 * <tr><td>0x2C</td><td>LATENCY_NS</td><td>RW</td><td>time the engine takes per command, in ns of kernel time (default 1000)</td></tr>
 * </table>
 *
 * <p>A command is 32 bytes, little-endian: opcode (u32 at 0: 1 COPY, 2 CHECKSUM), length (u32 at 4,
 * at most 1 MiB), source address (u64 at 8), destination address (u64 at 16, COPY only), result
 * (u32 at 24, written by the engine: the length copied or the CRC-32), status (u32 at 28, written by
 * the engine: 1 OK, 2 bad command, 3 DMA error). The engine reads commands and data and writes
 * results by DMA, so software must enable bus mastering; a DMA failure halts the engine with
 * STATUS.HALTED and INT_STATUS.ERROR.
 */
public final class EchoDmaDevice extends PciDeviceModel {
    /** The model's identity. */
    public static final PciIdentity IDENTITY = new PciIdentity(0x1234, 0x0ed1, 0x1234, 0x0001, 0xFF0000, 0x01);

    /** Register offsets. */
    public static final int ID = 0x00;
    public static final int CONTROL = 0x04;
    public static final int STATUS = 0x08;
    public static final int INT_STATUS = 0x0C;
    public static final int RING_BASE_LO = 0x10;
    public static final int RING_BASE_HI = 0x14;
    public static final int RING_SIZE = 0x18;
    public static final int RING_HEAD = 0x1C;
    public static final int RING_TAIL = 0x20;
    public static final int COMPLETED = 0x24;
    public static final int SCRATCH = 0x28;
    public static final int LATENCY_NS = 0x2C;

    /** Register values. */
    public static final int ID_VALUE = 0x4543_4831;
    public static final int CONTROL_ENABLE = 0x1;
    public static final int CONTROL_RESET = 0x2;
    public static final int CONTROL_INT_ENABLE = 0x4;
    public static final int STATUS_BUSY = 0x1;
    public static final int STATUS_HALTED = 0x2;
    public static final int INT_DONE = 0x1;
    public static final int INT_ERROR = 0x2;

    /** Command layout. */
    public static final int COMMAND_SIZE = 32;
    public static final int OP_COPY = 1;
    public static final int OP_CHECKSUM = 2;
    public static final int COMMAND_OK = 1;
    public static final int COMMAND_BAD = 2;
    public static final int COMMAND_DMA_ERROR = 3;
    /** The longest transfer one command may ask for. */
    public static final int MAX_LENGTH = 1 << 20;

    private int control;
    private int status;
    private int intStatus;
    private long ringBase;
    private int ringSize;
    private int head;
    private int tail;
    private int completed;
    private volatile int scratch;
    private int latencyNanos;
    private KernelScheduler.Callout pending;

    /** Create an engine with its own identity. */
    public EchoDmaDevice() {
        super(IDENTITY);
        declareBar(0, PciBar.memory32(4096), new RegisterHandler() {
            @Override
            public long read(long offset, int width) {
                if (offset == SCRATCH && width == 4) {
                    return scratch & 0xFFFF_FFFFL;
                }
                return readRegister((int) offset) & 0xFFFF_FFFFL;
            }

            @Override
            public void write(long offset, int width, long value) {
                if (offset == SCRATCH && width == 4) {
                    scratch = (int) value;
                    return;
                }
                writeRegister((int) offset, (int) value);
            }
        });
        declareMsi(1);
    }

    @Override
    public String modelName() {
        return "echo-dma";
    }

    /** The command ring while the engine is enabled with a ring programmed: it fetches commands from it. */
    @Override
    public synchronized List<DmaWindow> programmedDma() {
        if ((control & CONTROL_ENABLE) == 0 || ringSize <= 0 || ringBase == 0) {
            return List.of();
        }
        return List.of(new DmaWindow("command ring (" + ringSize + " entries, engine enabled)", ringBase,
                (long) ringSize * COMMAND_SIZE));
    }

    private synchronized int readRegister(int offset) {
        switch (offset) {
            case ID: return ID_VALUE;
            case CONTROL: return control;
            case STATUS: return status;
            case INT_STATUS: return intStatus;
            case RING_BASE_LO: return (int) ringBase;
            case RING_BASE_HI: return (int) (ringBase >>> 32);
            case RING_SIZE: return ringSize;
            case RING_HEAD: return head;
            case RING_TAIL: return tail;
            case COMPLETED: return completed;
            case SCRATCH: return scratch;
            case LATENCY_NS: return latencyNanos;
            default: return 0;
        }
    }

    private void writeRegister(int offset, int value) {
        boolean deassert = false;
        synchronized (this) {
            switch (offset) {
                case CONTROL:
                    if ((value & CONTROL_RESET) != 0) {
                        resetEngine();
                        deassert = true;
                    } else {
                        control = value & (CONTROL_ENABLE | CONTROL_INT_ENABLE);
                        deassert = (control & CONTROL_INT_ENABLE) == 0;
                        kick();
                    }
                    break;
                case INT_STATUS:
                    intStatus &= ~value;
                    deassert = intStatus == 0;
                    break;
                case RING_BASE_LO:
                    ringBase = (ringBase & 0xFFFF_FFFF_0000_0000L) | (value & 0xFFFF_FFFFL);
                    break;
                case RING_BASE_HI:
                    ringBase = (ringBase & 0xFFFF_FFFFL) | ((long) value << 32);
                    break;
                case RING_SIZE:
                    ringSize = value;
                    break;
                case RING_TAIL:
                    tail = value;
                    kick();
                    break;
                case SCRATCH:
                    scratch = value;
                    break;
                case LATENCY_NS:
                    latencyNanos = value;
                    break;
                default:
                    break;
            }
        }
        if (deassert) {
            deassertIntx();
        }
    }

    private boolean ringValid() {
        return ringSize >= 1 && ringSize <= 4096 && Integer.bitCount(ringSize) == 1 && tail >= 0 && tail < ringSize;
    }

    // Start processing if enabled, idle, not halted and there is work; caller holds the lock.
    private void kick() {
        if ((control & CONTROL_ENABLE) == 0 || (status & (STATUS_BUSY | STATUS_HALTED)) != 0 || head == tail) {
            return;
        }
        if (!ringValid()) {
            halt();
            return;
        }
        status |= STATUS_BUSY;
        pending = scheduleEvent("command", Integer.toUnsignedLong(latencyNanos), this::processOne);
    }

    private void processOne() {
        boolean interrupt;
        synchronized (this) {
            pending = null;
            status &= ~STATUS_BUSY;
            if ((control & CONTROL_ENABLE) == 0 || head == tail || !ringValid()) {
                return;
            }
            long entry = ringBase + (long) head * COMMAND_SIZE;
            byte[] raw = new byte[COMMAND_SIZE];
            if (!dmaRead(entry, raw, 0, COMMAND_SIZE)) {
                halt();
                interrupt = raiseCause(INT_ERROR);
            } else {
                ByteBuffer command = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
                int result = execute(command);
                int outcome = command.getInt(28);
                if (outcome == COMMAND_DMA_ERROR || !dmaWrite(entry + 24, raw, 24, 8)) {
                    halt();
                    interrupt = raiseCause(INT_ERROR);
                } else {
                    head = (head + 1) & (ringSize - 1);
                    completed++;
                    interrupt = raiseCause(result == COMMAND_OK ? INT_DONE : INT_DONE | INT_ERROR);
                    kick();
                }
            }
        }
        if (interrupt) {
            signalInterrupt(0);
        }
    }

    // Execute one command; write its result and status into the command bytes; return the status.
    private int execute(ByteBuffer command) {
        int opcode = command.getInt(0);
        int length = command.getInt(4);
        long source = command.getLong(8);
        long destination = command.getLong(16);
        int outcome;
        int result = 0;
        if (length < 0 || length > MAX_LENGTH || (opcode != OP_COPY && opcode != OP_CHECKSUM)) {
            outcome = COMMAND_BAD;
        } else {
            byte[] data = new byte[length];
            if (!dmaRead(source, data, 0, length)) {
                outcome = COMMAND_DMA_ERROR;
            } else if (opcode == OP_COPY) {
                outcome = dmaWrite(destination, data, 0, length) ? COMMAND_OK : COMMAND_DMA_ERROR;
                result = length;
            } else {
                CRC32 crc = new CRC32();
                crc.update(data);
                result = (int) crc.getValue();
                outcome = COMMAND_OK;
            }
        }
        command.putInt(24, result);
        command.putInt(28, outcome);
        return outcome;
    }

    private void halt() {
        status = (status & ~STATUS_BUSY) | STATUS_HALTED;
    }

    // Set an interrupt cause; return true if the driver should be interrupted.
    private boolean raiseCause(int cause) {
        intStatus |= cause;
        return (control & CONTROL_INT_ENABLE) != 0;
    }

    private void resetEngine() {
        if (pending != null) {
            pending.cancel();
            pending = null;
        }
        control = 0;
        status = 0;
        intStatus = 0;
        ringBase = 0;
        ringSize = 0;
        head = 0;
        tail = 0;
        completed = 0;
        scratch = 0;
        latencyNanos = 1000;
    }

    @Override
    protected synchronized void reset() {
        resetEngine();
    }

    @Override
    protected synchronized void removed() {
        if (pending != null) {
            pending.cancel();
            pending = null;
        }
    }

    @Override
    protected void powerStateChanged(PciPowerState from, PciPowerState to) {
        if (to != PciPowerState.D0) {
            synchronized (this) {
                if (pending != null) {
                    pending.cancel();
                    pending = null;
                    status &= ~STATUS_BUSY;
                }
            }
        }
    }

    /** Return how many commands completed since reset (for tests). */
    public synchronized int completedCommands() {
        return completed;
    }
}
