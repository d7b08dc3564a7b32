package com.example;

import org.kextkit.kit.iokit.IOService;

/** A driver class as a kext defines one: its I/O Kit name is {@code com_example_FooEthernet}. */
public class FooEthernet extends IOService {
}
