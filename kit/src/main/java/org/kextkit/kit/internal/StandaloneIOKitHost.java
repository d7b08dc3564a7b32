package org.kextkit.kit.internal;

import java.util.concurrent.atomic.AtomicLong;
import org.kextkit.kit.iokit.IOPMPowerState;
import org.kextkit.kit.iokit.IORegistryEntry;
import org.kextkit.kit.iokit.IOReturn;
import org.kextkit.kit.iokit.IOService;

/**
 * The I/O Kit of objects created with no kernel: registry entry IDs and nothing more. Objects can be
 * built and attached to one another by hand (a test's own registry), but no matching, termination or
 * power management happens.
 */
final class StandaloneIOKitHost implements IOKitHost {
    static final IOKitHost INSTANCE = new StandaloneIOKitHost();

    /** The first ID XNU hands out after the root's; ioreg prints IDs in this range. */
    private static final long FIRST_REGISTRY_ENTRY_ID = 0x100000100L;

    private final AtomicLong nextRegistryEntryID = new AtomicLong(FIRST_REGISTRY_ENTRY_ID);

    private StandaloneIOKitHost() {
    }

    @Override
    public long newRegistryEntryID() {
        return nextRegistryEntryID.getAndIncrement();
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
        // No kernel, no matching.
    }

    @Override
    public boolean terminate(IOService service, int options) {
        return false;
    }

    @Override
    public void publishResource(String key, Object value) {
        // No kernel, no resources.
    }

    @Override
    public int registerPowerDriver(IOService service, IOService driver, IOPMPowerState[] states) {
        return IOReturn.kIOReturnUnsupported;
    }

    @Override
    public void joinPMtree(IOService parent, IOService child) {
        // No kernel, no power plane.
    }

    @Override
    public int changePowerStateTo(IOService service, long ordinal) {
        return IOReturn.kIOReturnUnsupported;
    }

    @Override
    public int acknowledgeSetPowerState(IOService service) {
        return IOReturn.kIOReturnUnsupported;
    }

    @Override
    public void PMstop(IOService service) {
        // No kernel, no power management.
    }
}
