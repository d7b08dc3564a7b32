package org.kextkit.hardware.pci.models;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.kextkit.hardware.pci.PciBar;
import org.kextkit.hardware.pci.PciDeviceModel;
import org.kextkit.hardware.pci.PciIdentity;
import org.kextkit.hardware.pci.RegisterHandler;
import org.kextkit.kit.internal.KernelScheduler;

/**
 * An Ethernet controller with transmit and receive descriptor rings, link state and interrupts;
 * a test injects received frames with {@link #receive} and reads transmitted ones with
 * {@link #transmittedFrames}. Machine-file model name {@code nic}; identity vendor 0x1234, device
 * 0x0e7e, class 0x020000 (Ethernet controller), so its nub is named {@code ethernet}; two MSI
 * vectors (0: receive and link, 1: transmit), which collapse onto vector 0 if software enables one.
 *
 * <p>Registers (BAR 0, 4 KiB of 32-bit memory space; 32-bit accesses):
 * <table>
 * <caption>NIC registers</caption>
 * <tr><th>Offset</th><th>Name</th><th>Access</th><th>Meaning</th></tr>
 * <tr><td>0x00</td><td>CTRL</td><td>RW</td><td>bit 0 RX_ENABLE, bit 1 TX_ENABLE, bit 2 RESET (self-clearing)</td></tr>
 * <tr><td>0x04</td><td>STATUS</td><td>RO</td><td>bit 0 LINK_UP</td></tr>
 * <tr><td>0x08</td><td>INT_STATUS</td><td>W1C</td><td>bit 0 RX, bit 1 TX, bit 2 LINK (changed), bit 3 RX_NO_BUFFER</td></tr>
 * <tr><td>0x0C</td><td>INT_MASK</td><td>RW</td><td>the INT_STATUS bits that interrupt</td></tr>
 * <tr><td>0x10</td><td>MAC_LO</td><td>RO</td><td>MAC address bytes 0-3 (byte 0 in bits 7:0)</td></tr>
 * <tr><td>0x14</td><td>MAC_HI</td><td>RO</td><td>MAC address bytes 4-5</td></tr>
 * <tr><td>0x20/0x24</td><td>TX_BASE_LO/HI</td><td>RW</td><td>physical address of the transmit ring</td></tr>
 * <tr><td>0x28</td><td>TX_SIZE</td><td>RW</td><td>transmit ring entries (power of two, 1 to 4096)</td></tr>
 * <tr><td>0x2C</td><td>TX_HEAD</td><td>RO</td><td>next descriptor the NIC will send</td></tr>
 * <tr><td>0x30</td><td>TX_TAIL</td><td>RW</td><td>doorbell: one past the last descriptor software queued</td></tr>
 * <tr><td>0x40/0x44</td><td>RX_BASE_LO/HI</td><td>RW</td><td>physical address of the receive ring</td></tr>
 * <tr><td>0x48</td><td>RX_SIZE</td><td>RW</td><td>receive ring entries (power of two, 1 to 4096)</td></tr>
 * <tr><td>0x4C</td><td>RX_HEAD</td><td>RO</td><td>next descriptor the NIC will fill</td></tr>
 * <tr><td>0x50</td><td>RX_TAIL</td><td>RW</td><td>one past the last empty buffer software gave the NIC</td></tr>
 * <tr><td>0x60</td><td>TX_PACKETS</td><td>RO</td><td>frames sent</td></tr>
 * <tr><td>0x64</td><td>RX_PACKETS</td><td>RO</td><td>frames received into buffers</td></tr>
 * <tr><td>0x68</td><td>RX_DROPPED</td><td>RO</td><td>frames dropped (receiver off, link down, no buffer, too long, DMA error)</td></tr>
 * </table>
 *
 * <p>A descriptor is 16 bytes, little-endian: buffer address (u64 at 0), length (u16 at 8: the frame
 * length for transmit; the buffer size, overwritten with the frame length, for receive), flags (u16
 * at 10, written by the NIC: bit 0 DONE, bit 1 ERROR), 4 reserved bytes. The NIC owns descriptors from
 * HEAD up to (not including) TAIL. Sending takes 8 ns of kernel time per byte (1 Gb/s).
 */
public final class NicDevice extends PciDeviceModel {
    /** The model's identity. */
    public static final PciIdentity IDENTITY = new PciIdentity(0x1234, 0x0e7e, 0x1234, 0x0002, 0x020000, 0x01);

