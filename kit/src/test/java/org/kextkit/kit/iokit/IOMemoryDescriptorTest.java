package org.kextkit.kit.iokit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kextkit.kit.iokit.IOMemoryDescriptor.kIODirectionIn;
import static org.kextkit.kit.iokit.IOMemoryDescriptor.kIODirectionInOut;
import static org.kextkit.kit.iokit.IOMemoryDescriptor.kIODirectionOut;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kextkit.kit.TestKernel;
import org.kextkit.kit.internal.DeviceRegisters;
import org.kextkit.kit.internal.KernelPanic;
import org.kextkit.kit.internal.KernelRuntime;
import org.kextkit.kit.internal.MemoryFault;
import org.kextkit.kit.internal.SimulatedHeap;
import org.kextkit.kit.libkern.KernelBuffer;

class IOMemoryDescriptorTest {
    private static final int PAGE = SimulatedHeap.PAGE_SIZE;
    private final TestKernel kernel = new TestKernel();
    private KernelRuntime.Scope scope;

    @BeforeEach
    void enter() {
        scope = kernel.enter();
    }

    @AfterEach
    void leave() {
        scope.close();
        kernel.close();
    }

    /** The physical segments of a prepared descriptor, as a DMA engine's scatter-gather list. */
    private static List<long[]> segments(IOMemoryDescriptor descriptor) {
        List<long[]> list = new ArrayList<>();
        long[] length = new long[1];
        for (long offset = 0; offset < descriptor.getLength(); offset += length[0]) {
            long physical = descriptor.getPhysicalSegment(offset, length);
            list.add(new long[] {physical, length[0]});
        }
        return list;
    }

    @Test
    void aDeviceWritesABufferDescriptorThroughItsPhysicalSegments() {
        IOBufferMemoryDescriptor buffer = IOBufferMemoryDescriptor.withCapacity(3 * PAGE, kIODirectionIn);
        assertEquals(IOReturn.kIOReturnSuccess, buffer.prepare());
        List<long[]> sg = segments(buffer);
        assertTrue(sg.size() > 1, "ordinary wired memory is not physically contiguous");
        assertEquals(3L * PAGE, sg.stream().mapToLong(s -> s[1]).sum());

        // the "device" fills the buffer by DMA, segment by segment
        byte[] packet = new byte[3 * PAGE];
        for (int i = 0; i < packet.length; i++) {
            packet[i] = (byte) (i * 7);
        }
        int done = 0;
        for (long[] segment : sg) {
            kernel.heap.writePhysical(segment[0], packet, done, (int) segment[1]);
            done += (int) segment[1];
        }
        byte[] seen = new byte[packet.length];
        assertEquals(packet.length, buffer.readBytes(0, seen, 0, seen.length));
        assertArrayEquals(packet, seen);
        assertEquals(packet[PAGE + 3], buffer.getBytesNoCopy().read8(PAGE + 3));

        assertEquals(IOReturn.kIOReturnSuccess, buffer.complete());
        long address = buffer.getBytesNoCopy().address();
        buffer.release();
        assertNull(kernel.heap.allocationAt(address), "the descriptor's memory goes with it");
        assertTrue(kernel.faults.isEmpty(), () -> kernel.faults.toString());
    }

    @Test
    void aContiguousBufferIsOneSegment() {
        IOBufferMemoryDescriptor buffer = IOBufferMemoryDescriptor.withCapacity(4 * PAGE, kIODirectionOut, true);
        buffer.prepare();
        long[] length = new long[1];
        long physical = buffer.getPhysicalSegment(0, length);
        assertEquals(4L * PAGE, length[0]);
        assertEquals(0, physical % (4L * PAGE), "aligned to its size");
        buffer.complete();
        buffer.release();
    }

    @Test
    void physicalSegmentsOfAnUnpreparedDescriptorPanic() {
        IOBufferMemoryDescriptor buffer = IOBufferMemoryDescriptor.withCapacity(64, kIODirectionOut);
        KernelPanic panic = assertThrows(KernelPanic.class, () -> buffer.getPhysicalSegment(0, null));
        assertTrue(panic.getMessage().contains("is not prepared"), panic.getMessage());
        assertEquals(IOReturn.kIOReturnNotReady, buffer.complete(), "complete without prepare is refused");
        buffer.release();
    }

    @Test
    void pageableMemoryIsWiredOnlyBetweenPrepareAndComplete() {
        IOBufferMemoryDescriptor buffer = IOBufferMemoryDescriptor.withOptions(
                kIODirectionInOut | IOBufferMemoryDescriptor.kIOMemoryPageable, PAGE, PAGE);
        buffer.prepare();
        long physical = buffer.getPhysicalSegment(0, null);
        kernel.heap.writePhysical(physical, new byte[] {42}, 0, 1);
        assertEquals(42, buffer.getBytesNoCopy().read8(0));
        buffer.complete();
        kernel.heap.writePhysical(physical, new byte[] {1}, 0, 1);
        assertEquals(MemoryFault.Kind.BAD_PHYSICAL_ACCESS, kernel.faults.get(0).kind(),
                "DMA after complete() hits no memory");
        buffer.release();
    }

    @Test
    void freeingAPreparedDescriptorIsRecorded() {
        IOMemoryDescriptor descriptor = IOMemoryDescriptor.withAddress(IOLib.IOMalloc(128), 128, kIODirectionOut);
        descriptor.prepare();
        descriptor.release();
        assertTrue(descriptor.wasFreedWhilePrepared());
    }

