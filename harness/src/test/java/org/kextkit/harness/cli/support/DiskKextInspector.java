package org.kextkit.harness.cli.support;

import com.dd.plist.NSDictionary;
import com.dd.plist.NSObject;
import com.dd.plist.PropertyListParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.kextkit.harness.bundle.KextBundle;
import org.kextkit.harness.cli.KextCatalog;
import org.kextkit.harness.cli.KextInspector;
import org.kextkit.harness.cli.KextLog;
import org.kextkit.harness.cli.LogLevel;
import org.kextkit.harness.cli.TrialLink;
import org.kextkit.harness.cli.internal.BundleFacts;
import org.kextkit.harness.diagnostics.DiagnosticGroup;
import org.kextkit.harness.version.Compatibility;
import org.kextkit.harness.version.KextVersion;
import org.kextkit.harness.version.VersionGrammar;

/**
 * Read kexts from disk and validate, authenticate and resolve them with a small subset of
 * IOKitUser's rules: enough to drive the commands in tests with real files and real decisions.
 *
 * <p>Authentication is the POSIX rule: a kext whose directory or Info.plist is writable by group or
 * others is inauthentic. The trial linker is pluggable; by default a catalog cannot link.
 */
public final class DiskKextInspector implements KextInspector {
    private final Function<KextBundle, Optional<TrialLink>> linker;

    /** Create an inspector whose catalogs cannot trial-link. */
    public DiskKextInspector() {
        this(k -> Optional.empty());
    }

    /** Create an inspector whose catalogs trial-link with {@code linker}. */
    public DiskKextInspector(Function<KextBundle, Optional<TrialLink>> linker) {
        this.linker = linker;
    }

    @Override
    public KextCatalog open(List<Path> searchItems, String arch, KextLog log) {
        return new Catalog(searchItems, arch, log, linker);
    }

    /** A trial linker that fails a kext whose executable file is empty, and links every other kext. */
    public static Optional<TrialLink> linkUnlessEmptyExecutable(KextBundle kext) {
        try {
            if (kext.executablePath() != null && Files.size(kext.executablePath()) == 0) {
                return Optional.of(TrialLink.failed(List.of("kxld[" + kext.identifier() + "]: executable "
                        + kext.executablePath().getFileName() + " has no classes to link.")));
            }
        } catch (IOException e) {
            return Optional.of(TrialLink.failed(List.of("can't read " + kext.executablePath())));
        }
        return Optional.of(TrialLink.ok());
    }

    static final class Catalog implements KextCatalog {
        private static final String MISSING = "Info dictionary missing required property/value";
        private static final String ILLEGAL = "Info dictionary property value is illegal";

        private final String arch;
        private final KextLog log;
        private final Function<KextBundle, Optional<TrialLink>> linker;
        private final List<KextBundle> kexts = new ArrayList<>();
        private final Map<Path, KextBundle> byPath = new HashMap<>();
        private final Map<KextBundle, Boolean> valid = new IdentityHashMap<>();
        private final Map<KextBundle, Boolean> authentic = new IdentityHashMap<>();
        private final Map<KextBundle, Boolean> resolved = new IdentityHashMap<>();
        private final Map<KextBundle, List<KextBundle>> directDependencies = new IdentityHashMap<>();
        private long order;

        Catalog(List<Path> searchItems, String arch, KextLog log, Function<KextBundle, Optional<TrialLink>> linker) {
            this.arch = arch;
            this.log = log;
            this.linker = linker;
            for (Path item : searchItems) {
                if (item.getFileName() != null && item.getFileName().toString().endsWith(".kext")) {
                    read(item, null);
                } else if (Files.isDirectory(item)) {
                    for (Path child : kextsIn(item)) {
                        read(child, null);
                    }
                } else {
                    log.log(LogLevel.ERROR, "Can't open " + item + " - not a kext or directory.");
                }
            }
        }

        private static List<Path> kextsIn(Path folder) {
            try (Stream<Path> s = Files.list(folder)) {
                return s.filter(p -> p.getFileName().toString().endsWith(".kext") && Files.isDirectory(p))
                        .sorted(Comparator.comparing(p -> p.getFileName().toString()))
                        .collect(Collectors.toList());
            } catch (IOException e) {
                return List.of();
            }
        }

        private void read(Path path, KextBundle parent) {
            Path kextPath = path.toAbsolutePath().normalize();
            if (byPath.containsKey(kextPath)) {
                return;
            }
            Path plist = kextPath.resolve("Contents").resolve("Info.plist");
            if (!Files.isRegularFile(plist)) {
                log.log(LogLevel.ERROR, "Can't open " + kextPath + " - no Info.plist.");
                return;
            }
            NSObject parsed;
            try {
                parsed = PropertyListParser.parse(plist.toFile());
            } catch (Exception e) {
                log.log(LogLevel.ERROR, "Can't open " + kextPath + " - can't parse info dictionary XML.");
                return;
            }
            if (!(parsed instanceof NSDictionary)) {
                log.log(LogLevel.ERROR, "Can't open " + kextPath + " - info dictionary is not a dictionary.");
                return;
            }
            KextBundle bundle = new KextBundle(kextPath, plist, (NSDictionary) parsed, arch, VersionGrammar.MODERN, parent, order++);
            kexts.add(bundle);
            byPath.put(kextPath, bundle);
            if (parent == null) {
                for (Path plugin : kextsIn(kextPath.resolve("Contents").resolve("PlugIns"))) {
                    read(plugin, bundle);
                }
            }
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
            return kexts.stream()
                    .filter(k -> bundleIdentifier.equals(k.identifier()))
                    .sorted(Comparator.comparing(KextBundle::version).thenComparingLong(KextBundle::order).reversed())
                    .collect(Collectors.toList());
        }

