package org.kextkit.harness.cli.kextfind;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.kextkit.harness.bundle.KextBundle;
import org.kextkit.harness.cli.KextCatalog;
import org.kextkit.harness.cli.KextstatRow;
import org.kextkit.harness.version.KextVersion;
import org.kextkit.harness.version.VersionGrammar;

/**
 * Parse a kextfind command line and run it over a catalog.
 *
 * <p>The command line is {@code [options] [directory or kext ...] [query] [-report [-no-header]
 * report_predicate ...]}. The query grammar, by increasing precedence:
 * <pre>
 * query   := and ( "-or" and )*
 * and     := unary ( [ "-and" ] unary )*        (adjacent elements are implicitly and-ed)
 * unary   := ( "!" | "-not" ) unary | primary
 * primary := "(" query ")" | predicate | command
 * </pre>
 * Evaluation short-circuits. With no command in the query, every matching kext is printed (or, with
 * {@code -report}, reported); commands print as they are evaluated and evaluate to true.
 */
public final class KextfindQuery {
    /** The architectures {@code -set-arch} accepts. */
    public static final Set<String> KNOWN_ARCHES = Set.of("x86_64", "x86_64h", "arm64", "arm64e", "i386");

    private static final String REPORT = "-report";
    private static final String NO_HEADER = "-no-header";
    private static final String USE_DASH_DASH = " (use -- to end options before arguments starting with a hyphen).";
    private static final Set<String> UNSUPPORTED = Set.of("-arch", "-ax", "-arch-exact", "-dsym", "-defines-symbol",
            "-rsym", "-references-symbol", "-pa", "-print-arches");
    private static final Set<String> INTEGRITY_STATES = Set.of("correct", "unknown", "not-apple", "no-receipt", "modified");
    private static final Set<String> KEYWORDS = keywords();
    // Two-letter operators first, so that "ne" is not read as "n" + "e".
    private static final List<Map.Entry<String, Predicates.VersionOperator>> VERSION_OPERATORS = List.of(
            Map.entry("ne", Predicates.VersionOperator.NOT_EQUAL),
            Map.entry("gt", Predicates.VersionOperator.GREATER),
            Map.entry("ge", Predicates.VersionOperator.GREATER_OR_EQUAL),
            Map.entry("lt", Predicates.VersionOperator.LESS),
            Map.entry("le", Predicates.VersionOperator.LESS_OR_EQUAL),
            Map.entry("e", Predicates.VersionOperator.EQUAL));

    /**
     * Name one place to search: a path as typed, or (for {@code null}) the system extension folders.
     *
     * @param path the directory or kext as typed, or {@code null} for the system extension folders
     */
    public record SearchItem(String path) {
        /** Return true if this item stands for the system extension folders ({@code -e}). */
        public boolean isSystemExtensions() {
            return path == null;
        }
    }

    private final List<String> args;
    private final Function<String, Path> resolver;
    private int pos;
    private int queryStart;

    private boolean help;
    private boolean caseInsensitive;
    private boolean substring;
    private PathSpec pathSpec = PathSpec.FULL;
    private String arch;
    private final List<SearchItem> searchItems = new ArrayList<>();
    private Expr query;
    private boolean commandSpecified;
    private boolean needsLoadedKexts;
    private List<ReportColumn> report;
    private boolean reportHeader = true;
    private final List<String> notices = new ArrayList<>();

    private KextfindQuery(List<String> args, Function<String, Path> resolver) {
        this.args = List.copyOf(args);
        this.resolver = resolver;
    }

    /**
     * Parse kextfind's arguments.
     *
     * @param args the arguments after {@code kextfind}
     * @param resolver turns a path as typed into an absolute path (against the client's directory)
     * @throws KextfindSyntaxException with kextfind's message if the command line is malformed
     */
    public static KextfindQuery parse(List<String> args, Function<String, Path> resolver) throws KextfindSyntaxException {
        KextfindQuery q = new KextfindQuery(args, resolver);
        q.parse();
        return q;
    }