    @Test
    void aMapOfKernelMemoryReadsAndWritesItAndFaultsAfterUnmap() {
        KernelBuffer memory = IOLib.IOMalloc(64);
        IOMemoryDescriptor descriptor = IOMemoryDescriptor.withAddress(memory, 64, kIODirectionInOut);
        IOMemoryMap map = descriptor.map();
        assertEquals(memory.address(), map.getVirtualAddress());
        map.write32(8, 0xcafef00d);
        assertEquals(0xcafef00d, memory.read32(8));
        memory.write64(16, 0x1122334455667788L);
        assertEquals(0x1122334455667788L, map.read64(16));

        map.read32(62);
        map.unmap();
        map.read8(0);
        assertEquals(2, kernel.faults.size());
        assertEquals(MemoryFault.Kind.UNMAPPED_ACCESS, kernel.faults.get(0).kind());
        assertTrue(kernel.faults.get(0).message().contains("the map is 0x40 bytes long"), kernel.faults.get(0).message());
        assertTrue(kernel.faults.get(1).message().contains("the map was unmapped"), kernel.faults.get(1).message());
        assertEquals(getClass().getName(), kernel.faults.get(1).accessSite().getClassName());
        map.release();
        descriptor.release();
        IOLib.IOFree(memory, 64);
    }

    /** A register file like a family's device model: 32-bit registers, a write to 0x10 echoes to 0x14. */
    private static final class EchoRegisters implements DeviceRegisters {
        final ByteBuffer bytes = ByteBuffer.allocate(0x100).order(ByteOrder.LITTLE_ENDIAN);

        @Override
        public byte read8(long offset) {
            return bytes.get((int) offset);
        }

        @Override
        public short read16(long offset) {
            return bytes.getShort((int) offset);
        }

        @Override
        public int read32(long offset) {
            return bytes.getInt((int) offset);
        }

        @Override
        public long read64(long offset) {
            return bytes.getLong((int) offset);
        }

        @Override
        public void write8(long offset, byte value) {
            bytes.put((int) offset, value);
        }

        @Override
        public void write16(long offset, short value) {
            bytes.putShort((int) offset, value);
        }

        @Override
        public void write32(long offset, int value) {
            bytes.putInt((int) offset, value);
            if (offset == 0x10) {
                bytes.putInt(0x14, value);
            }
        }

        @Override
        public void write64(long offset, long value) {
            bytes.putLong((int) offset, value);
        }
    }

    @Test
    void registerAccessesOnAMappedDeviceRangeReachTheDevice() {
        EchoRegisters device = new EchoRegisters();
        IODeviceMemory bar = IODeviceMemory.withRegisters(0xc0000000L, 0x100, device);
        assertEquals(device, bar.deviceRegisters(), "the family finds its registers again");
        IOMemoryMap registers = bar.map();
        assertTrue(Long.compareUnsigned(registers.getVirtualAddress(), SimulatedHeap.MAPPING_VIRTUAL_BASE) >= 0);
        assertEquals(0xc0000000L, registers.getPhysicalAddress());
        registers.write32(0x10, 0x5a5a0001);
        assertEquals(0x5a5a0001, registers.read32(0x14));

        IODeviceMemory window = IODeviceMemory.withSubRange(bar, 0x10, 0x10);
        IOMemoryMap windowMap = window.map();
        assertEquals(0x5a5a0001, windowMap.read32(0x4));
        assertEquals(0xc0000010L, window.getPhysicalAddress());
        assertNull(IODeviceMemory.withSubRange(bar, 0xf8, 0x10), "a sub-range must lie inside the range");

        registers.read32(0x100);
        assertEquals(MemoryFault.Kind.UNMAPPED_ACCESS, kernel.faults.get(0).kind());
    }

    @Test
    void withRangeOverRamReachesItByPhysicalAddress() {
        long[] physical = new long[1];
        KernelBuffer memory = IOLib.IOMallocContiguous(PAGE, PAGE, physical);
        memory.write32(0, 77);
        IOMemoryMap map = IODeviceMemory.withRange(physical[0], PAGE).map();
        assertEquals(77, map.read32(0));
        map.write16(4, (short) 9);
        assertEquals(9, memory.read16(4));
        IOLib.IOFreeContiguous(memory, PAGE);
    }

    @Test
    void aBufferIsFreedInItsOwnKernelWhicheverThreadReleasesIt() {
        IOBufferMemoryDescriptor buffer = IOBufferMemoryDescriptor.withCapacity(64, kIODirectionIn);
        long address = buffer.getBytesNoCopy().address();
        scope.close(); // a thread bound to no kernel drops the last reference
        try {
            buffer.release();
        } finally {
            scope = kernel.enter();
        }
        assertNull(kernel.heap.allocationAt(address));
        assertTrue(kernel.faults.isEmpty(), () -> kernel.faults.toString());
    }

    @Test
    void onlyTheKernelTaskHasBuffers() {
        assertNotNull(IOBufferMemoryDescriptor.inTaskWithOptions(null, kIODirectionIn, 16, 1));
        assertNull(IOBufferMemoryDescriptor.inTaskWithOptions(new Object(), kIODirectionIn, 16, 1));
        assertNull(IOBufferMemoryDescriptor.withCapacity(0, kIODirectionIn));
    }

    @Test
    void registerLogicCanBeTestedAgainstAMockedMap() {
        IOMemoryMap map = mock(IOMemoryMap.class);
        when(map.read32(0x08)).thenReturn(0x1); // "link up" bit
        IOService nub = mock(IOService.class);
        when(nub.mapDeviceMemoryWithIndex(0)).thenReturn(map);

        IOMemoryMap registers = nub.mapDeviceMemoryWithIndex(0);
        assertTrue((registers.read32(0x08) & 0x1) != 0);
        assertFalse((registers.read32(0x0c) & 0x1) != 0);
    }
}
