package org.kextkit.harness.check.instrument;

/**
 * The documented estimate of the kernel stack one kext method's frame takes, charged against the
 * thread's stack budget when the method is entered and released when it returns or throws.
 *
 * <p>{@code bytes = 8 * (maxLocals + maxStack) + 48}: every local-variable slot and every
 * operand-stack slot the class file declares counts as one 64-bit machine word, as it would if
 * compiled code spilled it to the stack (x86_64 and arm64 kernels have 8-byte words); the fixed 48
 * bytes are the return address, the saved frame pointer and four callee-saved registers that a
 * compiled kernel function typically pushes in its prologue. The estimate is an upper bound for
 * small methods and deliberately simple: what matters is that it grows with every frame of a
 * recursion and with methods that keep many values alive, which is what exhausts a real 16 KiB
 * kernel stack. Objects and arrays live on the heap in Java (a real kernel function would often keep
 * them on its stack), so frames are never charged for them.
 */
public final class FrameEstimate {
    /** Bytes per local-variable or operand-stack slot: one 64-bit word. */
    public static final int SLOT_BYTES = 8;
    /** Fixed bytes per frame: return address, saved frame pointer and four callee-saved registers. */
    public static final int FRAME_OVERHEAD_BYTES = 48;
    /** The default kernel stack budget of a thread, in bytes: 16 KiB, the x86_64 XNU kernel stack size. */
    public static final int DEFAULT_STACK_BUDGET = 16 * 1024;
    /**
     * Frames at or above this estimate are flagged (STK-FRAME): 1 KiB, a sixteenth of the default
     * budget, about 120 live slots, far beyond what a kernel function should keep on its stack.
     */
    public static final int LARGE_FRAME_BYTES = 1024;

    private FrameEstimate() {
    }

    /** Return the estimated frame size, in bytes, of a method with these class-file maxima. */
    public static int bytes(int maxLocals, int maxStack) {
        return SLOT_BYTES * (maxLocals + maxStack) + FRAME_OVERHEAD_BYTES;
    }
}