    /** Return true if {@code -h}/{@code -help} came before the query. */
    public boolean helpRequested() {
        return help;
    }

    /** Return the search items in command-line order; empty means the system extension folders. */
    public List<SearchItem> searchItems() {
        return List.copyOf(searchItems);
    }

    /** Return the architecture given with {@code -set-arch}, or {@code null}. */
    public String arch() {
        return arch;
    }

    /** Return true if the query uses {@code -loaded}, which needs the kernel's list of loaded kexts. */
    public boolean needsLoadedKexts() {
        return needsLoadedKexts;
    }

    /** Return messages parsing produced that are not errors (for example about {@code -integrity}). */
    public List<String> notices() {
        return List.copyOf(notices);
    }

    /** Return how paths are printed. */
    public PathSpec pathSpec() {
        return pathSpec;
    }

    /**
     * Evaluate the query for every kext of the catalog, in the catalog's order, printing to {@code out}.
     *
     * @param loaded the loaded kexts, for {@code -loaded} (may be empty when not needed)
     */
    public void run(KextCatalog catalog, List<KextstatRow> loaded, PrintWriter out) {
        Evaluation evaluation = new Evaluation(catalog, out, pathSpec, caseInsensitive, substring, loaded);
        boolean headerPending = report != null && reportHeader;
        for (KextBundle kext : catalog.kexts()) {
            boolean match = query == null || query.evaluate(kext, evaluation);
            if (!match || commandSpecified) {
                continue;
            }
            if (report == null) {
                out.print(pathSpec.format(kext) + "\n");
                continue;
            }
            if (headerPending) {
                List<String> headings = new ArrayList<>();
                report.forEach(c -> headings.add(c.heading()));
                out.print(String.join("\t", headings) + "\n");
                headerPending = false;
            }
            List<String> cells = new ArrayList<>();
            // Report columns never short-circuit: every cell is computed.
            report.forEach(c -> cells.add(c.cell(kext, evaluation)));
            out.print(String.join("\t", cells) + "\n");
        }
        out.flush();
    }

    // ---- parsing ----

    private boolean atEnd() {
        return pos >= args.size();
    }

    private String peek() {
        return atEnd() ? null : args.get(pos);
    }

    private static int argNo(int index) {
        return index + 1;
    }

    private void parse() throws KextfindSyntaxException {
        parseOptions();
        if (help) {
            return;
        }
        while (!atEnd() && Files.isDirectory(resolver.apply(peek()))) {
            searchItems.add(new SearchItem(args.get(pos++)));
        }
        queryStart = pos;
        if (!atEnd() && !REPORT.equals(peek())) {
            query = parseOr();
            if (!atEnd() && !REPORT.equals(peek())) {
                throw syntax(pos);
            }
        }
        if (!atEnd()) {
            pos++;
            if (NO_HEADER.equals(peek())) {
                pos++;
                reportHeader = false;
            }
            if (commandSpecified) {
                throw new KextfindSyntaxException(false, "Can't do report; query has commands.");
            }
            report = new ArrayList<>();
            while (!atEnd()) {
                report.add(parseReportColumn());
            }
            if (report.isEmpty()) {
                throw new KextfindSyntaxException(true, "No report predicates specified.");
            }
        }
    }

    private void parseOptions() throws KextfindSyntaxException {
        while (!atEnd()) {
            String t = peek();
            switch (t) {
                case "-h":
                case "-help":
                    help = true;
                    return;
                case "-i":
                case "-case-insensitive":
                    caseInsensitive = true;
                    break;
                case "-s":
                case "-substring":
                    substring = true;
                    break;
                case "-e":
                case "-system-extensions":
                    searchItems.add(new SearchItem(null));
                    break;
                case "-relative-paths":
                    pathSpec = PathSpec.RELATIVE;
                    break;
                case "-no-paths":
                    pathSpec = PathSpec.NONE;
                    break;
                case "-f":
                case "-search-item":
                    searchItems.add(new SearchItem(searchItem(t)));
                    continue;
                case "-set-arch":
                    arch = setArch(t);
                    continue;
                default:
                    if (t.matches("-[eis]{2,}")) {
                        for (char c : t.substring(1).toCharArray()) {
                            if (c == 'e') {
                                searchItems.add(new SearchItem(null));
                            } else if (c == 'i') {
                                caseInsensitive = true;
                            } else {
                                substring = true;
                            }
                        }
                        break;
                    }
                    return;
            }
            pos++;
        }
    }

