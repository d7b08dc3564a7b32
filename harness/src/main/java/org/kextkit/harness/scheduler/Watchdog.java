package org.kextkit.harness.scheduler;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * One daemon thread per JVM that checks every live virtual-time scheduler a few times a second for
 * hangs, stuck hardware events and runaway time. Schedulers are held weakly, so a kernel that a test
 * forgets to shut down does not stay reachable through its watchdog.
 */
final class Watchdog {
    private static final long PERIOD_MILLIS = 50;
    private static final List<WeakReference<VirtualTimeScheduler>> WATCHED = new ArrayList<>();
    private static Thread thread;

    private Watchdog() {
    }

    static synchronized void watch(VirtualTimeScheduler scheduler) {
        WATCHED.add(new WeakReference<>(scheduler));
        if (thread == null) {
            thread = new Thread(Watchdog::run, "kextkit watchdog");
            thread.setDaemon(true);
            thread.start();
        }
    }

    static synchronized void forget(VirtualTimeScheduler scheduler) {
        WATCHED.removeIf(ref -> ref.get() == null || ref.get() == scheduler);
    }

    private static synchronized List<VirtualTimeScheduler> live() {
        List<VirtualTimeScheduler> live = new ArrayList<>();
        for (Iterator<WeakReference<VirtualTimeScheduler>> it = WATCHED.iterator(); it.hasNext();) {
            VirtualTimeScheduler scheduler = it.next().get();
            if (scheduler == null) {
                it.remove();
            } else {
                live.add(scheduler);
            }
        }
        return live;
    }

    private static void run() {
        while (true) {
            try {
                Thread.sleep(PERIOD_MILLIS);
            } catch (InterruptedException e) {
                // Nobody interrupts the watchdog on purpose; keep watching.
            }
            for (VirtualTimeScheduler scheduler : live()) {
                try {
                    if (!scheduler.watchdogCheck()) {
                        forget(scheduler);
                    }
                } catch (RuntimeException e) {
                    // One kernel's broken state must not stop the watch over the others.
                    System.err.println("kextkit watchdog: " + e);
                }
            }
        }
    }
}
