package org.kextkit.harness.cli.ioreg;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.example.FooEthernet;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.kextkit.kit.libkern.SInt32;

/** How ioreg prints each kind of property value. */
class PropertyValuesTest {
    private static String text(Object value) {
        return PropertyValues.text(value, false);
    }

    private static String hex(Object value) {
        return PropertyValues.text(value, true);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void stringsAreQuotedAsTheyAre() {
        assertEquals("\"IOPCIDevice\"", text("IOPCIDevice"));
        assertEquals("\"\"", text(""));
        assertEquals("\"say \"hi\"\"", text("say \"hi\""), "ioreg does not escape quotes");
    }

    @Test
    void numbersKeepTheWidthOfTheirTypeAndPrintUnsigned() {
        assertEquals("1000", text(1000));
        assertEquals("0x3e8", hex(1000));
        assertEquals("4294967295", text(-1));
        assertEquals("0xffffffff", hex(-1));
        assertEquals("18446744073709551615", text(-1L));
        assertEquals("0xffffffffffffffff", hex(-1L));
        assertEquals("65535", text((short) -1));
        assertEquals("255", text((byte) -1));
        assertEquals("7", text(new SInt32(7)));
        assertEquals("0x0", hex(0));
    }

    @Test
    void booleansAreYesAndNo() {
        assertEquals("Yes", text(true));
        assertEquals("No", hex(false));
    }

    @Test
    void dataThatReadsAsStringsIsQuoted() {
        assertEquals("<\"abc\">", text(bytes("abc")));
        assertEquals("<\"abc\">", text(bytes("abc\0")));
        assertEquals("<\"pci8086,153a\",\"pciclass,020000\">", text(bytes("pci8086,153a\0pciclass,020000\0")));
        assertEquals("<\"caf\u00e9 au lait\">", text(bytes("caf\u00e9 au lait")), "a few high-half characters are still text");
        assertEquals("<636166e9>", text(bytes("caf\u00e9")), "text needs four plain characters for each high-half one");
    }

    @Test
    void otherDataIsHex() {
        assertEquals("<>", text(new byte[0]));
        assertEquals("<61>", text(bytes("a")), "one byte is never text");
        assertEquals("<6162630000>", text(bytes("abc\0\0")), "padding after the terminator is not text");
        assertEquals("<00616263>", text(bytes("\0abc")));
        assertEquals("<86801a15>", text(new byte[] {(byte) 0x86, (byte) 0x80, 0x1a, 0x15}));
        assertEquals("<61620a63>", text(bytes("ab\nc")), "a control character is not text");
        assertEquals("<61e9e9e9>", text(bytes("a\u00e9\u00e9\u00e9")), "mostly high-half characters are not text");
        assertEquals("<61626300>", hex(bytes("abc\0")), "-x shows all data in hex");
    }

    @Test
    void containersNestWithoutSpaces() {
        Map<String, Object> dictionary = new LinkedHashMap<>();
        dictionary.put("CurrentPowerState", 2);
        dictionary.put("Flags", List.of(true, "x", bytes("ok")));
        assertEquals("{\"CurrentPowerState\"=2,\"Flags\"=(Yes,\"x\",<\"ok\">)}", text(dictionary));
        assertEquals("{\"CurrentPowerState\"=0x2,\"Flags\"=(Yes,\"x\",<6f6b>)}", hex(dictionary));
        assertEquals("()", text(List.of()));
        assertEquals("{}", text(Map.of()));
        assertEquals("[\"a\",\"b\"]", text(new LinkedHashSet<>(List.of("a", "b"))));
        assertEquals("(1,(2,3))", text(new Object[] {1, List.of(2, 3)}));
    }

    @Test
    void objectsThatAreNotContainersShowAsTheKernelSerializesThem() {
        assertEquals("\"com_example_FooEthernet is not serializable\"", text(new FooEthernet()));
        assertEquals("\"java_lang_Thread is not serializable\"", text(Thread.currentThread()));
    }
}
