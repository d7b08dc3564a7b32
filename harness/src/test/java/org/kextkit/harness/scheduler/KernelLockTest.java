package org.kextkit.harness.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.kextkit.kit.internal.ExecutionContext;

class KernelLockTest {
    private static final long MS = 1_000_000L;
    private final VirtualTimeScheduler scheduler = new VirtualTimeScheduler(new SchedulerSetup("lock", 0, Duration.ofSeconds(10),
            (caller, function, message) -> { }, (text, cause, thread, context) -> { }, line -> { }));
    private final KernelLock lock = new KernelLock(scheduler, "kernel state");

    @AfterEach
    void shutdown() {
        scheduler.shutdown();
    }

    @Test
    void theOwnerMayTakeItAgainAndTheLastReleaseFreesIt() {
        try (KernelEntry e = scheduler.enter()) {
            try (KernelLock.Held outer = lock.acquire()) {
                try (KernelLock.Held inner = lock.acquire()) {
                    assertTrue(lock.isHeldByCurrentThread());
                }
                assertTrue(lock.isHeldByCurrentThread(), "one hold left");
            }
            assertFalse(lock.isHeldByCurrentThread());
        }
    }

    @Test
    void aHolderThatSleepsLetsOtherThreadsRunAndWaitersGetItInTurn() {
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        try (KernelEntry e = scheduler.enter()) {
            scheduler.startThread("holder", ExecutionContext.THREAD, () -> {
                try (KernelLock.Held held = lock.acquire()) {
                    events.add("holder took it at " + scheduler.nanoTime() / MS);
                    scheduler.sleep(10 * MS);
                }
            });
            scheduler.startThread("waiter", ExecutionContext.THREAD, () -> {
                try (KernelLock.Held held = lock.acquire()) {
                    events.add("waiter took it at " + scheduler.nanoTime() / MS);
                }
            });
            scheduler.startThread("bystander", ExecutionContext.THREAD, () -> events.add("bystander ran at " + scheduler.nanoTime() / MS));
            scheduler.sleep(20 * MS);
        }
        assertEquals(List.of("holder took it at 0", "bystander ran at 0", "waiter took it at 10"), events);
    }

    @Test
    void codeCalledOnBehalfOfTheOwnerMayTakeIt() {
        try (KernelEntry e = scheduler.enter(); KernelLock.Held held = lock.acquire()) {
            String result = scheduler.call("kext start", ExecutionContext.THREAD, () -> {
                try (KernelLock.Held again = lock.acquire()) {
                    return "re-entered";
                }
            });
            assertEquals("re-entered", result);
            assertTrue(lock.isHeldByCurrentThread());
        }
    }

    @Test
    void onlyTheHolderMayReleaseIt() {
        try (KernelEntry e = scheduler.enter()) {
            IllegalStateException wrong = assertThrows(IllegalStateException.class, lock::unlock);
            assertTrue(wrong.getMessage().contains("which does not hold it"), wrong.getMessage());
        }
    }
}
