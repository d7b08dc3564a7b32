package org.kextkit.harness.iokit.matching;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.kextkit.harness.family.MatchIndexer;
import org.kextkit.harness.iokit.matching.internal.ClassChain;
import org.kextkit.harness.iokit.matching.internal.CopyOnWriteTable;
import org.kextkit.harness.iokit.matching.internal.Explainer;
import org.kextkit.harness.iokit.matching.internal.MatchKeys;
import org.kextkit.harness.iokit.matching.internal.MatchTable;
import org.kextkit.harness.iokit.matching.internal.PassiveMatcher;
import org.kextkit.harness.iokit.matching.internal.Personality;
import org.kextkit.harness.iokit.matching.internal.Subject;
import org.kextkit.kit.iokit.IOService;
import org.kextkit.kit.libkern.SInt32;

/**
 * The kernel's catalogue of driver personalities and the first half of matching, as xnu's
 * {@code IOCatalogue} and {@code IOService::probeCandidates} do it.
 *
 * <p><b>Storage.</b> Personalities are filed in buckets by {@code IOProviderClass}, in insertion
 * order. {@link #addDrivers} skips a personality equal to one already filed (whole-dictionary
 * {@code isEqualTo}: deep, numbers by value, data by content), after filling in
 * {@code CFBundleIdentifier} (the kext's, if absent) and {@code IOPersonalityPublisher} as
 * {@code OSKext} does. A personality without a string {@code IOProviderClass} is not filed and so
 * never matches (a warning says so); it is still shown by {@link #explain} for its kext.
 *
 * <p><b>Candidates.</b> {@link #findDrivers} walks the nub's class and its superclasses up to
 * {@code IOService} and takes each class's bucket, so a personality for {@code IOService} is a
 * candidate for every nub. A class with a {@link MatchIndexer} contributes only the personalities
 * filed under one of the nub's index keys plus those the indexer could not index. Candidates are
 * ordered by descending {@code IOProbeScore}; ties keep the order in which {@code findDrivers}
 * meets them (the nub's own class first, then each superclass; within a class, insertion order),
 * as inserting into I/O Kit's {@code OSOrderedSet} does.
 *
 * <p><b>Checks</b>, per candidate: the category is free (else skipped); the generic keys
 * ({@code IONameMatch}, {@code IOLocationMatch}, {@code IOPropertyMatch},
 * {@code IOPropertyExistsMatch}, {@code IOPathMatch}, {@code IORegistryEntryID},
 * {@code IOMatchedServiceCountMatch}, the BSD keys); family matching, {@code matchPropertyTable}
 * on a copy of the personality, which may reject it or change the score (on the IOResources nub
 * this includes {@code IOResourceMatch}); and {@code IOParentMatch}, whose table must match the
 * nub's provider or an ancestor further up (I/O Kit starts that search at the provider, not at the
 * nub itself). A personality without a string {@code IOClass} has nothing to instantiate and is
 * never returned. {@code IOResourceMatch} on any other nub is a wait at start time, for the
 * caller: see {@link ResourceWait#of}.
 *
 * <p><b>Concurrency.</b> Readers and writers share a read/write lock that is held only while
 * candidates are collected or buckets change: a kext's personalities are read before it is taken,
 * and code that reads nubs ({@code matchPropertyTable}, {@code MatchIndexer.nubKeys}) always runs
 * outside it. A reader sees each kext's personalities all or not at all. Personalities added
 * concurrently by two callers are ordered by which call began first.
 */
public final class IOCatalogue implements DriverCatalogue {
    // descending score, then the nub's own class before superclasses, then insertion order
    private static final Comparator<Hit> CANDIDATE_ORDER = (a, b) -> {
        int byScore = Integer.compare(b.personality.score(), a.personality.score());
        if (byScore != 0) {
            return byScore;
        }
        int byDepth = Integer.compare(a.depth, b.depth);
        return byDepth != 0 ? byDepth : Long.compare(a.personality.sequence(), b.personality.sequence());
    };
    // the order every list of a bucket is kept in, so that collecting candidates merges sorted runs
    private static final Comparator<Personality> FILING_ORDER = (a, b) -> {
        int byScore = Integer.compare(b.score(), a.score());
        return byScore != 0 ? byScore : Long.compare(a.sequence(), b.sequence());
    };

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<String, Bucket> buckets = new HashMap<>();
    private final List<Personality> unfiled = new ArrayList<>();
    private volatile Map<String, MatchIndexer> indexers = Map.of();
    private volatile Map<String, ChecksFamilyKeys> keyChecks = Map.of();
    private final AtomicLong nextSequence = new AtomicLong();
    private int size;

    /** Create an empty catalogue with no indexers. */
    public IOCatalogue() {
    }

