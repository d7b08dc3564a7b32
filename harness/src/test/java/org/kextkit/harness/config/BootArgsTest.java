package org.kextkit.harness.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BootArgsTest {

    @Test
    void parsesTheFlagsAndValuesKextkitUnderstands() {
        BootArgs args = BootArgs.parse("debug=0x144 kext-dev-mode=1 -x -v kextlog=0xfff io=0x80000000000");

        assertTrue(args.safeBoot());
        assertTrue(args.verbose());
        assertEquals(0x144, args.debugFlags());
        assertTrue(args.kextDevMode());
        assertEquals(OptionalLong.of(0xfff), args.kextLogSpec());
        assertEquals(OptionalLong.of(0x80000000000L), args.ioKitDebug());
        assertEquals(List.of(), args.unknown());
        assertEquals("debug=0x144 kext-dev-mode=1 -x -v kextlog=0xfff io=0x80000000000", args.toString());
    }

    @Test
    void absentArgumentsMeanXnuDefaults() {
        BootArgs args = BootArgs.parse("   ");

        assertSame(BootArgs.NONE, args);
        assertFalse(args.safeBoot());
        assertFalse(args.verbose());
        assertFalse(args.kextDevMode());
        assertEquals(0, args.debugFlags());
        assertEquals(OptionalLong.empty(), args.kextLogSpec());
    }

    @Test
    void numbersMayBeDecimalOrHexadecimal() {
        assertEquals(324, BootArgs.parse("debug=324").debugFlags());
        assertEquals(0xFFFF_FFFFL, BootArgs.parse("debug=0XFFFFFFFF").debugFlags());
    }

    @Test
    void keepsUnknownArgumentsAsWrittenInOrder() {
        BootArgs args = BootArgs.parse("-liludbg  keepsyms=1\tcpus=2 -x serial");

        assertEquals(List.of("-liludbg", "keepsyms=1", "cpus=2", "serial"), args.unknown());
        assertTrue(args.hasFlag("-liludbg"));
        assertTrue(args.hasFlag("serial"));
        assertEquals("1", args.value("keepsyms").orElseThrow());
        assertEquals(OptionalLong.of(2), args.number("cpus"));
        assertEquals("-liludbg keepsyms=1 cpus=2 -x serial", args.toString());
    }

    @Test
    void theFirstOccurrenceWinsAsInXnu() {
        BootArgs args = BootArgs.parse("debug=0x10 debug=0x20 kext-dev-mode=0 kext-dev-mode=1");

        assertEquals(0x10, args.debugFlags());
        assertFalse(args.kextDevMode());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "debug=0xZZ           | debug=0xZZ           | a decimal or 0x-prefixed hexadecimal number from 0 to 0xffffffff | \"0xZZ\"",
        "debug=-1             | debug=-1             | a decimal or 0x-prefixed hexadecimal number from 0 to 0xffffffff | \"-1\"",
        "-v debug=0x100000000 | debug=0x100000000    | a decimal or 0x-prefixed hexadecimal number from 0 to 0xffffffff | \"0x100000000\"",
        "kextlog=0x           | kextlog=0x           | a decimal or 0x-prefixed hexadecimal number from 0 to 0xffffffff | \"0x\"",
        "kext-dev-mode=yes    | kext-dev-mode=yes    | 0 or 1                                                           | \"yes\"",
        "-x debug             | debug                | debug=<value>                                                    | no value",
        "=3                   | =3                   | name=value with a non-empty name                                 | =3",
    })
    void rejectsMalformedValuesNamingTheArgument(String text, String arg, String expected, String found) {
        BootArgsException e = assertThrows(BootArgsException.class, () -> BootArgs.parse(text));

        assertEquals(arg, e.arg());
        assertEquals(expected, e.expected());
        assertEquals(found, e.found());
        assertEquals("boot-arg " + arg + ": expected " + expected + ", found " + found, e.getMessage());
    }

    @Test
    void numberOfAnUnknownArgumentThatIsNoNumberIsAnError() {
        BootArgs args = BootArgs.parse("cpus=many");

        BootArgsException e = assertThrows(BootArgsException.class, () -> args.number("cpus"));
        assertEquals("cpus=many", e.arg());
    }
}
