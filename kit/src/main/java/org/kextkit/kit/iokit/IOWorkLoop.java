package org.kextkit.kit.iokit;

import org.kextkit.kit.libkern.OSObject;

/**
 * A work loop: a kernel thread and a gate that serialise a driver's event-source actions
 * ({@code IOWorkLoop}). Placeholder signature; the implementation lands with the event sources.
 */
public class IOWorkLoop extends OSObject {
    /** Create a work loop with its own thread ({@code IOWorkLoop::workLoop()}). */
    public static IOWorkLoop workLoop() {
        return new IOWorkLoop();
    }

    /** Use {@link #workLoop()}. */
    protected IOWorkLoop() {
    }
}
