package org.kextkit.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class KextstatFormatterTest {
    private static final KextstatRow BSD = kpi(1, 146, "com.apple.kpi.bsd", "2F3A1C44-0B6E-3B8E-9C3E-5B2D0C1E7A11");
    private static final KextstatRow IOKIT = kpi(3, 178, "com.apple.kpi.iokit", "8E1D9B2C-4A77-3F10-B5A2-0C9E1F2D3B44");
    private static final KextstatRow LIBKERN = kpi(5, 180, "com.apple.kpi.libkern", "51C3D2E1-7A66-3B9D-8E4F-2A1B0C9D8E77");
    private static final KextstatRow MACH = kpi(6, 180, "com.apple.kpi.mach", "A0B1C2D3-E4F5-3617-8899-AABBCCDDEEFF");
    private static final KextstatRow PCI = new KextstatRow(58, 12, 0xffffff7f82a51000L, 0x2d000, 0x2d000,
            "com.apple.iokit.IOPCIFamily", "2.9", "9f8e7d6c-5b4a-3928-1716-151413121110", List.of(1, 5, 6, 3), "x86_64", false);
    private static final KextstatRow FOO = new KextstatRow(131, 0, 0xffffff7f85c0b000L, 0x5000, 0x5000,
            "com.example.driver.FooEthernet", "1.2.3d4", null, List.of(3, 58, 1, 6, 5), "x86_64", false);
    private static final KextstatRow KERNEL = new KextstatRow(0, 200, 0xffffff8000200000L, 0x1000000, 0x1000000,
            "__kernel__", "20.5.0", null, List.of(), "x86_64", true);

    private static KextstatRow kpi(int tag, int refs, String id, String uuid) {
        return new KextstatRow(tag, refs, 0, 0, 0, id, "20.5.0", uuid, List.of(), "x86_64", true);
    }

    @Test
    void printsTheSectionFiveOneSampleByteForByteFromRowsInAnyOrder() {
        String expected = ""
                + "Index Refs Address            Size       Wired      Name (Version) UUID <Linked Against>\n"
                + "    1  146 0                  0          0          com.apple.kpi.bsd (20.5.0) 2F3A1C44-0B6E-3B8E-9C3E-5B2D0C1E7A11\n"
                + "    3  178 0                  0          0          com.apple.kpi.iokit (20.5.0) 8E1D9B2C-4A77-3F10-B5A2-0C9E1F2D3B44\n"
                + "    5  180 0                  0          0          com.apple.kpi.libkern (20.5.0) 51C3D2E1-7A66-3B9D-8E4F-2A1B0C9D8E77\n"
                + "    6  180 0                  0          0          com.apple.kpi.mach (20.5.0) A0B1C2D3-E4F5-3617-8899-AABBCCDDEEFF\n"
                + "   58   12 0xffffff7f82a51000 0x2d000    0x2d000    com.apple.iokit.IOPCIFamily (2.9) 9F8E7D6C-5B4A-3928-1716-151413121110 <6 5 3 1>\n"
                + "  131    0 0xffffff7f85c0b000 0x5000     0x5000     com.example.driver.FooEthernet (1.2.3d4) no UUID <58 6 5 3 1>\n";
        String actual = new KextstatFormatter().format(List.of(FOO, MACH, PCI, KERNEL, BSD, LIBKERN, IOKIT));
        assertEquals(expected, actual);
    }

    @Test
    void listOnlyOmitsTheHeader() {
        assertEquals("    1  146 0                  0          0          com.apple.kpi.bsd (20.5.0) "
                + "2F3A1C44-0B6E-3B8E-9C3E-5B2D0C1E7A11\n", new KextstatFormatter().withHeader(false).format(List.of(BSD)));
    }

    @Test
    void anEmptyKernelStillPrintsTheHeader() {
        assertEquals(KextstatFormatter.HEADER + "\n", new KextstatFormatter().format(List.of(KERNEL)));
    }

    @Test
    void architectureColumnIsEighteenWideAndUnknownArchitecturePrintsQuestionMarks() {
        KextstatRow noArch = new KextstatRow(7, 0, 0x1000, 0x100, 0x100, "com.example.A", "1", null, List.of(), null, false);
        String out = new KextstatFormatter().withArchitecture(true).format(List.of(PCI, noArch));
        assertEquals(""
                + "Index Refs Address            Size       Wired      Architecture       Name (Version) UUID <Linked Against>\n"
                + "    7    0 0x1000             0x100      0x100            ????/????    com.example.A (1) no UUID\n"
                + "   58   12 0xffffff7f82a51000 0x2d000    0x2d000    x86_64             com.apple.iokit.IOPCIFamily (2.9) "
                + "9F8E7D6C-5B4A-3928-1716-151413121110 <6 5 3 1>\n", out);
    }

    @Test
    void unknownValuesPrintQuestionMarksAndSortFirst() {
        KextstatRow unknown = new KextstatRow(KextstatRow.UNKNOWN, KextstatRow.UNKNOWN, KextstatRow.UNKNOWN,
                KextstatRow.UNKNOWN, KextstatRow.UNKNOWN, null, null, null, List.of(5, KextstatRow.UNKNOWN, 9), null, false);
        String out = new KextstatFormatter().withHeader(false).format(List.of(BSD, unknown));
        assertEquals(""
                + "   ??   ?? ????               ????       ????       ???? (????) no UUID <9 5 ??>\n"
                + "    1  146 0                  0          0          com.apple.kpi.bsd (20.5.0) 2F3A1C44-0B6E-3B8E-9C3E-5B2D0C1E7A11\n",
                out);
    }

    @Test
    void noKernelHidesKernelComponentsUnlessNamedByIdentifier() {
        KextstatFormatter f = new KextstatFormatter().withHeader(false).withoutKernelComponents(true);
        assertEquals(List.of(PCI, FOO), f.select(List.of(BSD, IOKIT, PCI, FOO)));
        assertEquals(List.of(IOKIT), f.onlyBundleIds(List.of("com.apple.kpi.iokit")).select(List.of(BSD, IOKIT, PCI, FOO)));
    }

    @Test
    void bundleIdFilterKeepsOnlyNamedKexts() {
        assertEquals(List.of(PCI, FOO), new KextstatFormatter()
                .onlyBundleIds(List.of("com.example.driver.FooEthernet", "com.apple.iokit.IOPCIFamily", "com.example.Absent"))
                .select(List.of(FOO, BSD, PCI)));
    }

    @Test
    void sortByLoadAddressPutsTheLowestAddressFirstAndZeroBeforeThat() {
        KextstatRow low = new KextstatRow(200, 0, 0xffffff7f80001000L, 0x1000, 0x1000, "com.example.Low", "1", null,
                List.of(), null, false);
        assertEquals(List.of(BSD, low, PCI, FOO),
                new KextstatFormatter().sortedByLoadAddress(true).select(List.of(FOO, PCI, low, BSD)));
    }

    @Test
    void alternateHexMatchesCPrintfForZeroAndNonZero() {
        assertEquals("0         ", KextstatFormatter.alternateHex(0, 10));
        assertEquals("0x2d000   ", KextstatFormatter.alternateHex(0x2d000, 10));
        assertEquals("0xffffff7f82a51000", KextstatFormatter.alternateHex(0xffffff7f82a51000L, 18));
        assertEquals("????      ", KextstatFormatter.alternateHex(KextstatRow.UNKNOWN, 10));
    }
}
