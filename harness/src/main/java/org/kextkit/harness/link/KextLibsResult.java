package org.kextkit.harness.link;

import java.io.PrintWriter;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.kextkit.harness.bundle.KextBundle;

/**
 * Hold what {@link KextLibs} found for one kext and print it exactly as {@code kextlibs(8)} does.
 *
 * <p>The JVM is one architecture, so libraries never differ by architecture: the plain listing is
 * headed {@code For all architectures:} and the XML fragment uses the plain
 * {@code OSBundleLibraries} key. Problem summaries are headed with the kext's architecture
 * ({@code For x86_64:}), as kextlibs heads them for each architecture it examined.
 */
public final class KextLibsResult {
    private final KextBundle kext;
    private final KextLibsOptions options;
    private final List<KextBundle> libraries;
    private final SortedSet<String> undefinedSymbols;
    private final SortedMap<String, KextBundle> onedefSymbols;
    private final SortedMap<String, List<KextBundle>> multdefSymbols;
    private final List<KextBundle> multdefLibraries;
    private final List<String> warnings;
    private final String failure;
    private final int failureStatus;

    KextLibsResult(KextBundle kext, KextLibsOptions options, List<KextBundle> libraries, SortedSet<String> undefinedSymbols,
                   SortedMap<String, KextBundle> onedefSymbols, SortedMap<String, List<KextBundle>> multdefSymbols,
                   List<KextBundle> multdefLibraries, List<String> warnings) {
        this(kext, options, libraries, undefinedSymbols, onedefSymbols, multdefSymbols, multdefLibraries, warnings, null, 0);
    }

    private KextLibsResult(KextBundle kext, KextLibsOptions options, List<KextBundle> libraries,
                           SortedSet<String> undefinedSymbols, SortedMap<String, KextBundle> onedefSymbols,
                           SortedMap<String, List<KextBundle>> multdefSymbols, List<KextBundle> multdefLibraries,
                           List<String> warnings, String failure, int failureStatus) {
        this.kext = kext;
        this.options = options;
        this.libraries = List.copyOf(libraries);
        this.undefinedSymbols = Collections.unmodifiableSortedSet(undefinedSymbols);
        this.onedefSymbols = Collections.unmodifiableSortedMap(onedefSymbols);
        this.multdefSymbols = Collections.unmodifiableSortedMap(multdefSymbols);
        this.multdefLibraries = List.copyOf(multdefLibraries);
        this.warnings = List.copyOf(warnings);
        this.failure = failure;
        this.failureStatus = failureStatus;
    }

    static KextLibsResult failure(KextBundle kext, KextLibsOptions options, String message, int status) {
        return new KextLibsResult(kext, options, List.of(), new TreeSet<>(), new TreeMap<>(), new TreeMap<>(), List.of(),
                List.of(), message, status);
    }

    /** Return the kext analysed. */
    public KextBundle kext() {
        return kext;
    }

    /** Return the libraries that define at least one needed class, sorted by bundle identifier. */
    public List<KextBundle> libraries() {
        return libraries;
    }

    /** Return the needed classes no searchable library defines. */
    public SortedSet<String> undefinedSymbols() {
        return undefinedSymbols;
    }

    /** Return the needed classes exactly one searchable library defines, with that library. */
    public SortedMap<String, KextBundle> onedefSymbols() {
        return onedefSymbols;
    }

    /** Return the needed classes several searchable libraries define, with those libraries sorted by identifier. */
    public SortedMap<String, List<KextBundle>> multdefSymbols() {
        return multdefSymbols;
    }

    /** Return the libraries that define at least one multiply defined class, sorted by identifier. */
    public List<KextBundle> multdefLibraries() {
        return multdefLibraries;
    }

    /** Return the message explaining why the kext was not analysed, or {@code null} if it was. */
    public String failure() {
        return failure;
    }

    /**
     * Return kextlibs' exit status: {@link KextLibs#EXIT_MULTIPLY_DEFINED} if any class is multiply
     * defined, else {@link KextLibs#EXIT_UNDEFINED} if any is undefined, else
     * {@link KextLibs#EXIT_OK}; for a kext that could not be analysed, the status its message calls for.
     */
    public int exitStatus() {
        if (failure != null) {
            return failureStatus;
        }
        if (!multdefSymbols.isEmpty()) {
            return KextLibs.EXIT_MULTIPLY_DEFINED;
        }
        return undefinedSymbols.isEmpty() ? KextLibs.EXIT_OK : KextLibs.EXIT_UNDEFINED;
    }

