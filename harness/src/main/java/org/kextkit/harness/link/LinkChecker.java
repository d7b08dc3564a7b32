package org.kextkit.harness.link;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.kextkit.harness.bundle.KextBundle;
import org.kextkit.harness.bundle.KextExecutable;
import org.kextkit.harness.bundle.KextExecutableException;
import org.kextkit.harness.link.internal.ClassReferences;
import org.kextkit.harness.link.internal.ModuleClassCheck;

/**
 * Check, before any of its code runs, that every class a kext's bytecode refers to will resolve:
 * the Java form of kxld's "unresolved symbols" check.
 *
 * <p>A reference resolves, in this order, to an available JDK class ({@link JdkAllowList}); to a
 * kit class whose KPI the kext declares ({@link KpiExports}); to a class of the kext's own jar; or
 * to a class in the jar of one of its <em>direct</em> link dependencies. That is exactly what the
 * kext's {@link KextClassLoader} will see, so a kext that passes cannot fail later with
 * {@code NoClassDefFoundError} for want of a declaration. Each unresolved class becomes one
 * {@link LinkFinding} naming the classes that use it, the kexts that have it (from the
 * {@link ClassIndex}) and the {@code OSBundleLibraries} entry to add. The
 * {@code Kext-Module-Class}, if any, must be a public, concrete class that implements
 * {@code org.kextkit.kit.libkern.KextModule} and has a public no-argument constructor.
 */
public final class LinkChecker {
    private static final Comparator<KextBundle> BY_ID_THEN_NEWEST = Comparator
            .comparing(KextBundle::displayName)
            .thenComparing(KextBundle::version, Comparator.reverseOrder())
            .thenComparing(KextBundle::order, Comparator.reverseOrder());

    private final ClassIndex index;
    private final FamilyExports familyExports;

    /** Create a checker that explains unresolved classes with the kexts {@code index} knows. */
    public LinkChecker(ClassIndex index) {
        this(index, FamilyExports.NONE);
    }

    /**
     * Create a checker that also resolves the packages of declared built-in families and names the
     * family to declare for a package one exports.
     */
    public LinkChecker(ClassIndex index, FamilyExports families) {
        this.index = Objects.requireNonNull(index, "index");
        this.familyExports = Objects.requireNonNull(families, "families");
    }

    /**
     * Check a kext against the bundles it links against directly (after codeless libraries are
     * flattened, as the resolver reports them), reading their executables through the index when
     * needed.
     *
     * @param kext the kext to check
     * @param executable its executable, already read
     * @param linkDependencies its direct link dependencies; kernel components contribute the kit
     *        packages their identifier exports
     * @return the findings, empty if the kext links
     */
    public List<LinkFinding> check(KextBundle kext, KextExecutable executable, List<KextBundle> linkDependencies) {
        return check(kext, executable, linkDependencies, List.of());
    }

    /**
     * Check a kext as {@link #check(KextBundle, KextExecutable, List)} does, when some of its link
     * dependencies are built-in families: their exported packages resolve from the family's loader.
     *
     * @param declaredFamilies the built-in families among {@code linkDependencies}
     */
    public List<LinkFinding> check(KextBundle kext, KextExecutable executable, List<KextBundle> linkDependencies,
                                   List<FamilyExports.Family> declaredFamilies) {
        Set<String> familyIds = new HashSet<>();
        for (FamilyExports.Family family : declaredFamilies) {
            familyIds.add(family.bundleIdentifier());
        }
        List<Dependency> deps = new ArrayList<>(linkDependencies.size());
        for (KextBundle bundle : linkDependencies) {
            if (familyIds.contains(bundle.identifier())) {
                continue;
            }
            if (bundle.isKernelComponent()) {
                deps.add(new Dependency(bundle, null, null));
            } else {
                deps.add(new Dependency(bundle, index.classNames(bundle), readOnDemand(bundle)));
            }
        }
        return checkDependencies(kext, executable, deps, declaredFamilies);
    }

