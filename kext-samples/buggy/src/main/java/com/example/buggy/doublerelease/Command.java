package com.example.buggy.doublerelease;

import org.kextkit.kit.libkern.OSObject;

/** One command for the engine; whoever submits it hands its reference to the completion. */
public class Command extends OSObject {
    final int opcode;
    int status;

    Command(int opcode) {
        this.opcode = opcode;
    }
}