    /** Register offsets. */
    public static final int CTRL = 0x00;
    public static final int STATUS = 0x04;
    public static final int INT_STATUS = 0x08;
    public static final int INT_MASK = 0x0C;
    public static final int MAC_LO = 0x10;
    public static final int MAC_HI = 0x14;
    public static final int TX_BASE_LO = 0x20;
    public static final int TX_BASE_HI = 0x24;
    public static final int TX_SIZE = 0x28;
    public static final int TX_HEAD = 0x2C;
    public static final int TX_TAIL = 0x30;
    public static final int RX_BASE_LO = 0x40;
    public static final int RX_BASE_HI = 0x44;
    public static final int RX_SIZE = 0x48;
    public static final int RX_HEAD = 0x4C;
    public static final int RX_TAIL = 0x50;
    public static final int TX_PACKETS = 0x60;
    public static final int RX_PACKETS = 0x64;
    public static final int RX_DROPPED = 0x68;

    /** Register bits. */
    public static final int CTRL_RX_ENABLE = 0x1;
    public static final int CTRL_TX_ENABLE = 0x2;
    public static final int CTRL_RESET = 0x4;
    public static final int STATUS_LINK_UP = 0x1;
    public static final int INT_RX = 0x1;
    public static final int INT_TX = 0x2;
    public static final int INT_LINK = 0x4;
    public static final int INT_RX_NO_BUFFER = 0x8;

    /** Descriptor layout. */
    public static final int DESCRIPTOR_SIZE = 16;
    public static final int FLAG_DONE = 0x1;
    public static final int FLAG_ERROR = 0x2;
    /** The longest frame the NIC sends or receives (a jumbo frame). */
    public static final int MAX_FRAME = 9018;

    private static final long NANOS_PER_BYTE = 8;

    private final byte[] mac;
    private final List<byte[]> transmitted = new ArrayList<>();
    private boolean linkUp = true;
    private int ctrl;
    private int intStatus;
    private int intMask;
    private final Ring tx = new Ring();
    private final Ring rx = new Ring();
    private int txPackets;
    private int rxPackets;
    private int rxDropped;
    private KernelScheduler.Callout sending;

    /** The RX and TX descriptor rings the NIC is enabled to use: it writes received frames through the first. */
    @Override
    public synchronized List<DmaWindow> programmedDma() {
        List<DmaWindow> windows = new ArrayList<>(2);
        if ((ctrl & CTRL_RX_ENABLE) != 0 && rx.valid() && rx.base != 0) {
            windows.add(new DmaWindow("RX descriptor ring (" + rx.size + " entries, receive enabled)", rx.base,
                    (long) rx.size * DESCRIPTOR_SIZE));
        }
        if ((ctrl & CTRL_TX_ENABLE) != 0 && tx.valid() && tx.base != 0) {
            windows.add(new DmaWindow("TX descriptor ring (" + tx.size + " entries, transmit enabled)", tx.base,
                    (long) tx.size * DESCRIPTOR_SIZE));
        }
        return windows;
    }

    /** A descriptor ring's registers. */
    private static final class Ring {
        long base;
        int size;
        int head;
        int tail;

        boolean valid() {
            return size >= 1 && size <= 4096 && Integer.bitCount(size) == 1 && tail >= 0 && tail < size;
        }

        long entry(int index) {
            return base + (long) index * DESCRIPTOR_SIZE;
        }

        void clear() {
            base = 0;
            size = 0;
            head = 0;
            tail = 0;
        }
    }

    /** Create a NIC with the MAC address 02:6b:6b:00:00:01. */
    public NicDevice() {
        this(new byte[] {0x02, 0x6b, 0x6b, 0x00, 0x00, 0x01});
    }

    /** Create a NIC with the given 6-byte MAC address. */
    public NicDevice(byte[] macAddress) {
        super(IDENTITY);
        if (macAddress.length != 6) {
            throw new IllegalArgumentException("a MAC address has 6 bytes, not " + macAddress.length);
        }
        this.mac = macAddress.clone();
        declareBar(0, PciBar.memory32(4096), new RegisterHandler() {
            @Override
            public long read(long offset, int width) {
                return readRegister((int) offset) & 0xFFFF_FFFFL;
            }

            @Override
            public void write(long offset, int width, long value) {
                writeRegister((int) offset, (int) value);
            }
        });
        declareMsi(2);
    }

