package org.kextkit.harness.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import org.kextkit.harness.bundle.KextBundle;
import org.kextkit.harness.version.KextVersion;

/**
 * Print kextlibs' results exactly as kext_tools' {@code kextlibs_main.c} does: the library list on
 * stdout (plain {@code     id = version} lines or an {@code OSBundleLibraries} XML fragment), and the
 * {@code For ...:} headings and symbol problems on stderr.
 *
 * <p>If every architecture needs the same libraries they are printed once ("For all architectures");
 * otherwise once per architecture. Instances are immutable.
 */
public final class KextlibsFormatter {
    /** kextlibs' status when every symbol was found exactly once. */
    public static final int EXIT_OK = 0;
    /** kextlibs' status when some symbols were found in no library. */
    public static final int EXIT_UNDEFINED = 1;
    /** kextlibs' status when some symbols were found in several libraries (wins over undefined). */
    public static final int EXIT_MULTIPLE = 2;

    private final boolean xml;
    private final boolean compatibleVersions;
    private final boolean printUndefinedSymbols;
    private final boolean printOnedefSymbols;
    private final boolean printMultdefSymbols;

    /**
     * Create a formatter.
     *
     * @param xml print an XML fragment ({@code -xml})
     * @param compatibleVersions print libraries' compatible versions ({@code -c})
     * @param printUndefinedSymbols list symbols found nowhere ({@code -undef-symbols})
     * @param printOnedefSymbols list symbols found once, with their library ({@code -onedef-symbols})
     * @param printMultdefSymbols list symbols found more than once ({@code -multdef-symbols})
     */
    public KextlibsFormatter(boolean xml, boolean compatibleVersions, boolean printUndefinedSymbols,
                             boolean printOnedefSymbols, boolean printMultdefSymbols) {
        this.xml = xml;
        this.compatibleVersions = compatibleVersions;
        this.printUndefinedSymbols = printUndefinedSymbols;
        this.printOnedefSymbols = printOnedefSymbols;
        this.printMultdefSymbols = printMultdefSymbols;
    }

    /**
     * Print the results for every architecture and return kextlibs' exit status: the highest of
     * {@link #EXIT_OK}, {@link #EXIT_UNDEFINED}, {@link #EXIT_MULTIPLE}, or {@link ExitCodes#EX_OSERR}
     * if a library has no valid version to print.
     */
    public int print(List<ArchLibraries> results, PrintWriter out, PrintWriter err) {
        int status = EXIT_OK;
        int count = results.size();
        boolean archSpecific = false;
        for (int i = 0; i + 1 < count; i++) {
            if (!sameKexts(results.get(i).libraries(), results.get(i + 1).libraries())) {
                archSpecific = true;
                break;
            }
        }
        if (!archSpecific) {
            status = Math.max(status, printLibraries(null, results.get(0).libraries(), true, out, err));
        } else if (xml) {
            for (int i = 0; i < count; i++) {
                status = Math.max(status, printLibraries(results.get(i).arch(), results.get(i).libraries(), i + 1 == count,
                        out, err));
            }
        }
        for (int i = 0; i < count; i++) {
            if (archSpecific && !xml) {
                status = Math.max(status, printLibraries(results.get(i).arch(), results.get(i).libraries(), i + 1 == count,
                        out, err));
            }
            // "i + i" reproduces kext_tools exactly: a blank line follows the first architecture's problems only.
            status = Math.max(status, printProblems(results.get(i), !archSpecific || xml, i + i < count, err));
        }
        out.flush();
        err.flush();
        return status;
    }

    private static boolean sameKexts(List<KextBundle> a, List<KextBundle> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i) != b.get(i)) {
                return false;
            }
        }
        return true;
    }

    /** Print one library list; {@code arch} is {@code null} for "all architectures". */
    int printLibraries(String arch, List<KextBundle> libraries, boolean trailingNewline, PrintWriter out, PrintWriter err) {
        if (xml) {
            if (!libraries.isEmpty()) {
                out.print("\t<key>OSBundleLibraries" + (arch != null ? "_" + arch : "") + "</key>\n");
                out.print("\t<dict>\n");
            }
        } else {
            err.print(arch != null ? "For " + arch + ":\n" : "For all architectures:\n");
            if (libraries.isEmpty()) {
                out.print("    No libraries found.\n");
            }
        }
        for (KextBundle library : libraries) {
            KextVersion version = compatibleVersions ? library.compatibleVersion() : library.version();
            if (library.identifier() == null || !version.isValid()) {
                err.print("Internal error generating library list.\n");
                return ExitCodes.EX_OSERR;
            }
            if (xml) {
                out.print("\t\t<key>" + library.identifier() + "</key>\n");
                out.print("\t\t<string>" + version.canonical() + "</string>\n");
            } else {
                out.print("    " + library.identifier() + " = " + version.canonical() + "\n");
            }
        }
        if (!libraries.isEmpty() && xml) {
            out.print("\t</dict>\n");
        }
        if (trailingNewline) {
            err.print("\n");
        }
        return EXIT_OK;
    }

    /** Print one architecture's symbol problems to {@code err} and return its status. */
    int printProblems(ArchLibraries result, boolean printArch, boolean trailingNewline, PrintWriter err) {
        int onedefCount = result.onedefSymbols().size();
        int undefCount = result.undefinedSymbols().size();
        int multdefCount = result.multdefSymbols().size();
        if (!printOnedefSymbols && undefCount == 0 && multdefCount == 0) {
            return EXIT_OK;
        }
        int status = EXIT_OK;
        if (printArch) {
            err.print("For " + result.arch() + ":\n");
        }
        if (printOnedefSymbols) {
            err.print("    " + onedefCount + " symbol" + plural(onedefCount) + " found in one library kext each"
                    + (onedefCount > 0 ? ":" : ".") + "\n");
            for (Map.Entry<String, KextBundle> e : result.onedefSymbols().entrySet()) {
                err.print("    " + e.getKey() + " in " + e.getValue().path() + " (" + versionLabel(e.getValue()) + ")\n");
            }
        }
        if (undefCount > 0) {
            err.print("    " + undefCount + " symbol" + plural(undefCount) + " not found in any library kext"
                    + (printUndefinedSymbols ? ":" : ".") + "\n");
            if (printUndefinedSymbols) {
                for (String symbol : result.undefinedSymbols()) {
                    err.print("\t" + symbol + "\n");
                }
            }
            status = EXIT_UNDEFINED;
        }
        if (multdefCount > 0) {
            if (printMultdefSymbols) {
                err.print("    " + multdefCount + " symbol" + plural(multdefCount) + " found in more than one library kext:\n");
                for (Map.Entry<String, List<KextBundle>> e : result.multdefSymbols().entrySet()) {
                    err.print("    " + e.getKey() + ": in\n");
                    for (KextBundle library : e.getValue()) {
                        err.print("        " + library.path() + " (" + versionLabel(library) + ")\n");
                    }
                }
            } else {
                err.print("    Multiple symbols found among " + result.multdefLibraries().size() + " libraries:\n");
                for (KextBundle library : result.multdefLibraries()) {
                    err.print("\t" + library.identifier() + "\n");
                }
            }
            status = EXIT_MULTIPLE;
        }
        if (trailingNewline) {
            err.print("\n");
        }
        return status;
    }

    private String versionLabel(KextBundle library) {
        String raw = compatibleVersions ? library.stringValue("OSBundleCompatibleVersion") : library.versionString();
        return (compatibleVersions ? "compatible version " : "") + raw;
    }

    private static String plural(int count) {
        return count > 1 ? "s" : "";
    }
}
