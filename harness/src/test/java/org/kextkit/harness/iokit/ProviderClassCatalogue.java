package org.kextkit.harness.iokit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.kextkit.harness.iokit.matching.DriverCatalogue;
import org.kextkit.harness.iokit.matching.MatchCandidate;
import org.kextkit.harness.iokit.matching.MatchExplanation;
import org.kextkit.kit.internal.MetaClassNames;
import org.kextkit.kit.iokit.IORegistryEntry;
import org.kextkit.kit.iokit.IOService;
import org.kextkit.kit.libkern.SInt32;

/**
 * A driver catalogue that matches on {@code IOProviderClass} (the nub's class or a superclass) and
 * family matching ({@code matchPropertyTable}) only, ordered by descending {@code IOProbeScore}
 * with ties in insertion order. The registry's tests use it to exercise probe and start without the
 * full passive-key matching of {@code IOCatalogue}; a kernel uses it only where no {@code IOCatalogue}
 * is constructed.
 */
final class ProviderClassCatalogue implements DriverCatalogue {
    private record Personality(String bundleIdentifier, String name, Map<String, Object> table) {
    }

    private final List<Personality> personalities = new ArrayList<>();

    @Override
    public synchronized int addDrivers(String bundleIdentifier, Map<String, Map<String, Object>> drivers, String source,
            Consumer<String> warnings) {
        int added = 0;
        for (Map.Entry<String, Map<String, Object>> e : drivers.entrySet()) {
            Map<String, Object> table = new LinkedHashMap<>(e.getValue());
            if (!(table.get("IOProviderClass") instanceof String)) {
                warnings.accept(source + ": personality \"" + e.getKey() + "\" has no IOProviderClass string; it can never match.");
                continue;
            }
            table.putIfAbsent("CFBundleIdentifier", bundleIdentifier);
            Personality p = new Personality(String.valueOf(table.get("CFBundleIdentifier")), e.getKey(), table);
            if (!personalities.contains(p)) {
                personalities.add(p);
                added++;
            }
        }
        return added;
    }

    @Override
    public synchronized int removeDrivers(String bundleIdentifier) {
        int before = personalities.size();
        personalities.removeIf(p -> p.bundleIdentifier.equals(bundleIdentifier));
        return before - personalities.size();
    }

    @Override
    public synchronized int size() {
        return personalities.size();
    }

    @Override
    public List<MatchCandidate> findDrivers(IOService nub, MatchContext context) {
        List<String> chain = classChain(nub);
        List<MatchCandidate> candidates = new ArrayList<>();
        for (Personality p : snapshot()) {
            if (!chain.contains(p.table.get("IOProviderClass"))) {
                continue;
            }
            Map<String, Object> copy = new LinkedHashMap<>(p.table);
            SInt32 score = new SInt32(probeScore(copy));
            if (!nub.matchPropertyTable(copy, score)) {
                continue;
            }
            String category = category(copy);
            copy.put("IOProbeScore", (long) score.value);
            copy.put("IOMatchCategory", category);
            candidates.add(new MatchCandidate(p.bundleIdentifier, p.name, copy, score.value, category,
                    String.valueOf(copy.get("IOClass"))));
        }
        // List.sort is stable: equal scores keep insertion order.
        candidates.sort((a, b) -> Integer.compare(b.score(), a.score()));
        return candidates;
    }

    @Override
    public MatchExplanation explain(IOService nub, MatchContext context, String bundleIdentifier) {
        List<String> chain = classChain(nub);
        List<MatchExplanation.Entry> entries = new ArrayList<>();
        for (Personality p : snapshot()) {
            Object wanted = p.table.get("IOProviderClass");
            boolean classOk = chain.contains(wanted);
            if (!classOk && !Objects.equals(bundleIdentifier, p.bundleIdentifier)) {
                continue;
            }
            List<MatchExplanation.KeyVerdict> keys = new ArrayList<>();
            int initial = probeScore(p.table);
            String category = category(p.table);
            keys.add(new MatchExplanation.KeyVerdict("IOProviderClass", classOk, "personality wants " + wanted
                    + "; nub is " + String.join(" : ", chain)));
            if (!classOk) {
                entries.add(new MatchExplanation.Entry(p.bundleIdentifier, p.name, false, initial, initial, category, keys,
                        "failed IOProviderClass"));
                continue;
            }
            SInt32 score = new SInt32(initial);
            boolean familyOk = nub.matchPropertyTable(new LinkedHashMap<>(p.table), score);
            keys.add(new MatchExplanation.KeyVerdict("matchPropertyTable", familyOk, familyOk
                    ? nub.getMetaClassName() + " accepted the personality" + (score.value != initial ? " and rescored it to " + score.value : "")
                    : nub.getMetaClassName() + " rejected the personality"));
            String outcome;
            if (!familyOk) {
                outcome = "failed family matching (" + nub.getMetaClassName() + ".matchPropertyTable)";
            } else if (context.categoryTaken(category)) {
                outcome = "category " + category + " already has a client";
            } else {
                outcome = "matched, score " + score.value + " in " + category;
            }
            entries.add(new MatchExplanation.Entry(p.bundleIdentifier, p.name, familyOk, initial, familyOk ? score.value : initial,
                    category, keys, outcome));
        }
        String where = nub.getPath(IORegistryEntry.gIOServicePlane);
        return new MatchExplanation(nub.getName() + (nub.getLocation() == null ? "" : "@" + nub.getLocation()) + " <class "
                + nub.getMetaClassName() + ", id 0x" + Long.toHexString(nub.getRegistryEntryID()) + "> at " + where, entries);
    }

    private synchronized List<Personality> snapshot() {
        return new ArrayList<>(personalities);
    }

    private static List<String> classChain(IOService nub) {
        List<String> chain = new ArrayList<>();
        for (Class<?> c = nub.getClass(); c != null && IORegistryEntry.class.isAssignableFrom(c); c = c.getSuperclass()) {
            chain.add(MetaClassNames.of(c));
        }
        return chain;
    }

    private static int probeScore(Map<String, Object> table) {
        Object score = table.get("IOProbeScore");
        return score instanceof Number ? ((Number) score).intValue() : 0;
    }

    private static String category(Map<String, Object> table) {
        Object category = table.get("IOMatchCategory");
        return category instanceof String ? (String) category : IOService.gIODefaultMatchCategory;
    }
}
