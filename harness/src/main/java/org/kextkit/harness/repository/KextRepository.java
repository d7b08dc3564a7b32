package org.kextkit.harness.repository;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.kextkit.harness.bundle.KextBundle;
import org.kextkit.harness.diagnostics.DiagnosticGroup;

/**
 * Keep every kext the kernel knows about, indexed by bundle identifier, the way IOKitUser keeps its
 * identifier dictionary: several versions per identifier, sorted by descending {@code CFBundleVersion},
 * and among equal versions the bundle created later (higher {@link KextBundle#order()}) first.
 *
 * <p>A repository starts with the kernel's {@link KernelPseudoKexts} and is filled with the bundles a
 * reader produced; it never scans folders itself. Invalid and inauthentic bundles are kept, so that
 * diagnostics can mention them, but {@link #rejectionReason(KextBundle)} tells the resolver never to
 * choose them. Adding a bundle also adds its plug-ins; adding the same bundle twice has no effect.
 *
 * <p>Reads are safe from any thread; changes are serialised.
 */
public final class KextRepository {
    /** Highest version first; on a tie, the later-created bundle first. */
    public static final Comparator<KextBundle> PREFERENCE_ORDER = Comparator
            .comparingLong((KextBundle b) -> b.version().packed()).reversed()
            .thenComparing(Comparator.comparingLong(KextBundle::order).reversed());

    private final KernelPseudoKexts kernel;
    private final Map<String, List<KextBundle>> byId = new ConcurrentHashMap<>();
    // Insertion order of every known bundle; identity, because two bundles may be equal in content.
    private final Map<KextBundle, Boolean> known = new IdentityHashMap<>();
    private final List<KextBundle> insertionOrder = new ArrayList<>();

    /** Create a repository holding only the default kernel's pseudo-kexts. */
    public KextRepository() {
        this(KernelPseudoKexts.create());
    }

    /** Create a repository holding only {@code kernel}'s pseudo-kexts. */
    public KextRepository(KernelPseudoKexts kernel) {
        this.kernel = Objects.requireNonNull(kernel, "kernel");
        addAll(kernel.bundles());
    }

    /** Create a repository of {@code kernel}'s pseudo-kexts plus {@code bundles} (and their plug-ins). */
    public KextRepository(KernelPseudoKexts kernel, List<KextBundle> bundles) {
        this(kernel);
        addAll(bundles);
    }

    /** Create a repository of the default kernel's pseudo-kexts plus {@code bundles} (and their plug-ins). */
    public static KextRepository of(List<KextBundle> bundles) {
        return new KextRepository(KernelPseudoKexts.create(), bundles);
    }

    /** Return the kernel whose pseudo-kexts seeded this repository. */
    public KernelPseudoKexts kernel() {
        return kernel;
    }

    /**
     * Add a bundle and its plug-ins.
     *
     * @return true if anything was new
     */
    public synchronized boolean add(KextBundle bundle) {
        Objects.requireNonNull(bundle, "bundle");
        boolean added = false;
        if (known.put(bundle, Boolean.TRUE) == null) {
            insertionOrder.add(bundle);
            String id = bundle.identifier();
            if (id != null) {
                List<KextBundle> candidates = new ArrayList<>(byId.getOrDefault(id, List.of()));
                candidates.add(bundle);
                candidates.sort(PREFERENCE_ORDER);
                byId.put(id, List.copyOf(candidates));
            }
            added = true;
        }
        for (KextBundle plugin : bundle.plugins()) {
            added |= add(plugin);
        }
        return added;
    }

    /** Add bundles (and their plug-ins); return how many bundles were new. */
    public synchronized int addAll(Collection<KextBundle> bundles) {
        int before = insertionOrder.size();
        for (KextBundle bundle : bundles) {
            add(bundle);
        }
        return insertionOrder.size() - before;
    }

    /**
     * Remove a bundle and its plug-ins.
     *
     * @return true if anything was removed
     */
    public synchronized boolean remove(KextBundle bundle) {
        Objects.requireNonNull(bundle, "bundle");
        boolean removed = false;
        if (known.remove(bundle) != null) {
            insertionOrder.remove(bundle);
            String id = bundle.identifier();
            if (id != null) {
                List<KextBundle> candidates = new ArrayList<>(byId.getOrDefault(id, List.of()));
                candidates.removeIf(b -> b == bundle);
                if (candidates.isEmpty()) {
                    byId.remove(id);
                } else {
                    byId.put(id, List.copyOf(candidates));
                }
            }
            removed = true;
        }
        for (KextBundle plugin : bundle.plugins()) {
            removed |= remove(plugin);
        }
        return removed;
    }

    /** Return true if this very bundle is known. */
    public synchronized boolean contains(KextBundle bundle) {
        return known.containsKey(bundle);
    }

    /**
     * Return every known bundle with {@code bundleId}, most preferred first (see
     * {@link #PREFERENCE_ORDER}), invalid ones included; empty if none.
     */
    public List<KextBundle> candidates(String bundleId) {
        List<KextBundle> candidates = bundleId == null ? null : byId.get(bundleId);
        return candidates == null ? List.of() : candidates;
    }

    /**
     * Return the bundle {@code kextload -b} would pick for {@code bundleId}: the most preferred
     * candidate that is not rejected, or {@code null}.
     */
    public KextBundle preferred(String bundleId) {
        for (KextBundle candidate : candidates(bundleId)) {
            if (rejectionReason(candidate) == null) {
                return candidate;
            }
        }
        return null;
    }

    /** Return every known identifier, sorted. */
    public Set<String> identifiers() {
        return new TreeSet<>(byId.keySet());
    }

    /** Return every known bundle in the order it was added, pseudo-kexts first. */
    public synchronized List<KextBundle> all() {
        return List.copyOf(insertionOrder);
    }

    /** Return the number of known bundles. */
    public synchronized int size() {
        return insertionOrder.size();
    }

    /**
     * Return why a bundle may never be chosen to satisfy a dependency, or {@code null} if it may: it
     * has validation or authentication failures (kextkit always authenticates strictly, as kextload
     * does).
     */
    public static String rejectionReason(KextBundle bundle) {
        if (bundle.diagnostics().has(DiagnosticGroup.VALIDATION)) {
            return "it has validation failures";
        }
        if (bundle.diagnostics().has(DiagnosticGroup.AUTHENTICATION)) {
            return "it has authentication failures";
        }
        return null;
    }

    @Override
    public String toString() {
        return "KextRepository(" + size() + " kexts, " + kernel + ")";
    }
}
