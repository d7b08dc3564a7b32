package org.kextkit.kit.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kextkit.kit.internal.KernelHeap.Allocator;
import org.kextkit.kit.internal.KernelHeap.Wiring;
import org.kextkit.kit.libkern.KernelBuffer;

class SimulatedHeapTest {
    private final List<MemoryFault> faults = new ArrayList<>();
    private final SimulatedHeap heap = new SimulatedHeap(faults::add);

    private KernelBuffer malloc(long size) {
        return heap.allocate(Allocator.IOMALLOC, size, 1, null, getClass());
    }

    private MemoryFault onlyFault() {
        assertEquals(1, faults.size(), () -> "faults: " + faults);
        return faults.get(0);
    }

    private static int lineOf(Runnable marker) {
        return new Throwable().getStackTrace()[1].getLineNumber();
    }

    @Test
    void allocationsGetKernelAddressesAlignedAsAskedAndReadBackWhatWasWritten() {
        KernelBuffer a = malloc(24);
        KernelBuffer b = heap.allocate(Allocator.IOMALLOC_ALIGNED, 100, 256, null, getClass());
        assertTrue(Long.compareUnsigned(a.address(), SimulatedHeap.KERNEL_VIRTUAL_BASE) >= 0);
        assertEquals(0, b.address() % 256);
        assertNotEquals(a.address(), b.address());

        a.write32(0, 0x11223344);
        a.write64(8, 0x0102030405060708L);
        a.write16(16, (short) 0xbeef);
        assertEquals(0x44, a.read8(0), "little-endian");
        assertEquals(0x11223344, a.read32(0));
        assertEquals(0x0102030405060708L, a.read64(8));
        assertEquals((short) 0xbeef, a.read16(16));
        assertEquals(0x3344, a.at(0).read16(0));
        assertEquals(0x1122, a.at(2).read16(0), "an interior pointer reads from its own offset");
        assertEquals(2, heap.liveAllocationCount());
        assertTrue(faults.isEmpty());
    }

    @Test
    void overrunIsReportedWithItsSizeAddressAndBothSites() {
        KernelBuffer buffer = heap.allocate(Allocator.IOMALLOC, 32, 1, null, getClass());
        int allocationLine = lineOf(null) - 1;
        buffer.read32(30);
        int accessLine = lineOf(null) - 1;

        MemoryFault fault = onlyFault();
        assertEquals(MemoryFault.Kind.OUT_OF_BOUNDS, fault.kind());
        assertTrue(fault.message().startsWith("KASAN: heap-buffer-overflow: Read of size 4 at addr 0x"), fault.message());
        assertTrue(fault.message().contains("2 bytes to the right of 32-byte region"), fault.message());
        assertEquals(buffer.address() + 30, fault.faultAddress());
        assertEquals(getClass().getName(), fault.accessSite().getClassName());
        assertEquals(accessLine, fault.accessSite().getLineNumber());
        assertEquals(allocationLine, fault.allocationSite().getLineNumber());
    }

    @Test
    void underrunThroughAnInteriorPointerIsReported() {
        KernelBuffer buffer = malloc(16);
        buffer.at(4).read32(-2);
        assertTrue(faults.isEmpty(), "still inside the block");
        buffer.at(4).write8(-5, (byte) 1);
        assertTrue(onlyFault().message().contains("heap-buffer-underflow: Write of size 1"), onlyFault().message());
    }

    @Test
    void useAfterFreeNamesTheFreeSite() {
        KernelBuffer buffer = malloc(16);
        heap.free(Allocator.IOMALLOC, buffer, 16, null, getClass());
        int freeLine = lineOf(null) - 1;
        buffer.write32(4, 7);

        MemoryFault fault = onlyFault();
        assertEquals(MemoryFault.Kind.USE_AFTER_FREE, fault.kind());
        assertTrue(fault.message().startsWith("KASAN: use-after-free: Write of size 4"), fault.message());
        assertEquals(freeLine, fault.freeSite().getLineNumber());
        assertEquals(0, buffer.read32(4), "a faulting read yields zero when the handler carries on");
    }

