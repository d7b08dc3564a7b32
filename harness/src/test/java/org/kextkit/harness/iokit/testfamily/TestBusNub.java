package org.kextkit.harness.iokit.testfamily;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.kextkit.kit.iokit.IOInterruptAction;
import org.kextkit.kit.iokit.IOReturn;
import org.kextkit.kit.iokit.IOService;

/**
 * A device on the test bus: drivers declare the family and match {@code IOProviderClass = TestBusNub}.
 * Each device has interrupts a driver may register handlers for; a test raises one with
 * {@link #interrupt(int)}, run at primary interrupt level by the kernel's interrupt controller.
 */
public class TestBusNub extends IOService {
    private record Handler(Object target, IOInterruptAction action, Object refCon) {
    }

    private final Map<Integer, Handler> handlers = new ConcurrentHashMap<>();

    /** Return the device ID the bus read from the device. */
    public int deviceId() {
        Object id = getProperty("device-id");
        return id instanceof Number ? ((Number) id).intValue() : -1;
    }

    @Override
    public int registerInterrupt(int source, Object target, IOInterruptAction handler, Object refCon) {
        if (handler == null) {
            return IOReturn.kIOReturnBadArgument;
        }
        return handlers.putIfAbsent(source, new Handler(target, handler, refCon)) == null
                ? IOReturn.kIOReturnSuccess : IOReturn.kIOReturnNoResources;
    }

    @Override
    public int unregisterInterrupt(int source) {
        return handlers.remove(source) != null ? IOReturn.kIOReturnSuccess : IOReturn.kIOReturnNoInterrupt;
    }

    @Override
    public int enableInterrupt(int source) {
        return handlers.containsKey(source) ? IOReturn.kIOReturnSuccess : IOReturn.kIOReturnNoInterrupt;
    }

    @Override
    public int disableInterrupt(int source) {
        return handlers.containsKey(source) ? IOReturn.kIOReturnSuccess : IOReturn.kIOReturnNoInterrupt;
    }

    /** Return true while a handler is registered for interrupt {@code source}. */
    public boolean hasHandler(int source) {
        return handlers.containsKey(source);
    }

    /** Return what raising interrupt {@code source} runs: its handler, or nothing if none is registered. */
    public Runnable interrupt(int source) {
        return () -> {
            Handler handler = handlers.get(source);
            if (handler != null) {
                handler.action.handleInterrupt(handler.target, handler.refCon, this, source);
            }
        };
    }
}
