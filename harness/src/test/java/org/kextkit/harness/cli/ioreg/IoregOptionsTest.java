package org.kextkit.harness.cli.ioreg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** ioreg's command line, read the way its getopt reads it. */
class IoregOptionsTest {
    private static String problem(String... args) {
        return assertThrows(IoregUsageException.class, () -> IoregOptions.parse(args)).getMessage();
    }

    @Test
    void noArgumentsAreTheDefaults() throws Exception {
        IoregOptions options = IoregOptions.parse();
        assertEquals(IoregOptions.defaults(), options);
        assertEquals("IOService", options.plane());
        assertEquals(0, options.width(), "no clipping unless asked: output is the same on a terminal and in a pipe");
        assertFalse(options.selects());
    }

    @Test
    void flagsClusterAndValuesAttachOrFollow() throws Exception {
        IoregOptions options = IoregOptions.parse("-lxi", "-w80", "-d", "3", "-rtcIOPCIDevice", "-k", "IOName",
                "-n", "pci@0", "-p", "IOPower", "-ab");
        assertEquals(IoregOptions.builder().list(true).hex(true).inheritance(true).width(80).depth(3).rooted(true)
                .ancestors(true).className("IOPCIDevice").key("IOName").name("pci@0").plane("IOPower").archive(true)
                .bold(true).build(), options);
        assertTrue(options.selects());
    }

    @Test
    void compatibilityFlagsChangeNothing() throws Exception {
        assertEquals(IoregOptions.defaults(), IoregOptions.parse("-s", "-S", "-y"));
    }

    @Test
    void doubleDashEndsTheOptions() throws Exception {
        assertEquals(IoregOptions.parse("-l"), IoregOptions.parse("-l", "--"));
        assertEquals("ioreg: unexpected argument \"-x\"; select objects with -c class, -k key or -n name",
                problem("--", "-x"));
    }

    @Test
    void problemsAreWordedAsGetoptWordsThem() {
        assertEquals("ioreg: illegal option -- z", problem("-lz"));
        assertEquals("ioreg: option requires an argument -- c", problem("-c"));
        assertEquals("ioreg: option requires an argument -- w", problem("-l", "-w"));
    }

    @Test
    void numbersAndPlanesAreChecked() {
        assertEquals("ioreg: -d expects a depth (a whole number, 0 for unlimited), not \"two\"", problem("-d", "two"));
        assertEquals("ioreg: -w expects a width (a whole number, 0 for unlimited), not \"-1\"", problem("-w", "-1"));
        assertEquals("ioreg: -w expects a width (a whole number, 0 for unlimited), not \"99999999999\"",
                problem("-w99999999999"));
        assertEquals("ioreg: no plane named \"IOUSB\"; the planes are IODeviceTree, IOPower, IOService",
                problem("-p", "IOUSB"));
        assertThrows(IllegalArgumentException.class, () -> IoregOptions.builder().plane("IOFoo"));
        assertThrows(IllegalArgumentException.class, () -> IoregOptions.builder().depth(-1));
    }

    @Test
    void operandsAndSmartFormattingAreRefusedWithAReason() {
        assertEquals("ioreg: unexpected argument \"IOService\"; select objects with -c class, -k key or -n name",
                problem("-l", "IOService"));
        assertEquals("ioreg: -f (decoding reg, ranges and interrupt properties) is not supported by kextkit",
                problem("-lf"));
    }

    @Test
    void theUsageListsEveryOptionOnALineOfItsOwn() {
        for (char option : "abcdiklnprtwx".toCharArray()) {
            assertTrue(IoregOptions.USAGE.contains("\n\t-" + option + " "), "usage lacks -" + option);
        }
        assertTrue(IoregOptions.USAGE.startsWith("usage: ioreg [-abilrtx] [-c class] [-d depth] [-k key] [-n name] "
                + "[-p plane] [-w width]\n"));
    }

    @Test
    void toBuilderKeepsEverything() throws Exception {
        IoregOptions options = IoregOptions.parse("-lxirtab", "-w9", "-d2", "-cA", "-kB", "-nC", "-pIODeviceTree");
        assertEquals(options, options.toBuilder().build());
        assertEquals(options.hashCode(), options.toBuilder().build().hashCode());
    }
}