    /**
     * Create an empty catalogue that indexes the personalities of the given nub classes.
     *
     * @param indexers provider class name (such as {@code IOPCIDevice}) to its indexer, as
     *     {@link org.kextkit.harness.family.FamilyProvider#matchIndexers()} returns them
     */
    public IOCatalogue(Map<String, MatchIndexer> indexers) {
        registerIndexers(indexers);
    }

    /**
     * Add indexers (provider class name to indexer); personalities already filed under those
     * classes are indexed again. An indexer that also implements {@link ChecksFamilyKeys} checks the
     * family keys of personalities added from now on.
     */
    public void registerIndexers(Map<String, MatchIndexer> added) {
        Map<String, ChecksFamilyKeys> checks = new HashMap<>();
        added.forEach((className, indexer) -> {
            if (indexer instanceof ChecksFamilyKeys) {
                checks.put(className, (ChecksFamilyKeys) indexer);
            }
        });
        lock.writeLock().lock();
        try {
            Map<String, MatchIndexer> all = new HashMap<>(indexers);
            all.putAll(added);
            indexers = Map.copyOf(all);
            added.forEach((className, indexer) -> {
                Bucket bucket = buckets.get(className);
                if (bucket != null) {
                    bucket.index(indexer);
                }
            });
        } finally {
            lock.writeLock().unlock();
        }
        registerFamilyKeyChecks(checks);
    }

    /**
     * Add checks of family keys by provider class name: when a personality for that class is added,
     * each problem found becomes a warning naming the file, the personality and the key.
     */
    public void registerFamilyKeyChecks(Map<String, ChecksFamilyKeys> added) {
        if (added.isEmpty()) {
            return;
        }
        synchronized (this) {
            Map<String, ChecksFamilyKeys> all = new HashMap<>(keyChecks);
            all.putAll(added);
            keyChecks = Map.copyOf(all);
        }
    }

    /**
     * Return what a driver created from {@code table} (a candidate's personality copy) must wait for
     * before {@code start}: {@code IOResourceMatch} on any provider other than IOResources.
     */
    public static ResourceWait resourcesToWaitFor(Map<String, Object> table) {
        return ResourceWait.of(table);
    }

    @Override
    public int addDrivers(String bundleIdentifier, Map<String, Map<String, Object>> personalities, String source,
            Consumer<String> warnings) {
        Consumer<String> sink = warnings == null ? line -> { } : warnings;
        // read outside the lock: readers wait only while the personalities are filed
        long sequence = nextSequence.getAndAdd(personalities.size());
        List<Personality> read = new ArrayList<>(personalities.size());
        for (Map.Entry<String, Map<String, Object>> entry : personalities.entrySet()) {
            Map<String, Object> dictionary = entry.getValue() == null ? Map.of() : entry.getValue();
            read.add(Personality.read(entry.getKey(), dictionary, bundleIdentifier, source, sequence++,
                    familyProblems(dictionary), sink));
        }
        int added = 0;
        lock.writeLock().lock();
        try {
            for (Personality p : read) {
                if (p.providerClass() == null) {
                    if (unfiled.stream().noneMatch(p::sameContent)) {
                        unfiled.add(p);
                    }
                    continue;
                }
                Bucket bucket = buckets.computeIfAbsent(p.providerClass(), c -> new Bucket(indexers.get(c)));
                if (bucket.contains(p)) {
                    continue;
                }
                bucket.add(p);
                size++;
                added++;
            }
        } finally {
            lock.writeLock().unlock();
        }
        return added;
    }

    private List<MatchTable.Problem> familyProblems(Map<String, Object> dictionary) {
        Object providerClass = dictionary.get(MatchKeys.IOProviderClass);
        ChecksFamilyKeys check = providerClass instanceof String ? keyChecks.get(providerClass) : null;
        if (check == null) {
            return List.of();
        }
        List<MatchTable.Problem> problems = new ArrayList<>();
        try {
            for (ChecksFamilyKeys.Problem problem : check.checkFamilyKeys(dictionary)) {
                problems.add(new MatchTable.Problem(problem.key(), problem.message()));
            }
        } catch (RuntimeException e) {
            // the family's matching will judge the keys; a broken check must not stop the kext's personalities
            problems.add(new MatchTable.Problem(MatchKeys.IOProviderClass, "the " + providerClass
                    + " family could not check its keys (" + e + "); its matching will judge them"));
        }
        return problems;
    }

