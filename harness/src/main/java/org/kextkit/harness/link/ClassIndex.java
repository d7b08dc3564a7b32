package org.kextkit.harness.link;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import org.kextkit.harness.bundle.KextBundle;
import org.kextkit.harness.bundle.KextExecutable;
import org.kextkit.harness.bundle.KextExecutableException;

/**
 * Answer "which known kexts have this class?", so a link failure can name the kext to declare.
 *
 * <p>The index covers the bundles its supplier returns (typically every kext in the repository,
 * kernel pseudo-kexts included). A bundle's classes are the classes of its executable jar; a kernel
 * component's are the kit classes that {@link KpiExports} assigns to its identifier. Nothing is read
 * until a question is asked: linking a kext whose references all resolve never touches the index,
 * and the full class-to-kext map is built only when the first unresolved reference needs
 * explaining. Executables already in memory can be {@linkplain #record recorded} so they are not
 * read again. Thread-safe.
 */
public final class ClassIndex {
    private final Supplier<? extends Collection<KextBundle>> bundles;
    private final Map<KextBundle, Set<String>> recorded = new IdentityHashMap<>();
    private final Map<KextBundle, Set<String>> read = new IdentityHashMap<>();
    private Map<String, List<KextBundle>> providers;

    /**
     * Create an index over the bundles {@code bundles} returns; it is asked again after
     * {@link #invalidate()}.
     */
    public ClassIndex(Supplier<? extends Collection<KextBundle>> bundles) {
        this.bundles = Objects.requireNonNull(bundles, "bundles");
    }

    /** Create an index over a fixed collection of bundles. */
    public static ClassIndex of(Collection<KextBundle> bundles) {
        List<KextBundle> copy = List.copyOf(bundles);
        return new ClassIndex(() -> copy);
    }

    /**
     * Remember the classes of an executable that is already in memory, so the index never reads
     * that bundle's jar itself.
     */
    public synchronized void record(KextBundle bundle, KextExecutable executable) {
        recorded.put(bundle, executable.classNames());
        read.remove(bundle);
        providers = null;
    }

    /**
     * Return the binary names of the classes in a bundle's executable, reading the jar on first
     * use; empty for a codeless kext or an executable that can't be read (validation reports that).
     * Kernel components also answer empty here: their classes are the kit's.
     */
    public synchronized Set<String> classNames(KextBundle bundle) {
        Set<String> names = recorded.get(bundle);
        if (names == null) {
            names = read.get(bundle);
        }
        if (names == null) {
            names = readClassNames(bundle);
            read.put(bundle, names);
        }
        return names;
    }

    /**
     * Return the known kexts that have a class, in the supplier's order: bundles whose jar defines
     * it, or, for a kit class that exists, the kernel components its package is exported by.
     */
    public synchronized List<KextBundle> providers(String binaryName) {
        if (providers == null) {
            providers = buildProviders();
        }
        String exporter = KpiExports.exporterOf(binaryName);
        if (exporter != null) {
            if (!KpiExports.kitHasClass(binaryName)) {
                return List.of();
            }
            List<KextBundle> kernelComponents = new ArrayList<>();
            for (KextBundle bundle : bundles.get()) {
                if (bundle.isKernelComponent() && exporter.equals(bundle.identifier())) {
                    kernelComponents.add(bundle);
                }
            }
            return kernelComponents;
        }
        List<KextBundle> found = providers.get(binaryName);
        return found == null ? List.of() : Collections.unmodifiableList(found);
    }

    /**
     * Forget what was read from disk and the class-to-kext map, after the set of bundles changed;
     * recorded executables are kept.
     */
    public synchronized void invalidate() {
        providers = null;
        read.clear();
    }

    /** Forget a recorded executable, for instance when its kext is unloaded. */
    public synchronized void forget(KextBundle bundle) {
        recorded.remove(bundle);
        read.remove(bundle);
        providers = null;
    }

    private Map<String, List<KextBundle>> buildProviders() {
        Map<String, List<KextBundle>> map = new HashMap<>();
        for (KextBundle bundle : bundles.get()) {
            if (bundle.isKernelComponent()) {
                continue;
            }
            for (String name : classNames(bundle)) {
                map.computeIfAbsent(name, n -> new ArrayList<>(1)).add(bundle);
            }
        }
        return map;
    }

    private static Set<String> readClassNames(KextBundle bundle) {
        if (bundle.isKernelComponent() || !bundle.declaresExecutable()) {
            return Set.of();
        }
        try {
            // Copy the names so the class bytes are not kept alive by the index.
            KextExecutable executable = bundle.hasSuppliedExecutable() ? bundle.executable()
                    : KextExecutable.read(bundle.executablePath());
            return Set.copyOf(executable.classNames());
        } catch (KextExecutableException e) {
            return Set.of();
        }
    }
}
