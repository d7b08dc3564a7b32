package org.kextkit.harness.link;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.kextkit.harness.bundle.KextBundle;
import org.kextkit.harness.bundle.KextExecutable;
import org.kextkit.harness.bundle.KextExecutableException;
import org.kextkit.harness.link.internal.ClassReferences;

/**
 * Work out the minimal {@code OSBundleLibraries} of a kext from its bytecode, as
 * {@code kextlibs(8)} does from a Mach-O's undefined symbols.
 *
 * <p>Every class the kext's code refers to, other than its own and the JDK classes kernel code may
 * use, is a "symbol". Each is looked up in every <em>searchable</em> library: a kext that is a
 * library and declares an executable, whose classes are those of its jar or, for a kernel
 * component, the kit classes {@link KpiExports} assigns to it. {@code com.apple.kernel.*} is not
 * searched (with {@code -non-kpi}, {@code com.apple.kpi.*} is not searched instead), and
 * {@code com.apple.kpi.unsupported}, {@code .private}, {@code .dsep} and
 * {@code com.apple.kernel.unsupported} only with {@code -unsupported}. Where several versions of one
 * library are offered, the newest is searched, as the resolver would choose it. The declared
 * {@code OSBundleLibraries} are ignored.
 */
public final class KextLibs {
    /** Exit status: every symbol was found in exactly one library. */
    public static final int EXIT_OK = 0;
    /** Exit status: some symbols were found in no library. */
    public static final int EXIT_UNDEFINED = 1;
    /** Exit status: some symbols were found in more than one library (wins over {@link #EXIT_UNDEFINED}). */
    public static final int EXIT_MULTIPLY_DEFINED = 2;
    /** Exit status ({@code EX_OSERR}): the kext can't be analysed. */
    public static final int EXIT_CANT_ANALYSE = 71;

    private static final Set<String> UNSUPPORTED = Set.of(
            "com.apple.kpi.unsupported", "com.apple.kpi.private", "com.apple.kpi.dsep", "com.apple.kernel.unsupported");
    private static final Comparator<KextBundle> NEWEST_FIRST = Comparator
            .comparing(KextBundle::version, Comparator.reverseOrder())
            .thenComparing(KextBundle::order, Comparator.reverseOrder());

    private final ClassIndex index;
    private final FamilyExports families;

    /** Create a kextlibs that reads library executables through {@code index}, which caches their class names. */
    public KextLibs(ClassIndex index) {
        this(index, FamilyExports.NONE);
    }

    /**
     * Create a kextlibs that also knows the built-in families: a class in a package a family exports
     * is defined by that family's kext ({@code com.apple.iokit.IOPCIFamily}, ...).
     */
    public KextLibs(ClassIndex index, FamilyExports families) {
        this.index = Objects.requireNonNull(index, "index");
        this.families = Objects.requireNonNull(families, "families");
    }

    /**
     * Find the libraries of a kext, reading its executable first.
     *
     * @param kext the kext to analyse
     * @param libraries the candidate libraries: the repository's kexts and the kernel pseudo-kexts
     * @param options the command-line options
     */
    public KextLibsResult find(KextBundle kext, Collection<KextBundle> libraries, KextLibsOptions options) {
        if (!kext.declaresExecutable()) {
            return find(kext, null, libraries, options);
        }
        KextExecutable executable;
        try {
            executable = KextExecutable.read(kext.executablePath());
        } catch (KextExecutableException e) {
            return KextLibsResult.failure(kext, options, "Can't find libraries for " + kext.path() + ": "
                    + e.getMessage() + ".", EXIT_CANT_ANALYSE);
        }
        return find(kext, executable, libraries, options);
    }

