package org.kextkit.harness.iokit;

import java.util.ArrayList;
import java.util.List;

/**
 * One run of power changes on the power-management thread: a driver's own
 * {@code changePowerStateTo}, the initial change after {@code registerPowerDriver}, or a system
 * sleep or wake. Changes run one at a time, each waiting for the driver's acknowledgement (or its
 * timeout) before the next; transitions run in the order they were asked for.
 */
public final class PowerTransition {
    /** How one device's change ended. */
    public enum Ending {
        /** {@code setPowerState} returned {@code kIOPMAckImplied}. */
        ACK_IMPLIED,
        /** The driver returned a time and called {@code acknowledgeSetPowerState} in time. */
        ACKNOWLEDGED,
        /** The driver returned a time and did not acknowledge within it; the kernel logged it and went on. */
        TIMED_OUT,
        /** {@code setPowerState} threw; the kernel logged it and went on. */
        THREW
    }

    /**
     * One device's change.
     *
     * @param service the device's registry name and location
     * @param driverClass the power driver's I/O Kit class
     * @param from the state before
     * @param to the state asked for
     * @param ending how it ended
     */
    public record Change(String service, String driverClass, long from, long to, Ending ending) {
    }

    private final String name;
    private final List<Change> changes = new ArrayList<>();
    private volatile boolean complete;

    PowerTransition(String name) {
        this.name = name;
    }

    /** Return what this transition is, such as {@code system sleep}. */
    public String name() {
        return name;
    }

    /** Return true once every device has been changed (or skipped, being in the state already). */
    public boolean isComplete() {
        return complete;
    }

    /** Return the changes made so far, in the order they were made. */
    public synchronized List<Change> changes() {
        return List.copyOf(changes);
    }

    synchronized void record(Change change) {
        changes.add(change);
    }

    void completed() {
        complete = true;
    }

    @Override
    public String toString() {
        return name + (complete ? " (complete, " : " (in progress, ") + changes().size() + " changes)";
    }
}