        @Override
        public boolean validate(KextBundle kext) {
            return valid.computeIfAbsent(kext, this::computeValid);
        }

        private boolean computeValid(KextBundle k) {
            if (k.identifier() == null) {
                k.diagnostics().add(DiagnosticGroup.VALIDATION, MISSING, "CFBundleIdentifier");
            }
            if (k.versionString() == null) {
                k.diagnostics().add(DiagnosticGroup.VALIDATION, MISSING, "CFBundleVersion");
            } else if (!k.version().isValid()) {
                k.diagnostics().add(DiagnosticGroup.VALIDATION, ILLEGAL, "CFBundleVersion");
            }
            String type = k.stringValue("CFBundlePackageType");
            if (type == null) {
                k.diagnostics().add(DiagnosticGroup.VALIDATION, MISSING, "CFBundlePackageType");
            } else if (!type.equals("KEXT")) {
                k.diagnostics().add(DiagnosticGroup.VALIDATION, ILLEGAL, "CFBundlePackageType");
            }
            if (k.compatibleVersion().isValid() && k.compatibleVersion().compareTo(k.version()) > 0) {
                k.diagnostics().add(DiagnosticGroup.VALIDATION, "Compatible version must be lower than current version.");
            }
            if (k.declaresExecutable() && !Files.isRegularFile(k.executablePath())) {
                k.diagnostics().add(DiagnosticGroup.VALIDATION,
                        "Kext has a CFBundleExecutable property but the executable can't be found");
            }
            if (k.declaresExecutable() && !k.isKernelComponent() && k.libraries().isEmpty()) {
                k.diagnostics().add(DiagnosticGroup.VALIDATION, MISSING, "OSBundleLibraries");
            }
            if (k.infoDictionary().containsKey("OSBundleDebugLevel")) {
                k.diagnostics().add(DiagnosticGroup.WARNINGS, "Deprecated property (ignored)", "OSBundleDebugLevel");
            }
            return !k.diagnostics().has(DiagnosticGroup.VALIDATION);
        }

        @Override
        public boolean authenticate(KextBundle kext) {
            return authentic.computeIfAbsent(kext, k -> {
                for (Path p : List.of(k.path(), k.infoPlistPath())) {
                    try {
                        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
                        if (perms.contains(PosixFilePermission.GROUP_WRITE) || perms.contains(PosixFilePermission.OTHERS_WRITE)) {
                            k.diagnostics().add(DiagnosticGroup.AUTHENTICATION,
                                    "File owner/permissions are incorrect (must be root:wheel, nonwritable by group/other)",
                                    p.toString());
                        }
                    } catch (IOException | UnsupportedOperationException e) {
                        k.diagnostics().add(DiagnosticGroup.AUTHENTICATION,
                                "Failed to get file info (stat failed)", p.toString());
                    }
                }
                return !k.diagnostics().has(DiagnosticGroup.AUTHENTICATION);
            });
        }

        @Override
        public boolean resolveDependencies(KextBundle kext) {
            Boolean known = resolved.get(kext);
            if (known == null) {
                known = resolve(kext, kext, new HashSet<>(), new ArrayDeque<>(), log);
                resolved.put(kext, known);
            }
            return known;
        }

