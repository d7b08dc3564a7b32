package org.kextkit.hardware.pci;

import org.kextkit.kit.internal.DeviceRegisters;

/**
 * The register window of one BAR: routes a driver's reads and writes to the model's handler while
 * the function decodes the BAR's space, and otherwise answers as an unclaimed bus cycle does (reads
 * return all ones, writes are dropped). Accesses outside the BAR answer the same way.
 */
final class BarRegisters implements DeviceRegisters {
    private final RegisterHandler handler;
    private final long size;
    // Written by PciFunction whenever the command register, power state or presence changes.
    volatile boolean decoding;

    BarRegisters(RegisterHandler handler, long size) {
        this.handler = handler;
        this.size = size;
    }

    private boolean claims(long offset, int width) {
        return decoding && offset >= 0 && offset <= size - width;
    }

    @Override
    public byte read8(long offset) {
        return claims(offset, 1) ? (byte) handler.read(offset, 1) : (byte) 0xFF;
    }

    @Override
    public short read16(long offset) {
        return claims(offset, 2) ? (short) handler.read(offset, 2) : (short) 0xFFFF;
    }

    @Override
    public int read32(long offset) {
        return claims(offset, 4) ? (int) handler.read(offset, 4) : 0xFFFF_FFFF;
    }

    @Override
    public long read64(long offset) {
        return claims(offset, 8) ? handler.read(offset, 8) : -1L;
    }

    @Override
    public void write8(long offset, byte value) {
        if (claims(offset, 1)) {
            handler.write(offset, 1, value & 0xFFL);
        }
    }

    @Override
    public void write16(long offset, short value) {
        if (claims(offset, 2)) {
            handler.write(offset, 2, value & 0xFFFFL);
        }
    }

    @Override
    public void write32(long offset, int value) {
        if (claims(offset, 4)) {
            handler.write(offset, 4, value & 0xFFFF_FFFFL);
        }
    }

    @Override
    public void write64(long offset, long value) {
        if (claims(offset, 8)) {
            handler.write(offset, 8, value);
        }
    }
}