    private String searchItem(String option) throws KextfindSyntaxException {
        int at = pos++;
        if (atEnd()) {
            throw missing(option, at, true);
        }
        String item = args.get(pos++);
        Path path = resolver.apply(item);
        if (!Files.exists(path)) {
            throw new KextfindSyntaxException(true, "Can't stat " + item + " - No such file or directory.");
        }
        if (!Files.isDirectory(path)) {
            throw new KextfindSyntaxException(true, item + " - not a kext or directory.");
        }
        return item;
    }

    private String setArch(String option) throws KextfindSyntaxException {
        int at = pos++;
        if (atEnd()) {
            throw missing(option, at, true);
        }
        String name = args.get(pos++);
        if (!KNOWN_ARCHES.contains(name)) {
            throw new KextfindSyntaxException(true, "Unknown architecture " + name + ".");
        }
        return name;
    }

    private Expr parseOr() throws KextfindSyntaxException {
        Expr left = parseAnd();
        while ("-or".equals(peek())) {
            pos++;
            requireOperand();
            left = new Expr.Or(left, parseAnd());
        }
        return left;
    }

    private Expr parseAnd() throws KextfindSyntaxException {
        Expr left = parseUnary();
        while (!atEnd()) {
            String t = peek();
            if ("-or".equals(t) || ")".equals(t) || REPORT.equals(t)) {
                break;
            }
            if ("-and".equals(t)) {
                pos++;
                requireOperand();
            }
            left = new Expr.And(left, parseUnary());
        }
        return left;
    }

    private void requireOperand() throws KextfindSyntaxException {
        if (atEnd() || REPORT.equals(peek())) {
            throw unbalanced();
        }
    }

    private Expr parseUnary() throws KextfindSyntaxException {
        requireOperand();
        String t = peek();
        if ("!".equals(t) || "-not".equals(t)) {
            pos++;
            requireOperand();
            return new Expr.Not(parseUnary());
        }
        if ("(".equals(t)) {
            pos++;
            if (")".equals(peek())) {
                throw new KextfindSyntaxException(false, "Empty group near arg #" + argNo(pos) + ".");
            }
            Expr inner = parseOr();
            if (!")".equals(peek())) {
                throw unbalanced();
            }
            pos++;
            return inner;
        }
        if (")".equals(t) || "-and".equals(t) || "-or".equals(t)) {
            throw syntax(pos);
        }
        return parsePrimary();
    }

