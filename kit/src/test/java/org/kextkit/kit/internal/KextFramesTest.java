package org.kextkit.kit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.WeakReference;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Method registrations: kept while their monitor lives, released for reuse once it is collected. */
class KextFramesTest {
    /** A monitor with a budget, as a kernel's kext state is. */
    private static final class Budget implements KextFrames.Monitor {
        @Override
        public int stackBudget() {
            return 4096;
        }

        @Override
        public void stackOverflow(KextFrames.Overflow overflow) {
            throw new KernelPanic("overflow");
        }
    }

    @Test
    void aRegistrationLivesAsLongAsItsMonitor() {
        Budget monitor = new Budget();
        int id = KextFrames.register(monitor, "com.example.Lib", "f", "()I", "Lib.java", 3, 64, null);
        int other = KextFrames.register(monitor, "com.example.Lib", "g", "()I", "Lib.java", 7, 64, null);
        System.gc();
        KextFrames.register(new Budget(), "com.example.Other", "h", "()V", null, -1, 16, null);

        assertNotEquals(id, other);
        KextFrames.Method method = KextFrames.method(id);
        assertEquals("com.example.Lib.f(Lib.java:3)", method.toString());
        assertEquals(id, method.id());
        // The budget of a thread entering the method is its monitor's.
        KextFrames.Stack stack = KextFrames.current();
        int depth = stack.enter(id, 64);
        try {
            assertEquals(64, stack.bytesUsed());
            assertEquals(id, stack.methodAt(0));
        } finally {
            stack.exit(depth);
        }
        java.lang.ref.Reference.reachabilityFence(monitor); // reachable until here
    }

    @Test
    void theIdsOfACollectedMonitorAreReleasedAndReused() throws InterruptedException {
        Set<Integer> released = new HashSet<>();
        WeakReference<Budget> gone = registerAndDrop(released);
        // A registration releases what was collected before it; the ids then serve new methods.
        for (int attempt = 0; attempt < 100 && gone.get() != null; attempt++) {
            System.gc();
            Thread.sleep(10);
        }
        assertNull(gone.get(), "the monitor was not collected");
        Budget next = new Budget();
        boolean reused = false;
        for (int attempt = 0; attempt < 100 && !reused; attempt++) {
            int id = KextFrames.register(next, "com.example.New", "m" + attempt, "()V", "New.java", attempt, 32, null);
            reused = released.contains(id);
            if (reused) {
                assertEquals("com.example.New.m" + attempt + "(New.java:" + attempt + ")", KextFrames.method(id).toString());
            } else {
                Thread.sleep(10); // the cleared reference may not be queued yet
            }
        }
        assertTrue(reused, "no id of the collected monitor was given to a new method");
    }

    private static WeakReference<Budget> registerAndDrop(Set<Integer> ids) {
        Budget monitor = new Budget();
        for (int i = 0; i < 3; i++) {
            ids.add(KextFrames.register(monitor, "com.example.Old", "m" + i, "()V", "Old.java", i, 32, null));
        }
        return new WeakReference<>(monitor);
    }
}