    @Test
    void doubleFreeIsReportedAndDoesNotChangeTheLiveCount() {
        KernelBuffer buffer = malloc(16);
        heap.free(Allocator.IOMALLOC, buffer, 16, null, getClass());
        heap.free(Allocator.IOMALLOC, buffer, 16, null, getClass());
        MemoryFault fault = onlyFault();
        assertEquals(MemoryFault.Kind.DOUBLE_FREE, fault.kind());
        assertTrue(fault.message().startsWith("double free of 0x"), fault.message());
        assertNotNull(fault.freeSite());
        assertEquals(0, heap.liveAllocationCount());
    }

    @Test
    void freeSizeMismatchIsWordedLikeIoTracking() {
        KernelBuffer buffer = malloc(0x20);
        heap.free(Allocator.IOMALLOC, buffer, 0x10, null, getClass());
        assertEquals(MemoryFault.Kind.SIZE_MISMATCH, onlyFault().kind());
        assertEquals("bad IOFree size 0x10 should be 0x20", onlyFault().message());
        assertEquals(0, heap.liveAllocationCount(), "the block is freed all the same, so it is not also a leak");
    }

    @Test
    void freeWithAnotherAllocatorsFunctionIsAMismatch() {
        KernelBuffer buffer = heap.allocate(Allocator.IOMALLOC_ALIGNED, 64, 64, null, getClass());
        heap.free(Allocator.IOMALLOC, buffer, 64, null, getClass());
        assertEquals(MemoryFault.Kind.ALLOCATOR_MISMATCH, onlyFault().kind());
        assertTrue(onlyFault().message().contains("free it with IOFreeAligned"), onlyFault().message());
    }

    @Test
    void interiorPointerAndForeignPointerFreesAreInvalid() {
        KernelBuffer buffer = malloc(64);
        heap.free(Allocator.IOMALLOC, buffer.at(8), 56, null, getClass());
        KernelBuffer foreign = new SimulatedHeap(faults::add).allocate(Allocator.IOMALLOC, 8, 1, null, null);
        heap.free(Allocator.IOMALLOC, foreign, 8, null, getClass());

        assertEquals(2, faults.size());
        assertEquals(MemoryFault.Kind.INVALID_FREE, faults.get(0).kind());
        assertTrue(faults.get(0).message().contains("8 bytes inside a 64-byte block"), faults.get(0).message());
        assertEquals(MemoryFault.Kind.INVALID_FREE, faults.get(1).kind());
        assertEquals(1, heap.liveAllocationCount(), "an invalid free frees nothing");
    }

    @Test
    void osFreeWithAnotherTagIsATagMismatch() {
        KernelBuffer buffer = heap.allocate(Allocator.OSMALLOC, 8, 1, "com.example.tagA", getClass());
        heap.free(Allocator.OSMALLOC, buffer, 8, "com.example.tagB", getClass());
        assertEquals(MemoryFault.Kind.TAG_MISMATCH, onlyFault().kind());
        assertTrue(onlyFault().message().contains("'com.example.tagA'"), onlyFault().message());
    }

    @Test
    void zeroSizeAllocationsAreRecordedAndAnyAccessFaults() {
        KernelBuffer empty = malloc(0);
        assertNotNull(empty);
        assertEquals(1, heap.zeroSizeAllocationCount());
        assertEquals(0, heap.liveAllocations().get(0).size());
        empty.read8(0);
        assertEquals(MemoryFault.Kind.OUT_OF_BOUNDS, onlyFault().kind());
    }

    @Test
    void liveAllocationsNameAllocatorCallerAndSite() {
        heap.allocate(Allocator.IOMALLOC_DATA, 48, 1, null, String.class);
        HeapAllocation allocation = heap.liveAllocations().get(0);
        assertEquals(Allocator.IOMALLOC_DATA, allocation.allocator());
        assertEquals(48, allocation.size());
        assertEquals(String.class, allocation.caller());
        assertEquals(getClass().getName(), allocation.site().getClassName());
        assertTrue(allocation.physicalAddress() >= SimulatedHeap.PHYSICAL_BASE);
    }