    private Expr parsePrimary() throws KextfindSyntaxException {
        int at = pos;
        String t = args.get(pos++);
        Flag flag = Flag.named(t);
        if (flag != null) {
            if (flag == Flag.LOADED) {
                needsLoadedKexts = true;
            }
            return new Expr.FlagTest(flag);
        }
        switch (t) {
            case "-b":
            case "-bundle-id": {
                StringOptions o = stringOptions(t, at);
                return new Predicates.Property("CFBundleIdentifier", argument(t, at), false, false, o.caseInsensitive, o.substring);
            }
            case "-B":
            case "-bundle-name": {
                StringOptions o = stringOptions(t, at);
                return new Predicates.BundleName(argument(t, at), o.caseInsensitive, o.substring);
            }
            case "-p":
            case "-property":
            case "-m":
            case "-match-property": {
                StringOptions o = stringOptions(t, at);
                String key = argument(t, at);
                String value = argument(t, at);
                boolean personalities = t.equals("-m") || t.equals("-match-property");
                return new Predicates.Property(key, value, personalities, false, o.caseInsensitive, o.substring);
            }
            case "-pe":
            case "-property-exists":
                return new Predicates.Property(argument(t, at), null, false, false, false, false);
            case "-me":
            case "-match-property-exists":
                return new Predicates.Property(argument(t, at), null, true, false, false, false);
            case "-R":
            case "-root":
                return bootLevel("Root");
            case "-C":
            case "-console":
                return bootLevel("Console");
            case "-L":
            case "-local-root":
                return bootLevel("Local-Root");
            case "-N":
            case "-network-root":
                return bootLevel("Network-Root");
            case "-S":
            case "-safe-boot":
                return bootLevel("Safe Boot");
            case "-V":
            case "-version":
                return version(t, at);
            case "-compatible-with-version": {
                String text = argument(t, at);
                KextVersion requested = KextVersion.parse(text);
                if (!requested.isValid()) {
                    throw invalidVersion(text, t, at);
                }
                return new Predicates.CompatibleWith(requested);
            }
            case "-integrity": {
                String state = argument(t, at);
                if (!INTEGRITY_STATES.contains(state)) {
                    throw missing(t, at, false);
                }
                notices.add("Integrity states are no longer used; no kexts will match.");
                return new Expr.Never();
            }
            case "-echo":
                return echo(t, at);
            case "-print":
                return print(Commands.Kind.PRINT, null, printTerminator());
            case "-print0":
                return print(Commands.Kind.PRINT, null, '\0');
            case "-pdiag":
            case "-print-diagnostics":
                return print(Commands.Kind.PRINT_DIAGNOSTICS, null, '\n');
            case "-pp":
            case "-print-property": {
                char terminator = printTerminator();
                return print(Commands.Kind.PRINT_PROPERTY, argument(t, at), terminator);
            }
            case "-pm":
            case "-print-match-property": {
                char terminator = printTerminator();
                return print(Commands.Kind.PRINT_MATCH_PROPERTY, argument(t, at), terminator);
            }
            case "-print-dependencies":
                return print(Commands.Kind.PRINT_DEPENDENCIES, null, printTerminator());
            case "-print-dependents":
                return print(Commands.Kind.PRINT_DEPENDENTS, null, printTerminator());
            case "-print-plugins":
                return print(Commands.Kind.PRINT_PLUGINS, null, printTerminator());
            case "-print-integrity":
                return print(Commands.Kind.PRINT_INTEGRITY, null, printTerminator());
            case "-pid":
            case "-print-info-dictionary":
                return print(Commands.Kind.PRINT_INFO_DICTIONARY, null, printTerminator());
            case "-px":
            case "-print-executable":
                return print(Commands.Kind.PRINT_EXECUTABLE, null, printTerminator());
            case "-exec":
                throw new KextfindSyntaxException(false,
                        "-exec is not supported by kextkit: the kext daemon runs no programs for its clients.");
            default:
                if (UNSUPPORTED.contains(t)) {
                    throw unsupported(t);
                }
                if (at == queryStart) {
                    throw new KextfindSyntaxException(true, "Unknown option/query predicate '" + t + "' (arg #" + argNo(at) + ").");
                }
                throw new KextfindSyntaxException(false, "Expected query predicate, found '" + t + "' (arg #" + argNo(at) + ").");
        }
    }

    private static Expr bootLevel(String value) {
        // The OSBundleRequired shorthands always compare exactly, whatever -i and -s say.
        return new Predicates.Property("OSBundleRequired", value, false, true, false, false);
    }

    private Expr print(Commands.Kind kind, String key, char terminator) {
        commandSpecified = true;
        return new Commands.Print(kind, key, terminator);
    }

    private char printTerminator() {
        char terminator = '\n';
        while ("-0".equals(peek()) || "-nul".equals(peek())) {
            pos++;
            terminator = '\0';
        }
        return terminator;
    }

