package org.kextkit.harness.cli.ioreg;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ioclasscount's output. */
class ClassCountFormatterTest {
    private static final Map<String, Integer> COUNTS = Map.of("IOService", 412, "IOPCIDevice", 37, "OSObject", 0,
            "com_example_FooEthernet", 1, "IORegistryEntry", 3);

    @Test
    void everyClassOneALineSortedByNameIgnoringCase() {
        assertEquals("com_example_FooEthernet = 1\n"
                + "IOPCIDevice = 37\n"
                + "IORegistryEntry = 3\n"
                + "IOService = 412\n"
                + "OSObject = 0\n", ClassCountFormatter.format(COUNTS));
    }

    @Test
    void namedClassesOnOneLineInArgumentOrder() {
        assertEquals("IOService = 412, IOPCIDevice = 37\n", ClassCountFormatter.format(COUNTS, List.of("IOService", "IOPCIDevice")));
        assertEquals("OSObject = 0\n", ClassCountFormatter.format(COUNTS, List.of("OSObject")));
    }

    @Test
    void anUnknownClassSaysSo() {
        assertEquals("IOUSBHostDevice = <no such class>, IOService = 412\n",
                ClassCountFormatter.format(COUNTS, List.of("IOUSBHostDevice", "IOService")));
        assertEquals("ioservice = <no such class>\n", ClassCountFormatter.format(COUNTS, List.of("ioservice")),
                "class names are case-sensitive");
    }

    @Test
    void anEmptyKernelPrintsNothing() {
        assertEquals("", ClassCountFormatter.format(Map.of()));
    }
}