    @Override
    public String modelName() {
        return "nic";
    }

    private synchronized int readRegister(int offset) {
        switch (offset) {
            case CTRL: return ctrl;
            case STATUS: return linkUp ? STATUS_LINK_UP : 0;
            case INT_STATUS: return intStatus;
            case INT_MASK: return intMask;
            case MAC_LO: return (mac[0] & 0xFF) | (mac[1] & 0xFF) << 8 | (mac[2] & 0xFF) << 16 | (mac[3] & 0xFF) << 24;
            case MAC_HI: return (mac[4] & 0xFF) | (mac[5] & 0xFF) << 8;
            case TX_BASE_LO: return (int) tx.base;
            case TX_BASE_HI: return (int) (tx.base >>> 32);
            case TX_SIZE: return tx.size;
            case TX_HEAD: return tx.head;
            case TX_TAIL: return tx.tail;
            case RX_BASE_LO: return (int) rx.base;
            case RX_BASE_HI: return (int) (rx.base >>> 32);
            case RX_SIZE: return rx.size;
            case RX_HEAD: return rx.head;
            case RX_TAIL: return rx.tail;
            case TX_PACKETS: return txPackets;
            case RX_PACKETS: return rxPackets;
            case RX_DROPPED: return rxDropped;
            default: return 0;
        }
    }

    private void writeRegister(int offset, int value) {
        int vector = -1;
        boolean deassert = false;
        synchronized (this) {
            switch (offset) {
                case CTRL:
                    if ((value & CTRL_RESET) != 0) {
                        resetNic();
                        deassert = true;
                    } else {
                        ctrl = value & (CTRL_RX_ENABLE | CTRL_TX_ENABLE);
                        startSending();
                    }
                    break;
                case INT_STATUS:
                    intStatus &= ~value;
                    deassert = (intStatus & intMask) == 0;
                    break;
                case INT_MASK:
                    intMask = value & (INT_RX | INT_TX | INT_LINK | INT_RX_NO_BUFFER);
                    deassert = (intStatus & intMask) == 0;
                    vector = deassert ? -1 : vectorFor(intStatus & intMask);
                    break;
                case TX_BASE_LO: tx.base = (tx.base & 0xFFFF_FFFF_0000_0000L) | (value & 0xFFFF_FFFFL); break;
                case TX_BASE_HI: tx.base = (tx.base & 0xFFFF_FFFFL) | ((long) value << 32); break;
                case TX_SIZE: tx.size = value; break;
                case TX_TAIL:
                    tx.tail = value;
                    startSending();
                    break;
                case RX_BASE_LO: rx.base = (rx.base & 0xFFFF_FFFF_0000_0000L) | (value & 0xFFFF_FFFFL); break;
                case RX_BASE_HI: rx.base = (rx.base & 0xFFFF_FFFFL) | ((long) value << 32); break;
                case RX_SIZE: rx.size = value; break;
                case RX_TAIL: rx.tail = value; break;
                default: break;
            }
        }
        if (deassert) {
            deassertIntx();
        } else if (vector >= 0) {
            signalInterrupt(vector);
        }
    }

    private static int vectorFor(int causes) {
        return (causes & (INT_RX | INT_LINK | INT_RX_NO_BUFFER)) != 0 ? 0 : 1;
    }

