package org.kextkit.harness.scheduler;

import org.kextkit.kit.internal.RealTimeScheduler;

/** Create the scheduler a hosted kernel runs on, in the time mode its settings ask for. */
public final class Schedulers {
    private Schedulers() {
    }

    /**
     * Return a scheduler for {@code mode}. Real time is the kit's real-time scheduler, bound to the
     * kernel's services, wrapped in a {@link RealTimeHostedScheduler}.
     */
    public static HostedScheduler create(TimeMode mode, SchedulerSetup setup) {
        return switch (mode) {
            case VIRTUAL -> new VirtualTimeScheduler(setup);
            case REAL -> {
                RealTimeScheduler threads = new RealTimeScheduler(setup.kernelName());
                threads.bind(setup.services());
                yield new RealTimeHostedScheduler(threads, setup);
            }
        };
    }
}