    /** Read a dependency's jar only if the module-class check has to look at one of its classes. */
    private static Supplier<KextExecutable> readOnDemand(KextBundle bundle) {
        KextExecutable[] read = new KextExecutable[1];
        return () -> {
            if (read[0] == null && bundle.declaresExecutable()) {
                try {
                    read[0] = KextExecutable.read(bundle.executablePath());
                } catch (KextExecutableException e) {
                    return null;
                }
            }
            return read[0];
        };
    }

    /** One direct link dependency as the check sees it; {@code classes} is null for a kernel component. */
    record Dependency(KextBundle bundle, Set<String> classes, Supplier<KextExecutable> executable) {
    }

    List<LinkFinding> checkDependencies(KextBundle kext, KextExecutable executable, List<Dependency> deps) {
        return checkDependencies(kext, executable, deps, List.of());
    }

    List<LinkFinding> checkDependencies(KextBundle kext, KextExecutable executable, List<Dependency> deps,
                                        List<FamilyExports.Family> families) {
        Objects.requireNonNull(kext, "kext");
        Objects.requireNonNull(executable, "executable");
        Set<String> declaredKpis = new HashSet<>();
        List<Dependency> withCode = new ArrayList<>(deps.size());
        for (Dependency dep : deps) {
            if (dep.classes() == null) {
                declaredKpis.add(dep.bundle().identifier());
            } else {
                withCode.add(dep);
            }
        }

        List<LinkFinding> findings = new ArrayList<>();
        Map<String, Boolean> verdicts = new HashMap<>();
        Map<String, TreeSet<String>> unresolved = new TreeMap<>();
        Set<String> refs = new HashSet<>();
        for (String className : executable.classNames()) {
            refs.clear();
            String declared;
            try {
                declared = ClassReferences.collect(executable.classBytes(className), refs);
            } catch (IllegalArgumentException e) {
                findings.add(new LinkFinding(LinkFinding.Kind.MALFORMED_CLASS, className, List.of(), List.of(), null, null,
                        className + " in " + executable.path() + " is not a valid class file (" + e.getMessage()
                                + "); rebuild the kext's jar."));
                continue;
            }
            if (!declared.equals(className)) {
                findings.add(new LinkFinding(LinkFinding.Kind.MALFORMED_CLASS, className, List.of(), List.of(), null, null,
                        "The entry for " + className + " in " + executable.path() + " holds class " + declared
                                + "; a class must be stored under its own name, so rebuild the kext's jar."));
                continue;
            }
            for (String ref : refs) {
                Boolean ok = verdicts.get(ref);
                if (ok == null) {
                    ok = resolves(ref, executable, declaredKpis, withCode, families);
                    verdicts.put(ref, ok);
                }
                if (!ok) {
                    unresolved.computeIfAbsent(ref, r -> new TreeSet<>()).add(className);
                }
            }
        }
        for (Map.Entry<String, TreeSet<String>> e : unresolved.entrySet()) {
            findings.add(explain(kext, e.getKey(), new ArrayList<>(e.getValue()), deps));
        }
        String moduleClass = executable.moduleClass();
        if (moduleClass != null) {
            for (String problem : ModuleClassCheck.problems(moduleClass, executable, name -> dependencyBytes(name, withCode))) {
                findings.add(new LinkFinding(LinkFinding.Kind.BAD_MODULE_CLASS, moduleClass, List.of(), List.of(), null, null,
                        problem));
            }
        }
        return findings;
    }

    /** Resolve as {@link KextClassLoader} does, so a kext that passes can't fail to load a class for want of a declaration. */
    private static boolean resolves(String ref, KextExecutable own, Set<String> declaredKpis, List<Dependency> withCode,
                                    List<FamilyExports.Family> families) {
        FamilyExports.Family family = FamilyExports.exporterAmong(families, ref);
        if (family != null) {
            return family.hasClass(ref);
        }
        switch (ClassOrigin.of(ref)) {
            case JDK:
                return JdkAllowList.hasClass(ref);
            case KIT:
                return declaredKpis.contains(KpiExports.exporterOf(ref)) && KpiExports.kitHasClass(ref);
            case RESERVED:
                return false;
            default:
                break;
        }
        if (own.classBytes(ref) != null) {
            return true;
        }
        for (Dependency dep : withCode) {
            if (dep.classes().contains(ref)) {
                return true;
            }
        }
        return false;
    }

