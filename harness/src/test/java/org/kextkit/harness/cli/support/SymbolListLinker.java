package org.kextkit.harness.cli.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.kextkit.harness.bundle.KextBundle;
import org.kextkit.harness.cli.ArchLibraries;
import org.kextkit.harness.cli.KextCatalog;
import org.kextkit.harness.cli.KextLibsPort;

/**
 * Find link dependencies from symbol lists kept in each kext's {@code Contents/Resources}: a kext's
 * references in {@code imports.txt} (or {@code imports-<arch>.txt}), a library's definitions in
 * {@code exports.txt}, its architectures in {@code arches.txt} (default: the catalog's architecture).
 * Which libraries are searched follows IOKitUser's {@code __OSKextIsSearchableForSymbols}.
 */
public final class SymbolListLinker implements KextLibsPort {
    private static final Set<String> UNSUPPORTED = Set.of("com.apple.kpi.unsupported", "com.apple.kpi.private",
            "com.apple.kpi.dsep", "com.apple.kernel.unsupported");

    @Override
    public List<ArchLibraries> findLinkDependencies(KextCatalog catalog, KextBundle kext, boolean nonKpi,
                                                    boolean allowUnsupported) {
        List<String> arches = lines(kext, "arches.txt");
        if (arches.isEmpty()) {
            arches = List.of(kext.arch());
        }
        List<KextBundle> searchable = new ArrayList<>();
        for (KextBundle k : catalog.kexts()) {
            if (k != kext && isSearchable(k, nonKpi, allowUnsupported)) {
                searchable.add(k);
            }
        }
        searchable.sort(Comparator.comparing(KextBundle::identifier));
        List<ArchLibraries> results = new ArrayList<>();
        for (String arch : arches) {
            List<String> imports = lines(kext, "imports-" + arch + ".txt");
            if (imports.isEmpty()) {
                imports = lines(kext, "imports.txt");
            }
            Set<String> undefined = new TreeSet<>();
            Map<String, KextBundle> onedef = new LinkedHashMap<>();
            Map<String, List<KextBundle>> multdef = new LinkedHashMap<>();
            Set<KextBundle> libraries = new LinkedHashSet<>();
            Set<KextBundle> multdefLibraries = new LinkedHashSet<>();
            for (String symbol : imports) {
                List<KextBundle> definers = new ArrayList<>();
                for (KextBundle lib : searchable) {
                    if (lines(lib, "exports.txt").contains(symbol)) {
                        definers.add(lib);
                    }
                }
                if (definers.isEmpty()) {
                    undefined.add(symbol);
                } else if (definers.size() == 1) {
                    onedef.put(symbol, definers.get(0));
                } else {
                    multdef.put(symbol, definers);
                    multdefLibraries.addAll(definers);
                }
                libraries.addAll(definers);
            }
            List<KextBundle> sorted = new ArrayList<>(libraries);
            sorted.sort(Comparator.comparing(KextBundle::identifier));
            results.add(ArchLibraries.of(arch, sorted, undefined, onedef, multdef, new ArrayList<>(multdefLibraries)));
        }
        return results;
    }

    private static boolean isSearchable(KextBundle k, boolean nonKpi, boolean allowUnsupported) {
        String id = k.identifier();
        if (id == null || !k.isLibrary() || !k.declaresExecutable()) {
            return false;
        }
        if (nonKpi ? id.startsWith("com.apple.kpi.") : id.startsWith("com.apple.kernel")) {
            return false;
        }
        return allowUnsupported || !UNSUPPORTED.contains(id);
    }

    private static List<String> lines(KextBundle kext, String file) {
        Path path = kext.path().resolve("Contents").resolve("Resources").resolve(file);
        if (!Files.isRegularFile(path)) {
            return List.of();
        }
        try {
            List<String> result = new ArrayList<>();
            for (String line : Files.readAllLines(path)) {
                if (!line.isBlank()) {
                    result.add(line.trim());
                }
            }
            return result;
        } catch (IOException e) {
            return List.of();
        }
    }
}
