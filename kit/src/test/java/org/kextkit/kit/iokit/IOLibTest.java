package org.kextkit.kit.iokit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kextkit.kit.iokit.IOLib.*;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kextkit.kit.TestKernel;
import org.kextkit.kit.internal.KernelHeap.Allocator;
import org.kextkit.kit.internal.KernelRuntime;
import org.kextkit.kit.internal.MemoryFault;
import org.kextkit.kit.libkern.KernelBuffer;

class IOLibTest {
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

    @Test
    void eachAllocatorIsPairedWithItsOwnFree() {
        KernelBuffer plain = IOMalloc(32);
        KernelBuffer zero = IOMallocZero(32);
        KernelBuffer data = IOMallocData(32);
        KernelBuffer aligned = IOMallocAligned(100, 64);
        long[] physical = new long[1];
        KernelBuffer contiguous = IOMallocContiguous(8192, 4096, physical);
        KernelBuffer pageable = IOMallocPageable(8192, 4096);
        assertEquals(0, aligned.address() % 64);
        assertEquals(kernel.heap.physicalAddress(contiguous, 0), physical[0]);
        assertEquals(0, zero.read64(24));
        assertEquals(6, kernel.heap.liveAllocationCount());
        assertEquals(getClass(), kernel.heap.allocationAt(plain.address()).caller(), "attributed to the caller");

        IOFree(plain, 32);
        IOFree(zero, 32);
        IOFreeData(data, 32);
        IOFreeAligned(aligned, 100);
        IOFreeContiguous(contiguous, 8192);
        IOFreePageable(pageable, 8192);
        IOFree(null, 32);
        assertEquals(0, kernel.heap.liveAllocationCount());
        assertTrue(kernel.faults.isEmpty(), () -> kernel.faults.toString());
    }

    @Test
    void crossingAllocatorsOrSizesIsCaughtAtTheDriversLine() {
        KernelBuffer aligned = IOMallocAligned(64, 64);
        IOFree(aligned, 64);
        int line = new Throwable().getStackTrace()[0].getLineNumber() - 1;
        MemoryFault fault = kernel.faults.get(0);
        assertEquals(MemoryFault.Kind.ALLOCATOR_MISMATCH, fault.kind());
        assertEquals(line, fault.accessSite().getLineNumber());
        assertEquals(Allocator.IOMALLOC_ALIGNED, fault.allocator());

        KernelBuffer data = IOMallocData(16);
        IOFreeData(data, 8);
        assertEquals("bad IOFreeData size 0x8 should be 0x10", kernel.faults.get(1).message());
    }

    @Test
    void withNoKernelTheStandaloneHeapThrows() {
        scope.close();
        try {
            KernelBuffer buffer = IOMalloc(8);
            IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> IOFree(buffer, 16));
            assertTrue(thrown.getMessage().startsWith("bad IOFree size 0x10 should be 0x8"), thrown.getMessage());
        } finally {
            scope = kernel.enter();
        }
    }

    @Test
    void ioLogReachesTheKernelLog() {
        IOLog("probe: vendor 0x%04x", 0x8086);
        assertEquals("probe: vendor 0x8086", kernel.log.get(0));
    }

    @Test
    void sleepsAndDelaysFollowTheKernelClock() {
        long before = clock_get_uptime();
        IOSleep(1);
        IODelay(10);
        IOPause(100);
        assertTrue(clock_get_uptime() >= before + 1_000_000 + 10_000 + 100);
        assertNotNull(kernel.scheduler);
    }
}
