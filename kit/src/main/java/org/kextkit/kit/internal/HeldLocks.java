package org.kextkit.kit.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * The locks the current thread holds, in the order it took them: what the checkers read to find a
 * blocking call under a spin lock or a lock still held when a callback returns.
 */
public final class HeldLocks {
    private static final ThreadLocal<List<LockState>> HELD = ThreadLocal.withInitial(ArrayList::new);

    private HeldLocks() {
    }

    /** Return a copy of the locks the calling thread holds, oldest first. */
    public static List<LockState> current() {
        return List.copyOf(HELD.get());
    }

    /** Return how many locks the calling thread holds. */
    public static int count() {
        return HELD.get().size();
    }

    /** Return how many spin locks the calling thread holds (its preemption level). */
    public static int spinLocksHeld() {
        int count = 0;
        for (LockState lock : HELD.get()) {
            if (lock.kind() == LockState.Kind.IOSIMPLELOCK || lock.kind() == LockState.Kind.LCK_SPIN) {
                count++;
            }
        }
        return count;
    }

    static void acquired(LockState lock) {
        HELD.get().add(lock);
    }

    static void released(LockState lock) {
        List<LockState> held = HELD.get();
        for (int i = held.size() - 1; i >= 0; i--) {
            if (held.get(i) == lock) {
                held.remove(i);
                return;
            }
        }
    }
}
