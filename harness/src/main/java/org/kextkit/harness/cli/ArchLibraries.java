package org.kextkit.harness.cli;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.kextkit.harness.bundle.KextBundle;

/**
 * Report, for one architecture, which libraries a kext needs and which of its symbol references
 * resolve nowhere, once, or more than once.
 *
 * <p>Symbols are kept sorted so that kextlibs' output is stable (Apple's follows hash order).
 *
 * @param arch the architecture name, for example {@code x86_64}
 * @param libraries the libraries that define at least one referenced symbol, in the order to print
 * @param undefinedSymbols references found in no library
 * @param onedefSymbols references found in exactly one library, with that library
 * @param multdefSymbols references found in more than one library, with those libraries
 * @param multdefLibraries every library involved in a multiple definition, in the order to print
 */
public record ArchLibraries(String arch, List<KextBundle> libraries, SortedSet<String> undefinedSymbols,
                            SortedMap<String, KextBundle> onedefSymbols,
                            SortedMap<String, List<KextBundle>> multdefSymbols, List<KextBundle> multdefLibraries) {
    /** Copy every collection, sorting the symbol sets and maps. */
    public ArchLibraries {
        Objects.requireNonNull(arch, "arch");
        libraries = List.copyOf(libraries);
        undefinedSymbols = new TreeSet<>(undefinedSymbols);
        onedefSymbols = new TreeMap<>(onedefSymbols);
        TreeMap<String, List<KextBundle>> multdef = new TreeMap<>();
        multdefSymbols.forEach((symbol, libs) -> multdef.put(symbol, List.copyOf(libs)));
        multdefSymbols = multdef;
        multdefLibraries = List.copyOf(multdefLibraries);
    }

    /** Create a result from unsorted collections. */
    public static ArchLibraries of(String arch, List<KextBundle> libraries, Set<String> undefinedSymbols,
                                   Map<String, KextBundle> onedefSymbols, Map<String, List<KextBundle>> multdefSymbols,
                                   List<KextBundle> multdefLibraries) {
        return new ArchLibraries(arch, libraries, new TreeSet<>(undefinedSymbols), new TreeMap<>(onedefSymbols),
                new TreeMap<>(multdefSymbols), multdefLibraries);
    }
}