    private static byte[] dependencyBytes(String binaryName, List<Dependency> withCode) {
        for (Dependency dep : withCode) {
            if (dep.classes().contains(binaryName)) {
                KextExecutable executable = dep.executable().get();
                return executable == null ? null : executable.classBytes(binaryName);
            }
        }
        return null;
    }

    private LinkFinding explain(KextBundle kext, String ref, List<String> from, List<Dependency> deps) {
        String kextId = kext.displayName();
        String lead = ref + " (referenced by " + describeReferrers(from) + ")";
        String pkg = JdkAllowList.packageOf(ref);

        if (JdkAllowList.isInAvailablePackage(ref)) {
            return finding(LinkFinding.Kind.NOT_FOUND, ref, from, List.of(), null, null,
                    lead + " is not in java.base of the running JDK (Java " + Runtime.version().feature()
                            + "); build the kext for this Java release or remove the reference.");
        }
        String jdkModule = JdkAllowList.jdkModuleOf(pkg);
        if (jdkModule != null) {
            return finding(LinkFinding.Kind.JDK_NOT_AVAILABLE, ref, from, List.of(), null, null,
                    lead + " is in package " + pkg + " of the JDK module " + jdkModule
                            + ", which kernel code can't use; kexts may use only the java.* packages of java.base,"
                            + " so remove the reference.");
        }
        FamilyExports.Family family = familyExports.exporterOf(ref);
        if (family != null) {
            boolean declared = deps.stream().anyMatch(d -> family.bundleIdentifier().equals(d.bundle().identifier()))
                    || kext.libraries().containsKey(family.bundleIdentifier());
            if (declared) {
                return finding(LinkFinding.Kind.NOT_FOUND, ref, from, List.of(), null, null,
                        lead + " is not in the family " + family.bundleIdentifier() + ", which exports its package;"
                                + " the kext was built against another version of the family, so rebuild it.");
            }
            return finding(LinkFinding.Kind.UNDECLARED_LIBRARY, ref, from, List.of(), family.bundleIdentifier(),
                    family.version(), lead + " is exported by the family " + family.bundleIdentifier() + ", which "
                            + kextId + " does not declare; add " + family.bundleIdentifier() + " ("
                            + family.version() + ") to OSBundleLibraries.");
        }
        String exporter = KpiExports.exporterOf(ref);
        if (exporter != null) {
            if (!KpiExports.kitHasClass(ref)) {
                return finding(LinkFinding.Kind.NOT_FOUND, ref, from, List.of(), null, null,
                        lead + " is not in the kit that " + exporter + " exports; the kext was built against"
                                + " another kit, so rebuild it against this one.");
            }
            return finding(LinkFinding.Kind.UNDECLARED_KPI, ref, from, index.providers(ref), exporter,
                    KpiExports.CONVENTIONAL_KPI_VERSION,
                    lead + " is exported by " + exporter + ", which " + kextId + " does not declare; add "
                            + exporter + " (" + KpiExports.CONVENTIONAL_KPI_VERSION + ") to OSBundleLibraries.");
        }
        if (ref.startsWith(KpiExports.KIT_INTERNAL_PACKAGE + ".")) {
            return finding(LinkFinding.Kind.NOT_EXPORTED, ref, from, List.of(), null, null,
                    lead + " is in " + KpiExports.KIT_INTERNAL_PACKAGE
                            + ", the kernel's side of the kit, which is exported to no kext; use the kit's KPI"
                            + " packages instead.");
        }
        if (KpiExports.isKitClass(ref)) {
            return finding(LinkFinding.Kind.NOT_EXPORTED, ref, from, List.of(), null, null,
                    lead + " is in kit package " + pkg + ", which no KPI exports; use the kit's KPI packages"
                            + " instead.");
        }
        if (ref.startsWith(ClassOrigin.RESERVED_PREFIX)) {
            return finding(LinkFinding.Kind.NOT_EXPORTED, ref, from, List.of(), null, null,
                    lead + " belongs to the kextkit harness, which kexts can't see; use the kit's KPI packages"
                            + " instead.");
        }

        List<KextBundle> providers = new ArrayList<>(index.providers(ref));
        providers.removeIf(b -> Objects.equals(b.identifier(), kext.identifier()));
        providers.sort(BY_ID_THEN_NEWEST);
        if (providers.isEmpty()) {
            return finding(LinkFinding.Kind.NOT_FOUND, ref, from, List.of(), null, null,
                    lead + " is not found in any known kext; install the kext that has it, or remove the"
                            + " reference.");
        }
        for (Dependency dep : deps) {
            for (KextBundle provider : providers) {
                if (provider != dep.bundle() && provider.isLibrary()
                        && Objects.equals(provider.identifier(), dep.bundle().identifier())) {
                    return finding(LinkFinding.Kind.LINKED_VERSION_LACKS_CLASS, ref, from, providers,
                            provider.identifier(), provider.versionString(),
                            lead + " is in " + describe(provider) + ", but the " + provider.identifier() + " that "
                                    + kextId + " links against, " + dep.bundle().versionString() + " at "
                                    + dep.bundle().path() + ", lacks it; request " + provider.identifier() + " ("
                                    + provider.versionString() + ") in OSBundleLibraries.");
                }
            }
        }
        List<KextBundle> libraries = new ArrayList<>();
        for (KextBundle provider : providers) {
            if (provider.isLibrary()) {
                libraries.add(provider);
            }
        }
        if (libraries.isEmpty()) {
            KextBundle first = providers.get(0);
            return finding(LinkFinding.Kind.NOT_A_LIBRARY, ref, from, providers, null, null,
                    lead + " is only in " + describeAll(providers) + ", which "
                            + (providers.size() == 1 ? "is not a library" : "are not libraries")
                            + " (no OSBundleCompatibleVersion), so no kext can link against "
                            + (providers.size() == 1 ? "it" : "them") + "; move the class into a library kext or give "
                            + first.displayName() + " an OSBundleCompatibleVersion.");
        }
        KextBundle chosen = libraries.get(0);
        String entry = chosen.identifier() + " (" + chosen.versionString() + ")";
        StringBuilder text = new StringBuilder(lead).append(" is in ").append(describeAll(libraries))
                .append(", which ").append(kextId).append(" does not declare");
        String via = declaredVia(chosen, deps);
        if (via != null) {
            text.append(" (only ").append(via).append(" links against it, and a kext sees only the libraries it"
                    + " declares itself)");
        }
        text.append("; add ").append(entry).append(" to OSBundleLibraries.");
        return finding(LinkFinding.Kind.UNDECLARED_LIBRARY, ref, from, providers, chosen.identifier(),
                chosen.versionString(), text.toString());
    }

