package org.kextkit.harness.link;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.kextkit.harness.bundle.KextBundle;
import org.kextkit.harness.bundle.KextExecutable;
import org.kextkit.kit.internal.KernelServices;

/**
 * Link a kext: check its bytecode against what it declares and, if every reference resolves, give
 * it its own {@link KextClassLoader}. The Java form of the kernel's {@code loadExecutable} step.
 *
 * <p>Kexts are linked dependencies first, as the resolver's load list orders them, since a kext's
 * loader is built from the loaders of the kexts it links against. Codeless kexts are never linked.
 */
public final class KextLinker {
    private final ClassIndex index;
    private final LinkChecker checker;
    private final KextClassTransformer transformer;
    private final FamilyExports familyExports;

    /** Create a linker that explains failures with the kexts {@code index} knows. */
    public KextLinker(ClassIndex index) {
        this(index, KextClassTransformer.NONE);
    }

    /** Create a linker whose loaders pass every class through {@code transformer} before defining it. */
    public KextLinker(ClassIndex index, KextClassTransformer transformer) {
        this(index, transformer, FamilyExports.NONE);
    }

    /**
     * Create a linker that also knows the packages built-in families export, so that a kext
     * declaring a family sees them and one that uses them without declaring it is told which family
     * to add.
     */
    public KextLinker(ClassIndex index, KextClassTransformer transformer, FamilyExports families) {
        this.index = Objects.requireNonNull(index, "index");
        this.familyExports = Objects.requireNonNull(families, "families");
        this.checker = new LinkChecker(index, families);
        this.transformer = Objects.requireNonNull(transformer, "transformer");
    }

    /**
     * Link one kext.
     *
     * @param kext the kext; it must declare an executable
     * @param executable its executable, already read
     * @param dependencies its direct link dependencies after codeless libraries are flattened, in
     *        {@code OSBundleLibraries} order, each already linked (or a kernel component)
     * @param services the kernel that kit calls from this kext's code reach
     * @return the loader, or the findings that prevent linking
     */
    public LinkResult link(KextBundle kext, KextExecutable executable, List<LinkedLibrary> dependencies,
                           KernelServices services) {
        return link(kext, executable, dependencies, List.of(), services);
    }

    /**
     * Link one kext that may also declare built-in families.
     *
     * @param families the built-in families among the kext's {@code OSBundleLibraries} (they have no
     *        jar of their own: their exported packages come from the family's loader)
     * @see #link(KextBundle, KextExecutable, List, KernelServices)
     */
    public LinkResult link(KextBundle kext, KextExecutable executable, List<LinkedLibrary> dependencies,
                           List<FamilyExports.Family> families, KernelServices services) {
        Objects.requireNonNull(kext, "kext");
        Objects.requireNonNull(executable, "executable");
        if (!kext.declaresExecutable()) {
            throw new IllegalArgumentException("Kext " + kext.displayName() + " at " + kext.path()
                    + " is codeless; codeless kexts are registered, never linked.");
        }
        List<LinkChecker.Dependency> deps = new ArrayList<>(dependencies.size());
        List<KextClassLoader> libraries = new ArrayList<>(dependencies.size());
        Set<String> kpis = new HashSet<>();
        for (LinkedLibrary library : dependencies) {
            KextClassLoader loader = library.loader();
            if (loader == null) {
                deps.add(new LinkChecker.Dependency(library.bundle(), null, null));
                kpis.add(library.bundle().identifier());
            } else {
                KextExecutable libraryExecutable = loader.executable();
                deps.add(new LinkChecker.Dependency(library.bundle(), libraryExecutable.classNames(), () -> libraryExecutable));
                libraries.add(loader);
            }
        }
        List<LinkFinding> findings = checker.checkDependencies(kext, executable, deps, families);
        if (!findings.isEmpty()) {
            return new LinkResult(kext, executable, null, findings);
        }
        index.record(kext, executable);
        KextClassLoader loader = new KextClassLoader(kext, executable, libraries, kpis, families, services, transformer);
        return new LinkResult(kext, executable, loader, findings);
    }
}