    /**
     * Remove the personalities whose {@code CFBundleIdentifier} is {@code bundleIdentifier}, as
     * {@code OSKext::removePersonalitiesFromCatalog} asks I/O Kit to; a personality published by
     * another (codeless) kext for this one goes too, one this kext published for another stays.
     */
    @Override
    public int removeDrivers(String bundleIdentifier) {
        Predicate<Personality> owned = p -> p.bundleIdentifier().equals(bundleIdentifier);
        int removed = 0;
        lock.writeLock().lock();
        try {
            for (Bucket bucket : buckets.values()) {
                removed += bucket.removeIf(owned);
            }
            buckets.values().removeIf(Bucket::isEmpty);
            unfiled.removeIf(owned);
            size -= removed;
        } finally {
            lock.writeLock().unlock();
        }
        return removed;
    }

    @Override
    public int size() {
        lock.readLock().lock();
        try {
            return size;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Return true if some personality belongs to {@code bundleIdentifier}. */
    public boolean hasPersonalitiesOf(String bundleIdentifier) {
        lock.readLock().lock();
        try {
            for (Bucket bucket : buckets.values()) {
                for (Personality p : bucket.all) {
                    if (p.bundleIdentifier().equals(bundleIdentifier)) {
                        return true;
                    }
                }
            }
            return false;
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public List<MatchCandidate> findDrivers(IOService nub, MatchContext context) {
        List<String> chain = ClassChain.of(nub);
        List<Hit> hits = candidates(nub, chain, true);
        Subject subject = Subject.nub(nub, context::matchedServiceCount);
        String[] nameMatched = new String[1];
        List<MatchCandidate> found = new ArrayList<>();
        for (Hit hit : hits) {
            Personality p = hit.personality;
            if (p.ioClass() == null || context.categoryTaken(p.category())) {
                continue;
            }
            nameMatched[0] = null;
            if (!PassiveMatcher.generic(p.match(), subject, true, nameMatched, null)) {
                continue;
            }
            CopyOnWriteTable table = new CopyOnWriteTable(p.table());
            if (nameMatched[0] != null) {
                table.put(MatchKeys.IONameMatched, nameMatched[0]);
            }
            SInt32 score = new SInt32(p.score());
            if (p.match().needsFamilyMatching()) {
                if (!PassiveMatcher.family(p.match(), subject, table, score, null)) {
                    continue;
                }
                table.put(MatchKeys.IOProbeScore, score.value);
            }
            if (p.match().parent() != null && !PassiveMatcher.parentMatches(p.match().parent(), subject, null)) {
                continue;
            }
            if (p.table().get(MatchKeys.IOLocationMatch) instanceof Map) {
                continue;
            }
            Map<String, Object> copy = table.materialize();
            copy.put(MatchKeys.IOMatchCategory, p.category());
            found.add(new MatchCandidate(p.bundleIdentifier(), p.name(), copy, score.value, p.category(), p.ioClass()));
        }
        found.sort(Comparator.comparingInt(c -> -c.score()));
        return found;
    }

    @Override
    public MatchExplanation explain(IOService nub, MatchContext context, String bundleIdentifier) {
        List<String> chain = ClassChain.of(nub);
        List<Personality> considered = new ArrayList<>();
        Set<Personality> inChain = new HashSet<>();
        for (Hit hit : candidates(nub, chain, false)) {
            considered.add(hit.personality);
            inChain.add(hit.personality);
        }
        if (bundleIdentifier != null) {
            considered.addAll(othersOf(bundleIdentifier, inChain));
        }
        return new Explainer(nub, context).explain(considered, inChain);
    }

    /** Return every personality of {@code bundleIdentifier} outside {@code exclude}, in insertion order. */
    private List<Personality> othersOf(String bundleIdentifier, Set<Personality> exclude) {
        List<Personality> others = new ArrayList<>();
        lock.readLock().lock();
        try {
            for (Bucket bucket : buckets.values()) {
                for (Personality p : bucket.all) {
                    if (p.bundleIdentifier().equals(bundleIdentifier) && !exclude.contains(p)) {
                        others.add(p);
                    }
                }
            }
            for (Personality p : unfiled) {
                if (p.bundleIdentifier().equals(bundleIdentifier)) {
                    others.add(p);
                }
            }
        } finally {
            lock.readLock().unlock();
        }
        others.sort(Comparator.comparingLong(Personality::sequence));
        return others;
    }

    /**
     * Collect the candidates of a nub in matching order. With {@code useIndex}, a class's indexer
     * narrows its bucket; the nub's index keys are computed before the lock is taken because
     * {@code nubKeys} runs family code that reads the nub.
     */
    private List<Hit> candidates(IOService nub, List<String> chain, boolean useIndex) {
        Map<String, MatchIndexer> indexersNow = indexers;
        MatchIndexer[] usedIndexers = new MatchIndexer[chain.size()];
        Set<?>[] nubKeys = new Set<?>[chain.size()];
        if (useIndex) {
            for (int depth = 0; depth < chain.size(); depth++) {
                MatchIndexer indexer = indexersNow.get(chain.get(depth));
                if (indexer != null) {
                    usedIndexers[depth] = indexer;
                    nubKeys[depth] = nubKeys(indexer, nub);
                }
            }
        }
        List<Hit> hits = new ArrayList<>();
        lock.readLock().lock();
        try {
            for (int depth = 0; depth < chain.size(); depth++) {
                Bucket bucket = buckets.get(chain.get(depth));
                if (bucket == null) {
                    continue;
                }
                if (nubKeys[depth] != null && bucket.indexer == usedIndexers[depth]) {
                    for (Object key : nubKeys[depth]) {
                        List<Personality> filed = bucket.byKey.get(key);
                        if (filed != null) {
                            addHits(hits, filed, depth);
                        }
                    }
                    addHits(hits, bucket.unindexed, depth);
                } else {
                    addHits(hits, bucket.all, depth);
                }
            }
        } finally {
            lock.readLock().unlock();
        }
        hits.sort(CANDIDATE_ORDER); // runs are already sorted, so this is mostly a merge
        // a personality filed under several of the nub's keys sorts next to itself
        int kept = 0;
        for (int i = 0; i < hits.size(); i++) {
            if (kept == 0 || hits.get(kept - 1).personality != hits.get(i).personality) {
                hits.set(kept++, hits.get(i));
            }
        }
        return kept == hits.size() ? hits : new ArrayList<>(hits.subList(0, kept));
    }

    // a nub the indexer cannot read is matched against the whole bucket
    private static Set<String> nubKeys(MatchIndexer indexer, IOService nub) {
        try {
            return indexer.nubKeys(nub);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static void addHits(List<Hit> hits, List<Personality> personalities, int depth) {
        for (Personality p : personalities) {
            hits.add(new Hit(p, depth));
        }
    }

    /** A candidate personality and how far up the nub's class chain its bucket is. */
    private static final class Hit {
        final Personality personality;
        final int depth;

        Hit(Personality personality, int depth) {
            this.personality = personality;
            this.depth = depth;
        }
    }

    /** The personalities of one provider class, with their index when the class has an indexer. */
    private static final class Bucket {
        final List<Personality> all = new ArrayList<>();
        final Map<Integer, List<Personality>> byContent = new HashMap<>();
        MatchIndexer indexer;
        Map<Object, List<Personality>> byKey = new HashMap<>();
        List<Personality> unindexed = new ArrayList<>();

        Bucket(MatchIndexer indexer) {
            this.indexer = indexer;
        }

        boolean contains(Personality p) {
            List<Personality> same = byContent.get(p.contentHash());
            if (same != null) {
                for (Personality q : same) {
                    if (q.sameContent(p)) {
                        return true;
                    }
                }
            }
            return false;
        }

        void add(Personality p) {
            insertInOrder(all, p);
            byContent.computeIfAbsent(p.contentHash(), h -> new ArrayList<>(1)).add(p);
            file(p);
        }

        private void file(Personality p) {
            Set<String> keys = indexKeys(p);
            if (keys.isEmpty()) {
                insertInOrder(unindexed, p);
            } else {
                for (String key : keys) {
                    insertInOrder(byKey.computeIfAbsent(key, k -> new ArrayList<>(2)), p);
                }
            }
        }

        private static void insertInOrder(List<Personality> list, Personality p) {
            int at = Collections.binarySearch(list, p, FILING_ORDER);
            list.add(at < 0 ? -at - 1 : at, p);
        }

        // an indexer that cannot read a personality leaves it to be checked against every nub
        private Set<String> indexKeys(Personality p) {
            if (indexer == null) {
                return Set.of();
            }
            try {
                Set<String> keys = indexer.personalityKeys(p.table());
                return keys == null ? Set.of() : keys;
            } catch (RuntimeException e) {
                return Set.of();
            }
        }

        void index(MatchIndexer newIndexer) {
            indexer = newIndexer;
            byKey = new HashMap<>();
            unindexed = new ArrayList<>();
            for (Personality p : all) {
                file(p);
            }
        }

        int removeIf(Predicate<Personality> doomed) {
            int before = all.size();
            if (!all.removeIf(doomed)) {
                return 0;
            }
            byContent.values().forEach(list -> list.removeIf(doomed));
            byContent.values().removeIf(List::isEmpty);
            byKey.values().forEach(list -> list.removeIf(doomed));
            byKey.values().removeIf(List::isEmpty);
            unindexed.removeIf(doomed);
            return before - all.size();
        }

        boolean isEmpty() {
            return all.isEmpty();
        }
    }
}
