package org.kextkit.harness.scheduler;

/** Create the scheduler a hosted kernel runs on, in the time mode its settings ask for. */
public final class Schedulers {
    private Schedulers() {
    }

    /**
     * Return a scheduler for {@code mode}. Real time is the kit's real-time scheduler wrapped in a
     * {@link RealTimeHostedScheduler} ({@code new RealTimeHostedScheduler(<the kit's scheduler>, setup)}).
     *
     * @throws UnsupportedOperationException for {@link TimeMode#REAL} while the real-time scheduler
     *         is not part of this build; callers that can run in virtual time instead fall back to it
     */
    public static HostedScheduler create(TimeMode mode, SchedulerSetup setup) {
        return switch (mode) {
            case VIRTUAL -> new VirtualTimeScheduler(setup);
            case REAL -> throw new UnsupportedOperationException("real-time mode: kit.internal.RealTimeScheduler");
        };
    }
}