    private Expr echo(String predicate, int at) throws KextfindSyntaxException {
        boolean newline = true;
        char terminator = '\n';
        while (!atEnd()) {
            String t = peek();
            if ("--".equals(t)) {
                pos++;
                break;
            } else if ("-n".equals(t) || "-no-newline".equals(t)) {
                newline = false;
            } else if ("-0".equals(t) || "-nul".equals(t)) {
                terminator = '\0';
            } else if (t.startsWith("-") && t.length() > 1) {
                throw badOption(t, predicate, at);
            } else {
                break;
            }
            pos++;
        }
        commandSpecified = true;
        return new Commands.Echo(argument(predicate, at), newline, terminator);
    }

    private Expr version(String predicate, int at) throws KextfindSyntaxException {
        String text = argument(predicate, at);
        Predicates.VersionOperator op = null;
        String rest = text;
        for (Map.Entry<String, Predicates.VersionOperator> prefix : VERSION_OPERATORS) {
            if (text.startsWith(prefix.getKey())) {
                op = prefix.getValue();
                rest = text.substring(prefix.getKey().length());
                break;
            }
        }
        if (op == null && !text.isEmpty() && "ngl".indexOf(text.charAt(0)) >= 0) {
            throw invalidVersion(text, predicate, at);
        }
        int hyphen = rest.indexOf('-');
        if (hyphen >= 0) {
            if (op != null) {
                throw invalidVersion(text, predicate, at);
            }
            long low = KextVersion.pack(rest.substring(0, hyphen), VersionGrammar.MODERN);
            long high = KextVersion.pack(rest.substring(hyphen + 1), VersionGrammar.MODERN);
            if (low < 0 || high < 0) {
                throw invalidVersion(text, predicate, at);
            }
            return new Predicates.Version(Predicates.VersionOperator.RANGE, low, high);
        }
        long value = KextVersion.pack(rest, VersionGrammar.MODERN);
        if (value < 0) {
            throw invalidVersion(text, predicate, at);
        }
        return new Predicates.Version(op == null ? Predicates.VersionOperator.EQUAL : op, value, 0);
    }

    private record StringOptions(boolean caseInsensitive, boolean substring) {
    }

    private StringOptions stringOptions(String predicate, int at) throws KextfindSyntaxException {
        boolean ci = false;
        boolean ss = false;
        while (!atEnd()) {
            String t = peek();
            if ("--".equals(t)) {
                pos++;
                break;
            } else if ("-i".equals(t) || "-case-insensitive".equals(t)) {
                ci = true;
            } else if ("-s".equals(t) || "-substring".equals(t)) {
                ss = true;
            } else if (t.matches("-[is]{2}")) {
                ci = true;
                ss = true;
            } else if (t.startsWith("-") && t.length() > 1) {
                throw badOption(t, predicate, at);
            } else {
                break;
            }
            pos++;
        }
        return new StringOptions(ci, ss);
    }

    private String argument(String predicate, int at) throws KextfindSyntaxException {
        if (atEnd()) {
            throw missing(predicate, at, false);
        }
        return args.get(pos++);
    }

