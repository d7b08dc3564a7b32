package org.kextkit.kit.libkern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kextkit.kit.libkern.Locks.*;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kextkit.kit.TestKernel;
import org.kextkit.kit.internal.KernelPanic;
import org.kextkit.kit.internal.KernelRuntime;
import org.kextkit.kit.internal.MemoryFault;

class MachLocksTest {
    private final TestKernel kernel = new TestKernel();
    private KernelRuntime.Scope scope;
    private LckGrp group;
    private LckAttr attr;

    @BeforeEach
    void setUp() {
        scope = kernel.enter();
        LckGrpAttr groupAttr = lck_grp_attr_alloc_init();
        group = lck_grp_alloc_init("com.example.driver", groupAttr);
        lck_grp_attr_free(groupAttr);
        attr = lck_attr_alloc_init();
    }

    @AfterEach
    void tearDown() {
        scope.close();
        kernel.close();
    }

    private boolean onOtherThread(java.util.function.BooleanSupplier body) throws InterruptedException {
        AtomicBoolean result = new AtomicBoolean();
        Thread thread = new Thread(() -> {
            try (KernelRuntime.Scope inner = kernel.enter()) {
                result.set(body.getAsBoolean());
            }
        });
        thread.start();
        thread.join(TimeUnit.SECONDS.toMillis(10));
        assertFalse(thread.isAlive());
        return result.get();
    }

    @Test
    void aFullLifecycleLeavesNothingInTheHeap() {
        int before = kernel.heap.liveAllocationCount();
        LckMtx mutex = lck_mtx_alloc_init(group, attr);
        lck_mtx_lock(mutex);
        lck_mtx_assert(mutex, LCK_MTX_ASSERT_OWNED);
        assertEquals("com.example.driver", mutex.lockState().groupName());
        lck_mtx_unlock(mutex);
        lck_mtx_free(mutex, group);
        lck_attr_free(attr);
        lck_grp_free(group);
        assertEquals(before - 2, kernel.heap.liveAllocationCount(), "the group and attribute are gone too");
        assertTrue(kernel.faults.isEmpty());
        assertTrue(kernel.panics.isEmpty());
    }

    @Test
    void recursiveMutexAcquisitionPanics() {
        LckMtx mutex = lck_mtx_alloc_init(group, attr);
        lck_mtx_lock(mutex);
        KernelPanic panic = assertThrows(KernelPanic.class, () -> lck_mtx_lock(mutex));
        assertTrue(panic.getMessage().contains("is unexpectedly owned by thread"), panic.getMessage());
        assertFalse(lck_mtx_try_lock(mutex), "try_lock on an owned mutex fails instead");
    }

    @Test
    void anEmbeddedMutexMustBeInitialisedAndDestroyedNotFreed() {
        LckMtx embedded = new LckMtx();
        KernelPanic early = assertThrows(KernelPanic.class, () -> lck_mtx_lock(embedded));
        assertEquals("lck_mtx_lock: mutex used before it was initialised", early.getMessage());

        lck_mtx_init(embedded, group, attr);
        lck_mtx_free(embedded, group);
        MemoryFault fault = kernel.faults.get(0);
        assertEquals(MemoryFault.Kind.ALLOCATOR_MISMATCH, fault.kind());
        assertTrue(fault.message().contains("free it with lck_mtx_destroy"), fault.message());
    }

    @Test
    void destroyingWithAnotherGroupIsRecordedForTheChecker() {
        LckGrp other = lck_grp_alloc_init("com.example.other", null);
        LckMtx embedded = new LckMtx();
        lck_mtx_init(embedded, group, attr);
        lck_mtx_destroy(embedded, other);
        assertEquals("com.example.other", embedded.lockState().mismatchedFreeGroup());
        assertTrue(kernel.faults.isEmpty());
    }

    @Test
    void aGroupFreedEarlyLivesUntilItsLastLockGoes() {
        LckSpin spin = lck_spin_alloc_init(group, attr);
        long groupAddress = group.storage.address();
        lck_grp_free(group);
        assertEquals(1, group.locksLiveAtFree(), "the checker sees the group was freed with a lock in it");
        assertNotNull(kernel.heap.allocationAt(groupAddress));
        lck_spin_free(spin, group);
        assertNull(kernel.heap.allocationAt(groupAddress));

        KernelPanic twice = assertThrows(KernelPanic.class, () -> lck_grp_free(group));
        assertTrue(twice.getMessage().contains("freed twice"), twice.getMessage());
    }

    @Test
    void destroyingAHeldSpinLockPanics() {
        LckSpin spin = new LckSpin();
        lck_spin_init(spin, group, attr);
        lck_spin_lock(spin);
        KernelPanic panic = assertThrows(KernelPanic.class, () -> lck_spin_destroy(spin, group));
        assertTrue(panic.getMessage().startsWith("lck_spin_destroy: Spinlock 0x"), panic.getMessage());
        lck_spin_unlock(spin);
        lck_spin_destroy(spin, group);
    }

    @Test
    void rwLocksShareReadsAndUpgrade() throws Exception {
        LckRw rw = lck_rw_alloc_init(group, attr);
        lck_rw_lock_shared(rw);
        assertTrue(onOtherThread(() -> {
            boolean got = lck_rw_try_lock_shared(rw);
            lck_rw_done(rw);
            return got;
        }));
        assertTrue(lck_rw_lock_shared_to_exclusive(rw));
        lck_rw_assert(rw, LCK_RW_ASSERT_EXCLUSIVE);
        assertFalse(onOtherThread(() -> lck_rw_try_lock_shared(rw)), "no reader while a writer holds it");
        lck_rw_lock_exclusive_to_shared(rw);
        lck_rw_assert(rw, LCK_RW_ASSERT_SHARED);
        assertEquals(LCK_RW_TYPE_SHARED, lck_rw_done(rw));
        lck_rw_assert(rw, LCK_RW_ASSERT_NOTHELD);
        lck_rw_free(rw, group);
    }

    @Test
    void upgradingWhileHoldingForWritingWouldDeadlockAndPanics() {
        LckRw rw = new LckRw();
        lck_rw_init(rw, group, attr);
        lck_rw_lock_shared(rw);
        KernelPanic panic = assertThrows(KernelPanic.class, () -> lck_rw_lock_exclusive(rw));
        assertTrue(panic.getMessage().contains("use lck_rw_lock_shared_to_exclusive"), panic.getMessage());
    }
}
