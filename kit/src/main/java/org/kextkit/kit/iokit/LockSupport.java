package org.kextkit.kit.iokit;

import org.kextkit.kit.internal.CallerKernel;
import org.kextkit.kit.internal.KernelHeap;
import org.kextkit.kit.internal.KernelPanic;
import org.kextkit.kit.internal.KernelServices;
import org.kextkit.kit.internal.LockState;
import org.kextkit.kit.internal.MutexState;
import org.kextkit.kit.internal.RwLockState;
import org.kextkit.kit.libkern.KernelBuffer;

/** Make the kernel records behind the I/O Kit lock types. */
final class LockSupport {
    /** Sizes of the lock structures on x86_64, for the heap's accounting. */
    static final long MUTEX_SIZE = 16;
    static final long SPIN_SIZE = 8;
    static final long RECURSIVE_SIZE = 32;
    static final long RW_SIZE = 16;
    /** The lock group every I/O Kit lock belongs to. */
    static final String IOKIT_GROUP = "IOKit";

    private LockSupport() {
    }

    static <T> T require(T state, String type) {
        if (state == null) {
            throw new KernelPanic(type + " used without a kernel lock behind it (made by a subclass or mock, "
                    + "not by its Alloc function)");
        }
        return state;
    }

    static MutexState mutex(LockState.Kind kind, KernelHeap.Allocator allocator, long size, Class<?> caller) {
        KernelServices services = CallerKernel.servicesOf(caller);
        KernelBuffer storage = services.heap().allocate(allocator, size, 8, null, caller);
        return new MutexState(kind, services, storage, IOKIT_GROUP, null, caller);
    }

    static RwLockState rw(Class<?> caller) {
        KernelServices services = CallerKernel.servicesOf(caller);
        KernelBuffer storage = services.heap().allocate(KernelHeap.Allocator.IORWLOCK, RW_SIZE, 8, null, caller);
        return new RwLockState(LockState.Kind.IORWLOCK, services, storage, IOKIT_GROUP, null, caller);
    }
}
