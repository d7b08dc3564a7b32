package com.example.buggy.leakedruleobject;

import static org.kextkit.kit.iokit.IOLib.*;
import static org.kextkit.kit.libkern.Locks.*;

import org.kextkit.kit.libkern.*;

/** Builds its default filter rule as an object of its own class and never releases it. */
public final class Module implements KextModule {
    private FilterRule defaultRule;

    @Override
    public int start(KmodInfo kmodInfo, Object data) {
        defaultRule = new FilterRule(0x0800, true); // BUG: OBJ-3
        return KernReturn.KERN_SUCCESS;
    }

    @Override
    public int stop(KmodInfo kmodInfo, Object data) {
        defaultRule = null; // dropped, not released
        return KernReturn.KERN_SUCCESS;
    }
}
