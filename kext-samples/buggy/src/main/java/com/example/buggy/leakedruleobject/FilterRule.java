package com.example.buggy.leakedruleobject;

import static org.kextkit.kit.iokit.IOLib.*;
import static org.kextkit.kit.libkern.Locks.*;

import org.kextkit.kit.libkern.*;

/** One packet-filter rule: an ether type and whether to accept it. */
public class FilterRule extends OSObject {
    final int etherType;
    final boolean accept;

    FilterRule(int etherType, boolean accept) {
        this.etherType = etherType;
        this.accept = accept;
    }
}