    private ReportColumn parseReportColumn() throws KextfindSyntaxException {
        int at = pos;
        String t = args.get(pos++);
        Flag flag = Flag.named(t);
        if (flag != null && flag.reportHeading != null) {
            if (flag == Flag.LOADED) {
                needsLoadedKexts = true;
            }
            return new ReportColumn.FlagColumn(flag);
        }
        switch (t) {
            case "-print":
                return new ReportColumn.Computed("Bundle", (k, e) -> e.pathSpec().format(k));
            case "-b":
            case "-bundle-id":
                return new ReportColumn.Property("CFBundleIdentifier");
            case "-B":
            case "-bundle-name":
                return new ReportColumn.Property("CFBundleName");
            case "-V":
            case "-version":
                return new ReportColumn.Property("CFBundleVersion");
            case "-p":
            case "-property":
            case "-pp":
            case "-print-property":
                return new ReportColumn.Property(argument(t, at));
            case "-integrity":
            case "-print-integrity":
                return new ReportColumn.Computed("Integrity", (k, e) -> "n/a");
            case "-print-dependencies":
                return new ReportColumn.Computed("# Dependencies", (k, e) -> Integer.toString(e.catalog().dependencies(k).size()));
            case "-print-dependents":
                return new ReportColumn.Computed("# Dependents", (k, e) -> Integer.toString(e.catalog().dependents(k).size()));
            case "-print-plugins":
                return new ReportColumn.Computed("# Plugins", (k, e) -> Integer.toString(k.plugins().size()));
            case "-pid":
            case "-print-info-dictionary":
                return new ReportColumn.Computed("Info Dictionary", (k, e) -> e.pathSpec().format(k, k.infoPlistPath()));
            case "-px":
            case "-print-executable":
                return new ReportColumn.Computed("Executable",
                        (k, e) -> k.executablePath() == null ? "" : e.pathSpec().format(k, k.executablePath()));
            default:
                if (UNSUPPORTED.contains(t)) {
                    throw unsupported(t);
                }
                throw new KextfindSyntaxException(false, "Expected report predicate, found '" + t + "' (arg #" + argNo(at) + ").");
        }
    }

    // ---- errors ----

    private KextfindSyntaxException syntax(int at) {
        return new KextfindSyntaxException(false, "Query syntax error near '" + args.get(at) + "' (arg #" + argNo(at) + ").");
    }

    private static KextfindSyntaxException unbalanced() {
        return new KextfindSyntaxException(false, "Unbalanced groups or trailing operator.");
    }

    private static KextfindSyntaxException missing(String predicate, int at, boolean usage) {
        return new KextfindSyntaxException(usage, invalidOrMissing(predicate, at));
    }

    private static String invalidOrMissing(String predicate, int at) {
        return "Invalid/missing option or argument for '" + predicate + "' (arg #" + argNo(at) + ").";
    }

    private static KextfindSyntaxException badOption(String token, String predicate, int at) {
        String first = KEYWORDS.contains(token)
                ? token + " is a predicate keyword" + USE_DASH_DASH
                : "Invalid option " + token + " for " + predicate + USE_DASH_DASH;
        return new KextfindSyntaxException(false, first, invalidOrMissing(predicate, at));
    }

    private static KextfindSyntaxException invalidVersion(String text, String predicate, int at) {
        return new KextfindSyntaxException(false, "Invalid version string '" + text + "'.", invalidOrMissing(predicate, at));
    }

    private static KextfindSyntaxException unsupported(String token) {
        return new KextfindSyntaxException(false, token + " is not supported by kextkit: kexts are Java executables "
                + "without Mach-O architectures or symbols.");
    }

    private static Set<String> keywords() {
        Set<String> k = new HashSet<>(Set.of("(", ")", "!", "-not", "-and", "-or", REPORT, NO_HEADER,
                "-b", "-bundle-id", "-B", "-bundle-name", "-p", "-property", "-pe", "-property-exists",
                "-m", "-match-property", "-me", "-match-property-exists", "-R", "-root", "-C", "-console",
                "-L", "-local-root", "-N", "-network-root", "-S", "-safe-boot", "-V", "-version",
                "-compatible-with-version", "-integrity", "-echo", "-print", "-print0", "-pdiag", "-print-diagnostics",
                "-pp", "-print-property", "-pm", "-print-match-property", "-print-dependencies", "-print-dependents",
                "-print-plugins", "-print-integrity", "-pid", "-print-info-dictionary", "-px", "-print-executable", "-exec"));
        k.addAll(UNSUPPORTED);
        for (Flag f : Flag.values()) {
            k.add(f.longName);
            if (f.shortName != null) {
                k.add(f.shortName);
            }
        }
        return Set.copyOf(k);
    }
}
