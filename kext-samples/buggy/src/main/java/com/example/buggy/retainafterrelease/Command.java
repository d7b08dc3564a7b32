package com.example.buggy.retainafterrelease;

import org.kextkit.kit.libkern.OSObject;

/** One command for the engine; its completion releases it. */
public class Command extends OSObject {
    final int opcode;
    int status;

    Command(int opcode) {
        this.opcode = opcode;
    }
}
