package org.kextkit.harness.cli.wiring;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.kextkit.harness.bundle.BundleProblem;
import org.kextkit.harness.bundle.BundleScanner;
import org.kextkit.harness.bundle.KextBundle;
import org.kextkit.harness.bundle.KextBundleReader;
import org.kextkit.harness.bundle.KextBundleValidator;
import org.kextkit.harness.bundle.KextExecutable;
import org.kextkit.harness.bundle.KextExecutableException;
import org.kextkit.harness.bundle.ScanResult;
import org.kextkit.harness.cli.KextCatalog;
import org.kextkit.harness.cli.KextLog;
import org.kextkit.harness.cli.LogLevel;
import org.kextkit.harness.cli.TrialLink;
import org.kextkit.harness.diagnostics.DiagnosticGroup;
import org.kextkit.harness.link.ClassIndex;
import org.kextkit.harness.link.LinkChecker;
import org.kextkit.harness.link.LinkFinding;
import org.kextkit.harness.family.BuiltInKext;
import org.kextkit.harness.family.FamilyProvider;
import org.kextkit.harness.lifecycle.HostedKernel;
import org.kextkit.harness.link.FamilyExports;
import org.kextkit.harness.repository.KernelPseudoKexts;
import org.kextkit.harness.repository.KextRepository;
import org.kextkit.harness.resolve.DependencyResolver;
import org.kextkit.harness.resolve.LoadedKextLookup;
import org.kextkit.harness.resolve.Resolution;
import org.kextkit.harness.version.VersionGrammar;

/**
 * Hold kexts read from disk, with the kernel's pseudo-kexts and the built-in family kexts, and answer kextutil's and kextfind's
 * questions about them with the real validator, resolver and link checker.
 *
 * <p>Kexts are validated as they are read. Authentication always passes: a hosted kernel has no
 * root:wheel ownership to check. The first time a kext's dependencies are resolved, the resolver's
 * error-level lines ({@code <path> - dependency '<id>' not found.}, {@code <path> is invalid; can't
 * resolve dependencies.}) go to the command's log, as IOKitUser logs them for kextutil.
 */
final class DiskKextCatalog implements KextCatalog {
    private final List<KextBundle> kexts = new ArrayList<>();
    private final Map<Path, KextBundle> byPath = new HashMap<>();
    private final KextRepository repository;
    private final DependencyResolver resolver;
    private final Map<KextBundle, Resolution> resolutions = new IdentityHashMap<>();
    private final ClassIndex classIndex;
    private final KextLog log;
    private final Set<KextBundle> logged = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Map<KextBundle, FamilyExports.Family> familyKexts = new IdentityHashMap<>();
    private final FamilyExports familyExports;

    DiskKextCatalog(List<Path> searchItems, String arch, String kernelVersion, VersionGrammar grammar, KextLog log) {
        this.log = log;
        KernelPseudoKexts kernel = KernelPseudoKexts.forKernel(kernelVersion, arch, grammar);
        this.repository = new KextRepository(kernel);
        // The built-in families (IOPCIFamily, ...) are system kexts, as in /System/Library/Extensions:
        // drivers declare them and the trial link resolves their exported packages.
        List<FamilyExports.Family> exports = new ArrayList<>();
        long order = -100;
        for (FamilyProvider family : HostedKernel.discoverFamilies()) {
            for (BuiltInKext builtIn : family.builtInKexts()) {
                KextBundle bundle = builtIn.bundle(arch, grammar, order++);
                repository.add(bundle);
                FamilyExports.Family exported = new FamilyExports.Family(builtIn.bundleIdentifier(),
                        bundle.versionString(), builtIn.classLoader(), builtIn.exportedPackages());
                exports.add(exported);
                familyKexts.put(bundle, exported);
            }
        }
        this.familyExports = new FamilyExports(exports);
        KextBundleReader reader = new KextBundleReader(arch, grammar, new AtomicLong());
        KextBundleValidator validator = new KextBundleValidator();
        BundleScanner scanner = new BundleScanner(reader, validator);
        for (Path item : searchItems) {
            ScanResult scan = scanner.readItem(item);
            List<KextBundle> read = scan.bundles();
            List<BundleProblem> problems = scan.problems();
            for (BundleProblem problem : problems) {
                log.log(LogLevel.ERROR, problem.message());
            }
            for (KextBundle bundle : read) {
                kexts.add(bundle);
                byPath.put(bundle.path().toAbsolutePath().normalize(), bundle);
                repository.add(bundle);
            }
        }
        this.resolver = new DependencyResolver(repository, LoadedKextLookup.NONE);
        this.classIndex = new ClassIndex(repository::all);
    }

