package org.kextkit.harness.iokit.testfamily;

import org.kextkit.kit.iokit.IOService;

/** A device on the test bus: drivers declare the family and match {@code IOProviderClass = TestBusNub}. */
public class TestBusNub extends IOService {
    /** Return the device ID the bus read from the device. */
    public int deviceId() {
        Object id = getProperty("device-id");
        return id instanceof Number ? ((Number) id).intValue() : -1;
    }
}
