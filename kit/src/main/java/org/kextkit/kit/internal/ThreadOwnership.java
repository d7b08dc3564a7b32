package org.kextkit.kit.internal;

/**
 * What the calling Java thread still owns under its own identity: kit and harness locks record
 * ownership by {@link Thread}, so a thread that ends while it owns one must not be reused for
 * another kernel thread, which would then appear to own it too.
 *
 * <p>Locks that {@link HeldLocks} tracks count already; owners of other kinds (a work loop's gate,
 * the kernel's own lock) call {@link #claimed()} and {@link #released()} around each ownership.
 */
public final class ThreadOwnership {
    private static final ThreadLocal<int[]> CLAIMS = ThreadLocal.withInitial(() -> new int[1]);

    private ThreadOwnership() {
    }

    /** The calling thread has become the owner of something keyed by its identity. */
    public static void claimed() {
        CLAIMS.get()[0]++;
    }

    /** The calling thread no longer owns one thing it {@link #claimed()}. */
    public static void released() {
        int[] claims = CLAIMS.get();
        if (claims[0] > 0) {
            claims[0]--;
        }
    }

    /**
     * Return true if the calling thread owns nothing under its identity and has no kext frames on
     * its stack: it may serve another kernel thread without carrying state over.
     */
    public static boolean isClean() {
        return CLAIMS.get()[0] == 0 && HeldLocks.count() == 0 && KextFrames.current().depth() == 0;
    }
}