    // Caller holds the lock.
    private void startSending() {
        if (sending != null || (ctrl & CTRL_TX_ENABLE) == 0 || !tx.valid() || tx.head == tx.tail) {
            return;
        }
        byte[] raw = new byte[DESCRIPTOR_SIZE];
        int length = dmaRead(tx.entry(tx.head), raw, 0, DESCRIPTOR_SIZE)
                ? ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).getShort(8) & 0xFFFF : 0;
        sending = scheduleEvent("transmit", Math.max(1, length) * NANOS_PER_BYTE, this::sendOne);
    }

    private void sendOne() {
        boolean interrupt;
        synchronized (this) {
            sending = null;
            if ((ctrl & CTRL_TX_ENABLE) == 0 || !tx.valid() || tx.head == tx.tail) {
                return;
            }
            long entry = tx.entry(tx.head);
            byte[] raw = new byte[DESCRIPTOR_SIZE];
            ByteBuffer descriptor = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
            int flags = FLAG_DONE;
            if (dmaRead(entry, raw, 0, DESCRIPTOR_SIZE)) {
                long address = descriptor.getLong(0);
                int length = descriptor.getShort(8) & 0xFFFF;
                byte[] frame = new byte[length];
                if (length == 0 || length > MAX_FRAME || !dmaRead(address, frame, 0, length)) {
                    flags |= FLAG_ERROR;
                } else if (linkUp) {
                    transmitted.add(frame);
                    txPackets++;
                }
                descriptor.putShort(10, (short) flags);
                dmaWrite(entry + 8, raw, 8, 4);
            }
            // A descriptor that cannot even be read is skipped, as a NIC reports it in the ring's error bits.
            tx.head = (tx.head + 1) & (tx.size - 1);
            interrupt = cause(INT_TX);
            startSending();
        }
        if (interrupt) {
            signalInterrupt(1);
        }
    }

    // Set a cause; return true if it is unmasked. Caller holds the lock.
    private boolean cause(int bits) {
        intStatus |= bits;
        return (intMask & bits) != 0;
    }

    /**
     * Deliver a frame from the wire: if the receiver is on, the link is up and software gave the NIC
     * a buffer big enough, the frame is written into it by DMA and the NIC interrupts; otherwise the
     * frame is dropped and counted. Return true if the frame reached a buffer.
     */
    public boolean receive(byte[] frame) {
        boolean delivered = false;
        boolean interrupt;
        synchronized (this) {
            if (function() == null || !function().isPresent() || (ctrl & CTRL_RX_ENABLE) == 0 || !linkUp || !rx.valid()) {
                rxDropped++;
                return false;
            }
            if (rx.head == rx.tail) {
                rxDropped++;
                interrupt = cause(INT_RX_NO_BUFFER);
            } else {
                long entry = rx.entry(rx.head);
                byte[] raw = new byte[DESCRIPTOR_SIZE];
                ByteBuffer descriptor = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
                if (!dmaRead(entry, raw, 0, DESCRIPTOR_SIZE)) {
                    rxDropped++;
                    return false;
                }
                int capacity = descriptor.getShort(8) & 0xFFFF;
                int flags = FLAG_DONE;
                if (frame.length > capacity || frame.length > MAX_FRAME
                        || !dmaWrite(descriptor.getLong(0), frame, 0, frame.length)) {
                    flags |= FLAG_ERROR;
                    rxDropped++;
                    descriptor.putShort(8, (short) 0);
                } else {
                    descriptor.putShort(8, (short) frame.length);
                    rxPackets++;
                    delivered = true;
                }
                descriptor.putShort(10, (short) flags);
                dmaWrite(entry + 8, raw, 8, 4);
                rx.head = (rx.head + 1) & (rx.size - 1);
                interrupt = cause(INT_RX);
            }
        }
        if (interrupt) {
            signalInterrupt(0);
        }
        return delivered;
    }

    /** Flap the link: the cable is pulled out and plugged in again, each raising a LINK interrupt. */
    @Override
    public void exercise() {
        boolean wasUp;
        synchronized (this) {
            wasUp = linkUp;
        }
        setLinkUp(!wasUp);
        setLinkUp(wasUp);
    }

    /** Plug the cable in or pull it out; the NIC raises a LINK interrupt when the state changes. */
    public void setLinkUp(boolean up) {
        boolean interrupt;
        synchronized (this) {
            if (linkUp == up) {
                return;
            }
            linkUp = up;
            interrupt = cause(INT_LINK);
        }
        if (interrupt) {
            signalInterrupt(0);
        }
    }

    /** Return the frames the NIC has sent while the link was up, oldest first. */
    public synchronized List<byte[]> transmittedFrames() {
        List<byte[]> copy = new ArrayList<>(transmitted.size());
        for (byte[] frame : transmitted) {
            copy.add(frame.clone());
        }
        return copy;
    }

    /** Return the MAC address. */
    public byte[] macAddress() {
        return mac.clone();
    }

    private void resetNic() {
        if (sending != null) {
            sending.cancel();
            sending = null;
        }
        ctrl = 0;
        intStatus = 0;
        intMask = 0;
        tx.clear();
        rx.clear();
        txPackets = 0;
        rxPackets = 0;
        rxDropped = 0;
    }

    @Override
    protected synchronized void reset() {
        resetNic();
    }

    @Override
    protected synchronized void removed() {
        if (sending != null) {
            sending.cancel();
            sending = null;
        }
    }
}
