package org.kextkit.kit.libkern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kextkit.kit.libkern.OSMalloc.*;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kextkit.kit.TestKernel;
import org.kextkit.kit.internal.KernelHeap;
import org.kextkit.kit.internal.KernelPanic;
import org.kextkit.kit.internal.KernelRuntime;
import org.kextkit.kit.internal.MemoryFault;

class OSMallocTest {
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
    void blocksAreChargedToTheirTagAndTheTagGoesWithTheLastOne() {
        OSMallocTag tag = OSMalloc_Tagalloc("com.example.driver", OSMT_DEFAULT);
        KernelBuffer block = OSMalloc(64, tag);
        assertEquals(tag, kernel.heap.allocationAt(block.address()).tag());
        assertEquals(2, tag.tagAccounting().refcount);

        OSMalloc_Tagfree(tag);
        assertEquals(1, tag.tagAccounting().liveBlocksAtTagfree, "freeing a tag with live blocks is recorded");
        OSFree(block, 64, tag);
        assertEquals(0, tag.tagAccounting().refcount);
        assertEquals(0, kernel.heap.liveAllocationCount(), "the tag itself went with its last block");
    }

    @Test
    void freeingATagTwicePanicsWithXnuWording() {
        OSMallocTag tag = OSMalloc_Tagalloc("twice", OSMT_DEFAULT);
        KernelBuffer keepsTagAlive = OSMalloc(8, tag);
        OSMalloc_Tagfree(tag);
        KernelPanic panic = assertThrows(KernelPanic.class, () -> OSMalloc_Tagfree(tag));
        assertEquals("OSMalloc_Tagfree():'twice' has bad state 0xDEAB0001", panic.getMessage());
        assertNotNull(keepsTagAlive);
    }

    @Test
    void allocatingWithAReleasedTagPanics() {
        OSMallocTag tag = OSMalloc_Tagalloc("released", OSMT_DEFAULT);
        KernelBuffer keepsTagAlive = OSMalloc(8, tag);
        OSMalloc_Tagfree(tag);
        KernelPanic panic = assertThrows(KernelPanic.class, () -> OSMalloc(8, tag));
        assertTrue(panic.getMessage().startsWith("OSMalloc_Tagref():'released' has bad state"), panic.getMessage());
        OSFree(keepsTagAlive, 8, tag);
    }

    @Test
    void osFreeWithTheWrongSizeOrTagIsAFault() {
        OSMallocTag a = OSMalloc_Tagalloc("a", OSMT_DEFAULT);
        OSMallocTag b = OSMalloc_Tagalloc("b", OSMT_DEFAULT);
        OSFree(OSMalloc(32, a), 16, a);
        assertEquals(MemoryFault.Kind.SIZE_MISMATCH, kernel.faults.get(0).kind());
        assertEquals("bad OSFree size 0x10 should be 0x20", kernel.faults.get(0).message());

        // As in XNU, the wrong tag loses a reference it never had: with only its creator's left, that panics.
        KernelBuffer block = OSMalloc(32, a);
        KernelPanic panic = assertThrows(KernelPanic.class, () -> OSFree(block, 32, b));
        assertEquals("OSMalloc_Tagrele():'b' has refcnt 0", panic.getMessage());
        assertEquals(MemoryFault.Kind.TAG_MISMATCH, kernel.faults.get(1).kind());
    }

    @Test
    void pageableTagsGivePageableLargeBlocksAndNothingWithoutBlocking() {
        OSMallocTag tag = OSMalloc_Tagalloc("pageable", OSMT_PAGEABLE);
        assertNull(OSMalloc_noblock(16, tag));
        KernelBuffer big = OSMalloc(8192, tag);
        assertEquals(-1, kernel.heap.allocationAt(big.address()).physicalAddress());
        assertEquals(KernelHeap.Allocator.OSMALLOC, kernel.heap.allocationAt(big.address()).allocator());
    }

    @Test
    void tagNamesAreCutTo63Characters() {
        assertEquals(63, OSMalloc_Tagalloc("x".repeat(100), OSMT_DEFAULT).getName().length());
    }
}
