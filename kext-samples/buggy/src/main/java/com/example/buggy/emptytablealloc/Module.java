package com.example.buggy.emptytablealloc;

import static org.kextkit.kit.iokit.IOLib.*;
import static org.kextkit.kit.libkern.Locks.*;

import org.kextkit.kit.libkern.*;

/** Sizes its filter table from the configured count, which is zero when no filters are configured. */
public final class Module implements KextModule {
    static final int ENTRY = 12;
    private KernelBuffer table;
    private int tableBytes;

    @Override
    public int start(KmodInfo kmodInfo, Object data) {
        int filters = configuredFilters();
        tableBytes = filters * ENTRY;
        table = IOMalloc(tableBytes); // BUG: MEM-ZERO
        return KernReturn.KERN_SUCCESS;
    }

    private static int configuredFilters() {
        return 0;
    }

    @Override
    public int stop(KmodInfo kmodInfo, Object data) {
        IOFree(table, tableBytes);
        table = null;
        return KernReturn.KERN_SUCCESS;
    }
}
