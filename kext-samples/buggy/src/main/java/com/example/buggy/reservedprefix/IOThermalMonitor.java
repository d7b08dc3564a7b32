package com.example.buggy.reservedprefix;

import static org.kextkit.kit.iokit.IOLib.*;
import static org.kextkit.kit.libkern.Locks.*;

import org.kextkit.kit.libkern.*;

/** Keeps the last temperature: the I/O Kit prefix "IO" is reserved for Apple's classes. */
final class IOThermalMonitor { // BUG: STY-NAME
    int samples;
    int lastCelsius;

    void sample(int celsius) {
        lastCelsius = celsius;
        samples++;
    }
}
