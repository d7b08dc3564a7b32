package org.kextkit.kit.internal;

import java.util.concurrent.atomic.AtomicLong;
import org.kextkit.kit.iokit.IOPMPowerState;
import org.kextkit.kit.iokit.IORegistryEntry;
import org.kextkit.kit.iokit.IOReturn;
import org.kextkit.kit.iokit.IOService;

/**
 * The I/O Kit of objects created with no kernel: registry entry IDs from a counter, and no
 * registry, matching or power management (every request succeeds and does nothing).
 */
final class StandaloneIOKitHost implements IOKitHost {
    static final IOKitHost INSTANCE = new StandaloneIOKitHost();

    // I/O Kit's first IDs are small numbers above the root's; start where ioreg output looks familiar
    private final AtomicLong nextID = new AtomicLong(0x100000100L);

    private StandaloneIOKitHost() {
    }

    @Override
    public long newRegistryEntryID() {
        return nextID.getAndIncrement();
    }

    @Override
    public IORegistryEntry root() {
        return null;
    }

    @Override
    public IOService resources() {
        return null;
    }

    @Override
    public void registerService(IOService service, int options) {
    }

    @Override
    public boolean terminate(IOService service, int options) {
        return true;
    }

    @Override
    public void publishResource(String key, Object value) {
    }

    @Override
    public int registerPowerDriver(IOService service, IOService driver, IOPMPowerState[] states) {
        return IOReturn.kIOReturnSuccess;
    }

    @Override
    public void joinPMtree(IOService parent, IOService child) {
    }

    @Override
    public int changePowerStateTo(IOService service, long ordinal) {
        return IOReturn.kIOReturnSuccess;
    }

    @Override
    public int acknowledgeSetPowerState(IOService service) {
        return IOReturn.kIOReturnSuccess;
    }

    @Override
    public void PMstop(IOService service) {
    }
}
