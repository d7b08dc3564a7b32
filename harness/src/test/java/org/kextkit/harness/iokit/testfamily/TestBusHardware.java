package org.kextkit.harness.iokit.testfamily;

import java.util.List;
import org.kextkit.harness.family.FamilyHardware;

/** The devices plugged into the test bus: one device ID each. */
public final class TestBusHardware implements FamilyHardware {
    private final List<Integer> deviceIds;
    private volatile boolean poweredOff;

    TestBusHardware(List<Integer> deviceIds) {
        this.deviceIds = List.copyOf(deviceIds);
    }

    /** Return the device IDs, in slot order. */
    public List<Integer> deviceIds() {
        return deviceIds;
    }

    /** Return true once the kernel has shut down. */
    public boolean isPoweredOff() {
        return poweredOff;
    }

    @Override
    public Class<?> lookupType() {
        return TestBusHardware.class;
    }

    @Override
    public void powerOff() {
        poweredOff = true;
    }
}
