package org.kextkit.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.dd.plist.NSDictionary;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.kextkit.harness.bundle.KextBundle;
import org.kextkit.harness.version.VersionGrammar;

class KextlibsFormatterTest {
    private static final KextBundle BSD = library("/S/BSD.kext", "com.apple.kpi.bsd", "20.5.0", "8.0.0");
    private static final KextBundle IOKIT = library("/S/IOKit.kext", "com.apple.kpi.iokit", "20.5.0", "8.0.0");
    private static final KextBundle PCI = library("/S/IOPCIFamily.kext", "com.apple.iokit.IOPCIFamily", "2.9", "1.0.0b1");

    private static KextBundle library(String path, String id, String version, String compatible) {
        NSDictionary info = new NSDictionary();
        info.put("CFBundleIdentifier", id);
        info.put("CFBundleVersion", version);
        info.put("OSBundleCompatibleVersion", compatible);
        Path p = Path.of(path);
        return new KextBundle(p, p.resolve("Contents/Info.plist"), info, "x86_64", VersionGrammar.MODERN, null, 0);
    }

    private static ArchLibraries arch(String name, List<KextBundle> libs, Set<String> undefined,
                                      Map<String, KextBundle> onedef, Map<String, List<KextBundle>> multdef,
                                      List<KextBundle> multdefLibs) {
        return ArchLibraries.of(name, libs, undefined, onedef, multdef, multdefLibs);
    }

    private record Printed(int status, String out, String err) {
    }

