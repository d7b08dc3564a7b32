package org.kextkit.kit.iokit;

/**
 * The interrupt state {@link IOLocks#IOSimpleLockLockDisableInterrupt} returns and
 * {@link IOLocks#IOSimpleLockUnlockEnableInterrupt} takes back ({@code IOInterruptState}): whether
 * interrupts were enabled before. Treat it as opaque.
 */
public class IOInterruptState {
    private final boolean interruptsWereEnabled;

    /** Record whether interrupts were enabled before the lock was taken. */
    protected IOInterruptState(boolean interruptsWereEnabled) {
        this.interruptsWereEnabled = interruptsWereEnabled;
    }

    /** Return true if interrupts were enabled before the lock was taken. */
    public boolean interruptsWereEnabled() {
        return interruptsWereEnabled;
    }
}
