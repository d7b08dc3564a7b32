package org.kextkit.kit.iokit;

/**
 * An interrupt handler registered with {@link IOService#registerInterrupt}: runs at primary
 * interrupt level, where nothing may block ({@code IOInterruptAction}).
 */
@FunctionalInterface
public interface IOInterruptAction {
    /** Handle interrupt {@code source} of {@code nub}. */
    void handleInterrupt(Object target, Object refCon, IOService nub, int source);
}
