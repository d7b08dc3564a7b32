package org.kextkit.harness.cli.kextfind;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.kextkit.harness.bundle.KextBundle;
import org.kextkit.harness.bundle.KextExecutable;
import org.kextkit.harness.bundle.KextExecutableException;
import org.kextkit.harness.cli.KextCatalog;
import org.kextkit.harness.cli.KextstatRow;
import org.kextkit.harness.cli.internal.BundleFacts;
import org.kextkit.harness.diagnostics.DiagnosticGroup;
import org.kextkit.harness.version.KextVersion;

/**
 * Hold what evaluating a query needs: the catalog, the output, the global options, the loaded kexts,
 * and a memo of each kext's yes/no facts so that a check runs once per kext.
 */
final class Evaluation {
    private final KextCatalog catalog;
    private final PrintWriter out;
    private final PathSpec pathSpec;
    private final boolean caseInsensitive;
    private final boolean substring;
    private final List<KextstatRow> loaded;
    private final Map<KextBundle, Map<Flag, Boolean>> memo = new IdentityHashMap<>();

    Evaluation(KextCatalog catalog, PrintWriter out, PathSpec pathSpec, boolean caseInsensitive, boolean substring,
               List<KextstatRow> loaded) {
        this.catalog = catalog;
        this.out = out;
        this.pathSpec = pathSpec;
        this.caseInsensitive = caseInsensitive;
        this.substring = substring;
        this.loaded = loaded;
    }

    KextCatalog catalog() {
        return catalog;
    }

    PrintWriter out() {
        return out;
    }

    PathSpec pathSpec() {
        return pathSpec;
    }

    boolean caseInsensitive() {
        return caseInsensitive;
    }

    boolean substring() {
        return substring;
    }

    /** Run every check whose findings {@code -print-diagnostics} shows. */
    void runAllChecks(KextBundle kext) {
        flag(kext, Flag.VALID);
        flag(kext, Flag.AUTHENTIC);
        flag(kext, Flag.DEPENDENCIES_MET);
        flag(kext, Flag.LOADABLE);
    }

    boolean flag(KextBundle kext, Flag flag) {
        Map<Flag, Boolean> facts = memo.computeIfAbsent(kext, k -> new EnumMap<>(Flag.class));
        Boolean known = facts.get(flag);
        if (known == null) {
            known = compute(kext, flag);
            facts.put(flag, known);
        }
        return known;
    }

    private boolean compute(KextBundle kext, Flag flag) {
        switch (flag) {
            case LOADED:
                return isLoaded(kext);
            case VALID:
                return catalog.validate(kext);
            case AUTHENTIC:
                return catalog.authenticate(kext);
            case DEPENDENCIES_MET:
                return catalog.resolveDependencies(kext);
            case LOADABLE:
                return catalog.isLoadable(kext);
            case WARNINGS:
                flag(kext, Flag.VALID);
                return kext.diagnostics().has(DiagnosticGroup.WARNINGS);
            case LIBRARY:
                return kext.isLibrary();
            case HAS_PLUGINS:
                return !kext.plugins().isEmpty();
            case PLUGIN:
                return isPlugin(kext);
            case DEBUG:
                return BundleFacts.hasDebugProperties(kext);
            case KERNEL_RESOURCE:
                return kext.isKernelComponent();
            case DUPLICATE_ID:
                return kext.identifier() != null && catalog.kextsWithIdentifier(kext.identifier()).size() > 1;
            case EXECUTABLE:
                return kext.declaresExecutable();
            case INVALID:
                return !flag(kext, Flag.VALID);
            case INAUTHENTIC:
                return !flag(kext, Flag.AUTHENTIC);
            case DEPENDENCIES_MISSING:
                return !flag(kext, Flag.DEPENDENCIES_MET);
            case NONLOADABLE:
                return !flag(kext, Flag.LOADABLE);
            case NO_EXECUTABLE:
                return !kext.declaresExecutable();
            default:
                throw new IllegalStateException(flag.name());
        }
    }

    /** As {@code OSKextIsPlugin}: the directory holding the kext has {@code .kext} in its path. */
    private static boolean isPlugin(KextBundle kext) {
        if (kext.parent() != null) {
            return true;
        }
        Path holder = kext.path().getParent();
        return holder != null && holder.toString().contains(".kext");
    }

    /** As {@code OSKextIsLoaded}: a loaded kext has the same identifier, version and (if known) UUID. */
    private boolean isLoaded(KextBundle kext) {
        String uuid = null;
        boolean uuidRead = false;
        for (KextstatRow row : loaded) {
            if (kext.identifier() == null || !kext.identifier().equals(row.bundleId()) || row.version() == null) {
                continue;
            }
            if (!KextVersion.parse(row.version(), kext.grammar()).equals(kext.version())) {
                continue;
            }
            if (row.uuid() == null) {
                return true;
            }
            if (!uuidRead) {
                uuid = executableUuid(kext);
                uuidRead = true;
            }
            if (uuid == null || row.uuid().toUpperCase(Locale.ROOT).equals(uuid)) {
                return true;
            }
        }
        return false;
    }

    private static String executableUuid(KextBundle kext) {
        Path executable = kext.executablePath();
        if (executable == null) {
            return null;
        }
        try {
            return Objects.requireNonNull(KextExecutable.read(executable).uuid()).toUpperCase(Locale.ROOT);
        } catch (KextExecutableException e) {
            return null;
        }
    }
}
