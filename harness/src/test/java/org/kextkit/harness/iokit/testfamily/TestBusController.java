package org.kextkit.harness.iokit.testfamily;

import org.kextkit.kit.internal.KernelRuntime;
import org.kextkit.kit.iokit.IOService;

/** The test bus's controller: on start it publishes one {@link TestBusNub} per device of the machine. */
public class TestBusController extends IOService {
    @Override
    public boolean start(IOService provider) {
        if (!super.start(provider)) {
            return false;
        }
        TestBusHardware hardware = KernelRuntime.servicesFor(TestBusController.class).hardware(TestBusHardware.class);
        int slot = 0;
        for (int id : hardware.deviceIds()) {
            TestBusNub nub = new TestBusNub();
            nub.setName("device");
            nub.setLocation(Integer.toString(slot++));
            nub.setProperty("device-id", (long) id);
            nub.attach(this);
            nub.registerService();
            nub.release();
        }
        registerService();
        return true;
    }
}