    /**
     * Find the libraries of a kext whose executable is already in memory.
     *
     * @param kext the kext to analyse
     * @param executable its executable, or {@code null} if it is codeless
     * @param libraries the candidate libraries: the repository's kexts and the kernel pseudo-kexts
     * @param options the command-line options
     */
    public KextLibsResult find(KextBundle kext, KextExecutable executable, Collection<KextBundle> libraries,
                               KextLibsOptions options) {
        Objects.requireNonNull(kext, "kext");
        Objects.requireNonNull(options, "options");
        if (!kext.declaresExecutable()) {
            return codeless(kext, options);
        }
        Objects.requireNonNull(executable, "executable");

        List<String> warnings = new ArrayList<>();
        Set<String> symbols = symbols(executable, warnings);
        List<KextBundle> searchable = searchable(kext, libraries, options);

        Map<KextBundle, Boolean> used = new LinkedHashMap<>();
        TreeSet<String> undefined = new TreeSet<>();
        TreeMap<String, KextBundle> onedef = new TreeMap<>();
        TreeMap<String, List<KextBundle>> multdef = new TreeMap<>();
        Set<KextBundle> multdefLibraries = new HashSet<>();
        for (String symbol : symbols) {
            List<KextBundle> definers = new ArrayList<>(1);
            for (KextBundle library : searchable) {
                if (defines(library, symbol)) {
                    definers.add(library);
                }
            }
            for (KextBundle definer : definers) {
                used.put(definer, Boolean.TRUE);
            }
            if (definers.isEmpty()) {
                undefined.add(symbol);
            } else if (definers.size() == 1) {
                onedef.put(symbol, definers.get(0));
            } else {
                multdef.put(symbol, definers);
                multdefLibraries.addAll(definers);
            }
        }
        return new KextLibsResult(kext, options, sortById(used.keySet()), undefined, onedef, multdef,
                sortById(multdefLibraries), warnings);
    }

    private static KextLibsResult codeless(KextBundle kext, KextLibsOptions options) {
        if (kext.isLibrary()) {
            return KextLibsResult.failure(kext, options, kext.path() + " is a library without an executable; defining"
                    + " its OSBundleLibraries (if any) is up to you.", EXIT_CANT_ANALYSE);
        }
        if (!kext.libraries().isEmpty()) {
            return KextLibsResult.failure(kext, options, kext.path() + " has no executable and should not declare"
                    + " OSBundleLibraries.", EXIT_CANT_ANALYSE);
        }
        return KextLibsResult.failure(kext, options, kext.path() + " has no executable and does not need to declare"
                + " OSBundleLibraries.", EXIT_OK);
    }

    /** Return the classes the kext needs from libraries, in the order its class loader would look them up. */
    private static Set<String> symbols(KextExecutable executable, List<String> warnings) {
        Set<String> refs = new HashSet<>();
        for (String className : executable.classNames()) {
            try {
                ClassReferences.collect(executable.classBytes(className), refs);
            } catch (IllegalArgumentException e) {
                warnings.add(className + " in " + executable.path() + " is not a valid class file (" + e.getMessage()
                        + "); the classes it refers to are not counted.");
            }
        }
        Set<String> symbols = new TreeSet<>();
        for (String ref : refs) {
            ClassOrigin origin = ClassOrigin.of(ref);
            boolean needed = origin == ClassOrigin.JDK ? !JdkAllowList.hasClass(ref)
                    : origin != ClassOrigin.KEXT || executable.classBytes(ref) == null;
            if (needed) {
                symbols.add(ref);
            }
        }
        return symbols;
    }

    private static List<KextBundle> searchable(KextBundle kext, Collection<KextBundle> libraries, KextLibsOptions options) {
        Map<String, KextBundle> newest = new TreeMap<>();
        for (KextBundle library : libraries) {
            String id = library.identifier();
            if (id == null || id.equals(kext.identifier()) || !library.isLibrary() || !library.declaresExecutable()) {
                continue;
            }
            if ("com.apple.kernel".equals(id)) {
                continue; // the kernel itself is never linkable
            }
            if (options.nonKpi() ? id.startsWith("com.apple.kpi.") : id.startsWith("com.apple.kernel.")) {
                continue;
            }
            if (!options.unsupported() && UNSUPPORTED.contains(id)) {
                continue;
            }
            newest.merge(id, library, (a, b) -> NEWEST_FIRST.compare(a, b) <= 0 ? a : b);
        }
        return new ArrayList<>(newest.values());
    }

    private boolean defines(KextBundle library, String symbol) {
        if (library.isKernelComponent()) {
            return library.identifier().equals(KpiExports.exporterOf(symbol)) && KpiExports.kitHasClass(symbol);
        }
        FamilyExports.Family family = families.family(library.identifier());
        if (family != null) {
            return family.exports(symbol) && family.hasClass(symbol);
        }
        // A library's jar can't lend classes in names a kext's loader resolves elsewhere.
        if (ClassOrigin.of(symbol) != ClassOrigin.KEXT) {
            return false;
        }
        return index.classNames(library).contains(symbol);
    }

    private static List<KextBundle> sortById(Collection<KextBundle> bundles) {
        List<KextBundle> sorted = new ArrayList<>(bundles);
        sorted.sort(Comparator.comparing(KextBundle::identifier));
        return sorted;
    }
}
