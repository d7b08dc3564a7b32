package com.example.buggy.consolelogger;

import static org.kextkit.kit.iokit.IOLib.*;
import static org.kextkit.kit.libkern.Locks.*;

import org.kextkit.kit.libkern.*;

/** Reports its start on standard output, as user-space code would, instead of IOLog. */
public final class Module implements KextModule {
    @Override
    public int start(KmodInfo kmodInfo, Object data) {
        System.out.println("ConsoleLogger: started " + kmodInfo.name()); // BUG: API-USER
        return KernReturn.KERN_SUCCESS;
    }

    @Override
    public int stop(KmodInfo kmodInfo, Object data) {
        IOLog("ConsoleLogger: stopping");
        return KernReturn.KERN_SUCCESS;
    }
}