    /** Return the repository of everything read plus the pseudo-kexts. */
    KextRepository repository() {
        return repository;
    }

    ClassIndex classIndex() {
        return classIndex;
    }

    @Override
    public List<KextBundle> kexts() {
        return List.copyOf(kexts);
    }

    @Override
    public KextBundle kextAt(Path path) {
        return byPath.get(path.toAbsolutePath().normalize());
    }

    @Override
    public List<KextBundle> kextsWithIdentifier(String bundleIdentifier) {
        return repository.candidates(bundleIdentifier);
    }

    @Override
    public boolean validate(KextBundle kext) {
        return !kext.diagnostics().has(DiagnosticGroup.VALIDATION);
    }

    @Override
    public boolean authenticate(KextBundle kext) {
        return true;
    }

    Resolution resolution(KextBundle kext) {
        return resolutions.computeIfAbsent(kext, resolver::resolve);
    }

    @Override
    public boolean resolveDependencies(KextBundle kext) {
        // An invalid kext is still handed to the resolver, which refuses it and says so.
        Resolution resolution = resolution(kext);
        if (logged.add(kext)) {
            resolution.logLines().forEach(line -> log.log(LogLevel.ERROR, line));
        }
        return validate(kext) && resolution.isResolved();
    }

    @Override
    public boolean checkDependencies(KextBundle kext, boolean authenticate) {
        if (!resolveDependencies(kext)) {
            return false;
        }
        for (KextBundle dependency : resolution(kext).loadList()) {
            if (dependency != kext && !validate(dependency)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean isLoadable(KextBundle kext) {
        return validate(kext) && checkDependencies(kext, true);
    }

    @Override
    public boolean isLoadableInSafeBoot(KextBundle kext) {
        boolean eligible = true;
        List<KextBundle> all = new ArrayList<>(dependencies(kext));
        all.add(kext);
        for (KextBundle bundle : all) {
            String required = bundle.osBundleRequired();
            if (required == null || required.equals("DriverKit")) {
                eligible = false;
                kext.diagnostics().add(DiagnosticGroup.BOOT_LEVEL, "Kext isn't loadable during safe boot.",
                        bundle.displayName(), required == null ? "OSBundleRequired not set" : "OSBundleRequired is DriverKit");
            }
        }
        return eligible;
    }

    @Override
    public List<KextBundle> dependencies(KextBundle kext) {
        if (!resolveDependencies(kext)) {
            return List.of();
        }
        List<KextBundle> dependencies = new ArrayList<>(resolution(kext).loadList());
        dependencies.remove(kext);
        return dependencies;
    }

    @Override
    public List<KextBundle> dependents(KextBundle kext) {
        Set<KextBundle> dependents = new LinkedHashSet<>();
        for (KextBundle other : kexts) {
            if (other != kext && dependencies(other).contains(kext)) {
                dependents.add(other);
            }
        }
        return List.copyOf(dependents);
    }

    @Override
    public Optional<TrialLink> trialLink(KextBundle kext) {
        if (!resolveDependencies(kext)) {
            return Optional.empty();
        }
        if (!kext.declaresExecutable()) {
            return Optional.of(TrialLink.ok());
        }
        KextExecutable executable;
        try {
            executable = kext.executable();
        } catch (KextExecutableException e) {
            return Optional.of(TrialLink.failed(List.of(e.getMessage())));
        }
        List<KextBundle> dependencies = resolution(kext).linkDependencies(kext);
        List<FamilyExports.Family> declaredFamilies = new ArrayList<>();
        for (KextBundle dependency : dependencies) {
            FamilyExports.Family family = familyKexts.get(dependency);
            if (family != null) {
                declaredFamilies.add(family);
            }
        }
        List<LinkFinding> findings = new LinkChecker(classIndex, familyExports)
                .check(kext, executable, dependencies, declaredFamilies);
        if (findings.isEmpty()) {
            return Optional.of(TrialLink.ok());
        }
        List<String> lines = new ArrayList<>();
        for (LinkFinding finding : findings) {
            lines.add(finding.message());
        }
        return Optional.of(TrialLink.failed(lines));
    }

    /** Return the packages the built-in families export, for link checks and kextlibs. */
    FamilyExports familyExports() {
        return familyExports;
    }
}
