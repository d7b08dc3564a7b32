package org.kextkit.kit.internal;

/**
 * Receive the memory faults a {@link SimulatedHeap} detects. The harness panics the kernel (and lets
 * the checkers record the fault); standalone, the fault is thrown as an exception.
 *
 * <p>If the handler returns normally the kernel carries on as a production kernel without the
 * check would: a bad read yields zero, a bad write is dropped, a bad free frees nothing more.
 */
@FunctionalInterface
public interface MemoryFaultHandler {
    /** The standalone handler: throw {@link IllegalStateException} with {@link MemoryFault#report()}. */
    MemoryFaultHandler THROW = fault -> {
        throw new IllegalStateException(fault.report());
    };

    /** Handle one fault; may throw (a {@link KernelPanic}, say) to unwind the faulting call. */
    void memoryFault(MemoryFault fault);
}
