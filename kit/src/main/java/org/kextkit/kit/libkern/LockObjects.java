package org.kextkit.kit.libkern;

import org.kextkit.kit.internal.CallSites;
import org.kextkit.kit.internal.CallerKernel;
import org.kextkit.kit.internal.KernelHeap;
import org.kextkit.kit.internal.KernelServices;
import org.kextkit.kit.internal.LockState;
import org.kextkit.kit.internal.MutexState;
import org.kextkit.kit.internal.RwLockState;

/** Make and tear down the kernel records behind the Mach lock types. */
final class LockObjects {
    static final long MTX_SIZE = 16;
    static final long SPIN_SIZE = 8;
    static final long RW_SIZE = 16;
    static final long GRP_SIZE = 128;
    static final long ATTR_SIZE = 16;

    private LockObjects() {
    }

    static <T extends LockState> T require(T state, String function, String noun) {
        if (state == null) {
            throw CallerKernel.servicesOf(CallSites.callerClass())
                    .panic(String.format("%s: %s used before it was initialised", function, noun));
        }
        return state;
    }

    static LckGrp requireGroup(LckGrp group, String function, Class<?> caller) {
        if (group == null || group.services == null) {
            throw CallerKernel.servicesOf(caller).panic(function + ": NULL lock group");
        }
        return group;
    }

    static MutexState mutex(LockState.Kind kind, KernelHeap.Allocator allocator, long size, LckGrp group,
                            Class<?> caller) {
        KernelServices services = group.services;
        MutexState state = new MutexState(kind, services, services.heap().allocate(allocator, size, 8, null, caller),
                group.getName(), group, caller);
        group.references.incrementAndGet();
        return state;
    }

    static RwLockState rw(KernelHeap.Allocator allocator, LckGrp group, Class<?> caller) {
        KernelServices services = group.services;
        RwLockState state = new RwLockState(LockState.Kind.LCK_RW, services,
                services.heap().allocate(allocator, RW_SIZE, 8, null, caller), group.getName(), group, caller);
        group.references.incrementAndGet();
        return state;
    }

    /**
     * Destroy a lock made in {@code lockGroup} and free its record as {@code allocator} (the heap
     * reports a free with the other pairing's function as a mismatch), dropping its group reference.
     */
    static void teardown(LockState state, LckGrp lockGroup, LckGrp freeGroup, String function,
                         KernelHeap.Allocator allocator, long size, Class<?> caller) {
        state.destroy(function, freeGroup, freeGroup == null ? null : freeGroup.getName());
        state.services().heap().free(allocator, state.storage(), size, null, caller);
        releaseGroup(lockGroup, caller);
    }

    static void releaseGroup(LckGrp group, Class<?> caller) {
        if (group != null && group.references.decrementAndGet() == 0) {
            group.services.heap().free(KernelHeap.Allocator.LCK_GRP, group.storage, GRP_SIZE, null, caller);
        }
    }
}