    @Test
    void dmaReachesWiredMemoryThroughItsPhysicalAddress() {
        KernelBuffer buffer = heap.allocate(Allocator.IOMALLOC_CONTIGUOUS, 3 * SimulatedHeap.PAGE_SIZE,
                SimulatedHeap.PAGE_SIZE, null, getClass());
        long physical = heap.physicalAddress(buffer, 0);
        assertEquals(physical + SimulatedHeap.PAGE_SIZE + 5, heap.physicalAddress(buffer, SimulatedHeap.PAGE_SIZE + 5),
                "contiguous memory is physically contiguous");

        byte[] packet = new byte[SimulatedHeap.PAGE_SIZE + 100];
        for (int i = 0; i < packet.length; i++) {
            packet[i] = (byte) i;
        }
        heap.writePhysical(physical + 10, packet, 0, packet.length);
        assertEquals((byte) 0, buffer.read8(10));
        assertEquals((byte) 99, buffer.read8(10 + 99));
        assertEquals((byte) (SimulatedHeap.PAGE_SIZE + 99), buffer.read8(10 + SimulatedHeap.PAGE_SIZE + 99));

        byte[] back = new byte[packet.length];
        heap.readPhysical(physical + 10, back, 0, back.length);
        assertArrayEquals(packet, back);
        assertTrue(faults.isEmpty());
    }

    @Test
    void nonContiguousMemoryIsNotPhysicallyContiguousAcrossPages() {
        KernelBuffer buffer = heap.allocate(Allocator.IOMALLOC, 2 * SimulatedHeap.PAGE_SIZE, SimulatedHeap.PAGE_SIZE,
                null, getClass());
        long first = heap.physicalAddress(buffer, 0);
        long second = heap.physicalAddress(buffer, SimulatedHeap.PAGE_SIZE);
        assertNotEquals(first + SimulatedHeap.PAGE_SIZE, second);

        byte[] across = new byte[16];
        heap.readPhysical(first + SimulatedHeap.PAGE_SIZE - 8, across, 0, across.length);
        assertEquals(MemoryFault.Kind.BAD_PHYSICAL_ACCESS, onlyFault().kind(),
                "a DMA that assumes contiguity runs off the page");
    }

    @Test
    void dmaIntoFreedMemoryIsAUseAfterFree() {
        KernelBuffer buffer = heap.allocate(Allocator.IOMALLOC_CONTIGUOUS, 64, 64, null, getClass());
        long physical = heap.physicalAddress(buffer, 0);
        heap.free(Allocator.IOMALLOC_CONTIGUOUS, buffer, 64, null, getClass());
        heap.writePhysical(physical, new byte[4], 0, 4);
        assertEquals(MemoryFault.Kind.USE_AFTER_FREE, onlyFault().kind());
        assertTrue(onlyFault().message().startsWith("DMA write of 4 bytes"), onlyFault().message());
    }

    @Test
    void pageableMemoryHasAPhysicalAddressOnlyWhileWired() {
        KernelBuffer buffer = heap.allocate(Allocator.IOMALLOC_PAGEABLE, 128, 1, null, getClass());
        heap.physicalAddress(buffer, 0);
        assertEquals(MemoryFault.Kind.NOT_WIRED, onlyFault().kind());

        heap.wire(buffer);
        long physical = heap.physicalAddress(buffer, 0);
        assertTrue(physical >= SimulatedHeap.PHYSICAL_BASE);
        heap.unwire(buffer);
        heap.readPhysical(physical, new byte[4], 0, 4);
        assertEquals(2, faults.size());
        assertEquals(MemoryFault.Kind.BAD_PHYSICAL_ACCESS, faults.get(1).kind());
    }

    @Test
    void contiguousPlacementCanBeAskedOfAnyAllocator() {
        KernelBuffer buffer = heap.allocate(Allocator.BUFFER_MEMORY_DESCRIPTOR, 2 * SimulatedHeap.PAGE_SIZE, 1, null,
                getClass(), Wiring.CONTIGUOUS);
        assertEquals(heap.physicalAddress(buffer, 0) + SimulatedHeap.PAGE_SIZE,
                heap.physicalAddress(buffer, SimulatedHeap.PAGE_SIZE));
    }

    @Test
    void theDefaultHandlerThrowsWithTheMessageAndSites() {
        SimulatedHeap throwing = new SimulatedHeap();
        KernelBuffer buffer = throwing.allocate(Allocator.IOMALLOC, 8, 1, null, null);
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> buffer.read64(4));
        assertTrue(thrown.getMessage().startsWith("KASAN: heap-buffer-overflow"), thrown.getMessage());
        assertTrue(thrown.getMessage().contains("allocated by IOMalloc at " + getClass().getName()), thrown.getMessage());
    }

    @Test
    void impossibleSizesFailLikeAnAllocatorOutOfMemory() {
        assertNull(malloc(-1));
        assertNull(malloc(1L << 40));
    }
}