    /**
     * Print the result the way kextlibs does: the libraries to {@code out}, headings and problems to
     * {@code err}. Both writers are flushed.
     *
     * @return the exit status
     */
    public int print(PrintWriter out, PrintWriter err) {
        try {
            if (failure != null) {
                err.print(failure + "\n");
                return exitStatus();
            }
            for (String warning : warnings) {
                err.print(warning + "\n");
            }
            printLibraries(out, err);
            printProblems(err);
            return exitStatus();
        } finally {
            out.flush();
            err.flush();
        }
    }

    private void printLibraries(PrintWriter out, PrintWriter err) {
        if (options.xml()) {
            // An empty dictionary could pass for good output, so nothing is printed then.
            if (!libraries.isEmpty()) {
                out.print("\t<key>OSBundleLibraries</key>\n");
                out.print("\t<dict>\n");
                for (KextBundle library : libraries) {
                    out.print("\t\t<key>" + library.identifier() + "</key>\n");
                    out.print("\t\t<string>" + canonicalVersion(library) + "</string>\n");
                }
                out.print("\t</dict>\n");
            }
        } else {
            err.print("For all architectures:\n");
            if (libraries.isEmpty()) {
                out.print("    No libraries found.\n");
            }
            for (KextBundle library : libraries) {
                out.print("    " + library.identifier() + " = " + canonicalVersion(library) + "\n");
            }
        }
        err.print("\n");
    }

    private void printProblems(PrintWriter err) {
        if (!options.onedefSymbols() && undefinedSymbols.isEmpty() && multdefSymbols.isEmpty()) {
            return;
        }
        err.print("For " + kext.arch() + ":\n");
        if (options.onedefSymbols()) {
            int n = onedefSymbols.size();
            err.print("    " + n + " symbol" + plural(n) + " found in one library kext each" + (n > 0 ? ":" : ".") + "\n");
            for (Map.Entry<String, KextBundle> e : onedefSymbols.entrySet()) {
                err.print("    " + e.getKey() + " in " + e.getValue().path() + " (" + rawVersion(e.getValue()) + ")\n");
            }
        }
        if (!undefinedSymbols.isEmpty()) {
            int n = undefinedSymbols.size();
            err.print("    " + n + " symbol" + plural(n) + " not found in any library kext"
                    + (options.undefSymbols() ? ":" : ".") + "\n");
            if (options.undefSymbols()) {
                for (String symbol : undefinedSymbols) {
                    err.print("\t" + symbol + "\n");
                }
            }
        }
        if (!multdefSymbols.isEmpty()) {
            if (options.multdefSymbols()) {
                int n = multdefSymbols.size();
                err.print("    " + n + " symbol" + plural(n) + " found in more than one library kext:\n");
                for (Map.Entry<String, List<KextBundle>> e : multdefSymbols.entrySet()) {
                    err.print("    " + e.getKey() + ": in\n");
                    for (KextBundle library : e.getValue()) {
                        err.print("        " + library.path() + " (" + rawVersion(library) + ")\n");
                    }
                }
            } else {
                err.print("    Multiple symbols found among " + multdefLibraries.size() + " libraries:\n");
                for (KextBundle library : multdefLibraries) {
                    err.print("\t" + library.identifier() + "\n");
                }
            }
        }
        err.print("\n");
    }

    /** Format as kextlibs does for the library list: the parsed version, canonically. */
    private String canonicalVersion(KextBundle library) {
        return options.compatibleVersions() ? library.compatibleVersion().canonical() : library.version().canonical();
    }

    /** Format as kextlibs does in symbol listings: the Info.plist string as written. */
    private String rawVersion(KextBundle library) {
        return options.compatibleVersions()
                ? "compatible version " + library.stringValue("OSBundleCompatibleVersion")
                : library.versionString();
    }

    private static String plural(int n) {
        return n > 1 ? "s" : "";
    }
}