    private static Printed print(KextlibsFormatter f, ArchLibraries... results) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = f.print(List.of(results), new PrintWriter(out), new PrintWriter(err));
        return new Printed(status, out.toString(), err.toString());
    }

    private static final KextlibsFormatter PLAIN = new KextlibsFormatter(false, false, false, false, false);

    @Test
    void librariesGoToStdoutWithCanonicalCurrentVersionsAndTheHeadingToStderr() {
        Printed p = print(PLAIN, arch("x86_64", List.of(BSD, PCI), Set.of(), Map.of("_a", BSD, "_b", PCI), Map.of(), List.of()));
        assertEquals(0, p.status());
        assertEquals("    com.apple.kpi.bsd = 20.5\n    com.apple.iokit.IOPCIFamily = 2.9\n", p.out());
        assertEquals("For all architectures:\n\n", p.err());
    }

    @Test
    void compatibleVersionsReplaceCurrentOnesWithMinusC() {
        Printed p = print(new KextlibsFormatter(false, true, false, false, false),
                arch("x86_64", List.of(BSD, PCI), Set.of(), Map.of(), Map.of(), List.of()));
        assertEquals("    com.apple.kpi.bsd = 8.0\n    com.apple.iokit.IOPCIFamily = 1.0b1\n", p.out());
    }

    @Test
    void xmlIsATabIndentedFragment() {
        Printed p = print(new KextlibsFormatter(true, false, false, false, false),
                arch("x86_64", List.of(BSD, IOKIT), Set.of(), Map.of(), Map.of(), List.of()));
        assertEquals("\t<key>OSBundleLibraries</key>\n\t<dict>\n"
                + "\t\t<key>com.apple.kpi.bsd</key>\n\t\t<string>20.5</string>\n"
                + "\t\t<key>com.apple.kpi.iokit</key>\n\t\t<string>20.5</string>\n"
                + "\t</dict>\n", p.out());
        assertEquals("\n", p.err());
    }

    @Test
    void noLibrariesSaysSoInPlainModeAndPrintsNothingInXml() {
        ArchLibraries none = arch("x86_64", List.of(), Set.of(), Map.of(), Map.of(), List.of());
        assertEquals("    No libraries found.\n", print(PLAIN, none).out());
        assertEquals("", print(new KextlibsFormatter(true, false, false, false, false), none).out());
    }

    @Test
    void undefinedSymbolsAreCountedAndOptionallyListedWithStatusOne() {
        ArchLibraries undefined = arch("x86_64", List.of(BSD), Set.of("_y", "_x"), Map.of("_a", BSD), Map.of(), List.of());
        Printed counted = print(PLAIN, undefined);
        assertEquals(KextlibsFormatter.EXIT_UNDEFINED, counted.status());
        assertEquals("For all architectures:\n\nFor x86_64:\n    2 symbols not found in any library kext.\n\n", counted.err());

        Printed listed = print(new KextlibsFormatter(false, false, true, false, false), undefined);
        assertEquals("For all architectures:\n\nFor x86_64:\n    2 symbols not found in any library kext:\n\t_x\n\t_y\n\n",
                listed.err());
    }

    @Test
    void multipleDefinitionsNameTheLibrariesOrListTheSymbolsAndWinWithStatusTwo() {
        ArchLibraries multiple = arch("x86_64", List.of(BSD, PCI), Set.of("_u"), Map.of(), Map.of("_dup", List.of(BSD, PCI)),
                List.of(BSD, PCI));
        Printed summary = print(PLAIN, multiple);
        assertEquals(KextlibsFormatter.EXIT_MULTIPLE, summary.status());
        assertEquals("For all architectures:\n\nFor x86_64:\n"
                + "    1 symbol not found in any library kext.\n"
                + "    Multiple symbols found among 2 libraries:\n\tcom.apple.kpi.bsd\n\tcom.apple.iokit.IOPCIFamily\n\n",
                summary.err());

        Printed listed = print(new KextlibsFormatter(false, true, false, false, true), multiple);
        assertEquals("For all architectures:\n\nFor x86_64:\n"
                + "    1 symbol not found in any library kext.\n"
                + "    1 symbol found in more than one library kext:\n"
                + "    _dup: in\n"
                + "        /S/BSD.kext (compatible version 8.0.0)\n"
                + "        /S/IOPCIFamily.kext (compatible version 1.0.0b1)\n\n", listed.err());
    }

    @Test
    void onedefSymbolsShowTheLibraryPathAndItsVersionAsWritten() {
        Printed p = print(new KextlibsFormatter(false, false, false, true, false),
                arch("x86_64", List.of(BSD, PCI), Set.of(), Map.of("_b", PCI, "_a", BSD), Map.of(), List.of()));
        assertEquals(0, p.status());
        assertEquals("For all architectures:\n\nFor x86_64:\n"
                + "    2 symbols found in one library kext each:\n"
                + "    _a in /S/BSD.kext (20.5.0)\n"
                + "    _b in /S/IOPCIFamily.kext (2.9)\n\n", p.err());

        Printed none = print(new KextlibsFormatter(false, false, false, true, false),
                arch("x86_64", List.of(), Set.of(), Map.of(), Map.of(), List.of()));
        assertEquals("For all architectures:\n\nFor x86_64:\n    0 symbol found in one library kext each.\n\n", none.err());
    }

    @Test
    void architecturesNeedingDifferentLibrariesArePrintedSeparately() {
        ArchLibraries intel = arch("x86_64", List.of(BSD, PCI), Set.of(), Map.of(), Map.of(), List.of());
        ArchLibraries arm = arch("arm64", List.of(BSD), Set.of(), Map.of(), Map.of(), List.of());
        Printed plain = print(PLAIN, intel, arm);
        assertEquals("    com.apple.kpi.bsd = 20.5\n    com.apple.iokit.IOPCIFamily = 2.9\n    com.apple.kpi.bsd = 20.5\n",
                plain.out());
        assertEquals("For x86_64:\nFor arm64:\n\n", plain.err());

        Printed xml = print(new KextlibsFormatter(true, false, false, false, false), intel, arm);
        assertEquals("\t<key>OSBundleLibraries_x86_64</key>\n\t<dict>\n"
                + "\t\t<key>com.apple.kpi.bsd</key>\n\t\t<string>20.5</string>\n"
                + "\t\t<key>com.apple.iokit.IOPCIFamily</key>\n\t\t<string>2.9</string>\n"
                + "\t</dict>\n"
                + "\t<key>OSBundleLibraries_arm64</key>\n\t<dict>\n"
                + "\t\t<key>com.apple.kpi.bsd</key>\n\t\t<string>20.5</string>\n"
                + "\t</dict>\n", xml.out());
    }

    @Test
    void architecturesNeedingTheSameLibrariesShareOneList() {
        ArchLibraries intel = arch("x86_64", List.of(BSD), Set.of("_x"), Map.of(), Map.of(), List.of());
        ArchLibraries arm = arch("arm64", List.of(BSD), Set.of(), Map.of(), Map.of(), List.of());
        Printed p = print(PLAIN, intel, arm);
        assertEquals("    com.apple.kpi.bsd = 20.5\n", p.out());
        // The blank line follows the first architecture's problems only, as kext_tools prints it.
        assertEquals("For all architectures:\n\nFor x86_64:\n    1 symbol not found in any library kext.\n\n", p.err());
        assertEquals(KextlibsFormatter.EXIT_UNDEFINED, p.status());
    }
}