    private static LinkFinding finding(LinkFinding.Kind kind, String ref, List<String> from, List<KextBundle> providers,
                                       String library, String version, String message) {
        return new LinkFinding(kind, ref, from, providers, library, version, message);
    }

    /** Return the direct dependency that itself declares {@code library}, or {@code null}. */
    private static String declaredVia(KextBundle library, List<Dependency> deps) {
        for (Dependency dep : deps) {
            if (dep.bundle().libraries().containsKey(library.identifier())) {
                return dep.bundle().displayName();
            }
        }
        return null;
    }

    private static String describeReferrers(List<String> from) {
        int others = from.size() - 1;
        if (others == 0) {
            return from.get(0);
        }
        return from.get(0) + " and " + others + " other class" + (others == 1 ? "" : "es");
    }

    private static String describe(KextBundle bundle) {
        return bundle.displayName() + " (" + bundle.versionString() + ") at " + bundle.path();
    }

    private static String describeAll(List<KextBundle> bundles) {
        StringBuilder sb = new StringBuilder();
        for (Iterator<KextBundle> it = bundles.iterator(); it.hasNext(); ) {
            KextBundle bundle = it.next();
            if (sb.length() > 0) {
                sb.append(it.hasNext() ? ", " : " and ");
            }
            sb.append(describe(bundle));
        }
        return sb.toString();
    }
}
