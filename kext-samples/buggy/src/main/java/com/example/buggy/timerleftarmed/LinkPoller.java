package com.example.buggy.timerleftarmed;

import static org.kextkit.kit.iokit.IOLib.IOLog;

import org.kextkit.family.pci.IOPCIDevice;
import org.kextkit.kit.iokit.IOMemoryMap;
import org.kextkit.kit.iokit.IOService;
import org.kextkit.kit.iokit.IOTimerEventSource;
import org.kextkit.kit.iokit.IOWorkLoop;

/**
 * Polls the NIC's link state every 500 ms from a timer that re-arms itself. stop takes the timer off
 * the work loop while it is still armed and cancels it only afterwards: in between, a timeout can
 * fire on a timer that has no work loop.
 */
public class LinkPoller extends IOService {
    static final int STATUS = 0x04;
    static final int STATUS_LINK_UP = 0x1;
    static final long POLL_MS = 500;

    private IOPCIDevice pci;
    private IOMemoryMap registers;
    private IOWorkLoop workLoop;
    private IOTimerEventSource pollTimer;
    private boolean linkUp;

    @Override
    public boolean start(IOService provider) {
        if (!super.start(provider) || !(provider instanceof IOPCIDevice device)) {
            return false;
        }
        pci = device;
        pci.setMemoryEnable(true);
        registers = pci.mapDeviceMemoryWithRegister(IOPCIDevice.kIOPCIConfigBaseAddress0);
        if (registers == null) {
            return false;
        }
        workLoop = IOWorkLoop.workLoop();
        pollTimer = IOTimerEventSource.timerEventSource(this, (owner, sender) -> poll());
        workLoop.addEventSource(pollTimer);
        pollTimer.setTimeoutMS(POLL_MS);
        return true;
    }

    /** On the work loop: read the link state and poll again later. */
    private void poll() {
        boolean up = (registers.read32(STATUS) & STATUS_LINK_UP) != 0;
        if (up != linkUp) {
            IOLog("TimerLeftArmed: link %s", up ? "up" : "down");
            linkUp = up;
        }
        pollTimer.setTimeoutMS(POLL_MS);
    }

    @Override
    public void stop(IOService provider) {
        pollTimer.disable();
        workLoop.removeEventSource(pollTimer); // BUG: WL-2
        pollTimer.cancelTimeout();
        pollTimer.release();
        workLoop.release();
        registers.release();
        super.stop(provider);
    }
}