        private boolean resolve(KextBundle k, KextBundle root, Set<KextBundle> done, Deque<KextBundle> stack, KextLog out) {
            if (!validate(k)) {
                out.log(LogLevel.ERROR, k.path() + " is invalid; can't resolve dependencies.");
                return false;
            }
            if (done.contains(k)) {
                return true;
            }
            if (stack.contains(k)) {
                String circular = "Some dependencies are causing circular references";
                root.diagnostics().add(DiagnosticGroup.DEPENDENCIES, circular, k.identifier());
                k.diagnostics().add(DiagnosticGroup.DEPENDENCIES, circular, k.identifier());
                return false;
            }
            if (k.isKernelComponent()) {
                directDependencies.put(k, List.of());
                done.add(k);
                return true;
            }
            stack.push(k);
            boolean ok = true;
            List<KextBundle> deps = new ArrayList<>();
            for (Map.Entry<String, String> lib : k.libraries().entrySet()) {
                KextVersion requested = KextVersion.parse(lib.getValue());
                List<KextBundle> candidates = kextsWithIdentifier(lib.getKey());
                KextBundle chosen = candidates.stream()
                        .filter(c -> Compatibility.isCompatible(c.version(), c.compatibleVersion(), requested))
                        .findFirst().orElse(null);
                if (chosen != null) {
                    deps.add(chosen);
                    continue;
                }
                ok = false;
                if (candidates.isEmpty()) {
                    k.diagnostics().add(DiagnosticGroup.DEPENDENCIES, "No kexts found for these libraries", lib.getKey());
                    out.log(LogLevel.ERROR, k.path() + " - dependency '" + lib.getKey() + "' not found.");
                } else if (candidates.stream().anyMatch(KextBundle::isLibrary)) {
                    k.diagnostics().add(DiagnosticGroup.DEPENDENCIES, "Only incompatible kexts found for these libraries",
                            lib.getKey());
                    out.log(LogLevel.ERROR, k.path() + " - no compatible dependency found for " + lib.getKey() + ".");
                } else {
                    k.diagnostics().add(DiagnosticGroup.DEPENDENCIES,
                            "Kexts found for these libraries lack valid OSBundleCompatibleVersion", lib.getKey());
                    out.log(LogLevel.ERROR, k.path() + " - dependency for " + lib.getKey()
                            + " lacks valid OSBundleCompatibleVersion.");
                }
            }
            directDependencies.put(k, deps);
            for (KextBundle d : deps) {
                if (!resolve(d, root, done, stack, out)) {
                    for (KextBundle s : stack) {
                        s.diagnostics().add(DiagnosticGroup.DEPENDENCIES, "Indirect dependencies can't be resolved",
                                d.identifier());
                    }
                    ok = false;
                }
            }
            if (k.declaresExecutable() && k.libraries().keySet().stream().noneMatch(id -> id.startsWith("com.apple.kpi."))) {
                k.diagnostics().add(DiagnosticGroup.WARNINGS, "Kext declares no com.apple.kpi.* libraries; "
                        + "if it references any kernel symbols, it may fail to link.");
            }
            stack.pop();
            if (ok) {
                done.add(k);
            }
            return ok;
        }

        @Override
        public boolean checkDependencies(KextBundle kext, boolean authenticate) {
            if (!resolveDependencies(kext)) {
                return false;
            }
            boolean ok = true;
            for (KextBundle d : dependencies(kext)) {
                if (!validate(d)) {
                    kext.diagnostics().add(DiagnosticGroup.DEPENDENCIES, "Dependencies have validation problems", d.identifier());
                    ok = false;
                }
                if (authenticate && !authenticate(d)) {
                    kext.diagnostics().add(DiagnosticGroup.DEPENDENCIES, "Dependencies have incorrect owner/permissions",
                            d.identifier());
                    ok = false;
                }
            }
            return ok;
        }

        @Override
        public boolean isLoadable(KextBundle kext) {
            boolean ok = validate(kext);
            ok = authenticate(kext) && ok;
            ok = resolveDependencies(kext) && ok;
            return checkDependencies(kext, true) && ok;
        }

        @Override
        public boolean isLoadableInSafeBoot(KextBundle kext) {
            boolean ok = true;
            if (!BundleFacts.isEligibleInSafeBoot(kext)) {
                kext.diagnostics().add(DiagnosticGroup.BOOT_LEVEL, "Kext isn't loadable during safe boot.");
                ok = false;
            }
            for (KextBundle d : dependencies(kext)) {
                if (!BundleFacts.isEligibleInSafeBoot(d)) {
                    kext.diagnostics().add(DiagnosticGroup.BOOT_LEVEL, "Dependencies aren't loadable during safe boot",
                            d.identifier());
                    ok = false;
                }
            }
            return ok;
        }

        @Override
        public List<KextBundle> dependencies(KextBundle kext) {
            if (!resolveDependencies(kext)) {
                return List.of();
            }
            Set<KextBundle> order = new LinkedHashSet<>();
            collect(kext, order);
            order.remove(kext);
            return List.copyOf(order);
        }

        private void collect(KextBundle k, Set<KextBundle> order) {
            for (KextBundle d : directDependencies.getOrDefault(k, List.of())) {
                if (!order.contains(d)) {
                    collect(d, order);
                }
            }
            order.add(k);
        }

        @Override
        public List<KextBundle> dependents(KextBundle kext) {
            List<KextBundle> result = new ArrayList<>();
            for (KextBundle other : kexts) {
                if (other == kext) {
                    continue;
                }
                // Resolve quietly: asking who depends on one kext must not report every other kext's problems.
                Boolean known = resolved.get(other);
                if (known == null) {
                    known = resolve(other, other, new HashSet<>(), new ArrayDeque<>(), KextLog.NONE);
                    resolved.put(other, known);
                }
                if (known && dependencies(other).contains(kext)) {
                    result.add(other);
                }
            }
            return result;
        }

        @Override
        public Optional<TrialLink> trialLink(KextBundle kext) {
            return linker.apply(kext);
        }

        /** Return the direct dependencies recorded by resolution (for the test kernel). */
        List<KextBundle> directDependencies(KextBundle kext) {
            resolveDependencies(kext);
            return directDependencies.getOrDefault(kext, List.of());
        }
    }
}
