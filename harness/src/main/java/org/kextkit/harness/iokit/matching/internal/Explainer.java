package org.kextkit.harness.iokit.matching.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.kextkit.harness.iokit.matching.DriverCatalogue.MatchContext;
import org.kextkit.harness.iokit.matching.ExplainsFamilyMatch;
import org.kextkit.harness.iokit.matching.MatchExplanation;
import org.kextkit.harness.iokit.matching.MatchExplanation.Entry;
import org.kextkit.harness.iokit.matching.MatchExplanation.KeyVerdict;
import org.kextkit.kit.iokit.IORegistryEntry;
import org.kextkit.kit.iokit.IOService;
import org.kextkit.kit.libkern.SInt32;

/**
 * Build the answer to "why did (or didn't) this personality match this nub": every key of every
 * personality considered is checked and described, not only up to the first failure, and the
 * personalities that matched are ranked within their category as they would be started.
 *
 * <p>Family matching runs exactly as {@code findDrivers} runs it (only after the generic keys pass),
 * so the verdict and the score are the real ones; a nub that implements {@link ExplainsFamilyMatch}
 * adds a verdict on each family key.
 */
public final class Explainer {
    private final IOService nub;
    private final MatchContext context;
    private final Subject subject;

    /** Explain matches against {@code nub} whose current clients {@code context} describes. */
    public Explainer(IOService nub, MatchContext context) {
        this.nub = nub;
        this.context = context;
        this.subject = Subject.nub(nub, context::matchedServiceCount);
    }

    /**
     * Explain each personality of {@code considered} (in matching order).
     *
     * @param inChain those filed under the nub's class chain; the rest fail on {@code IOProviderClass}
     */
    public MatchExplanation explain(List<Personality> considered, Set<Personality> inChain) {
        List<Draft> drafts = new ArrayList<>();
        for (Personality p : considered) {
            drafts.add(evaluate(p, inChain.contains(p)));
        }
        List<Draft> winners = new ArrayList<>();
        for (Draft d : drafts) {
            if (d.matched) {
                winners.add(d);
            }
        }
        winners.sort(Comparator.comparingInt(d -> -d.finalScore));
        Map<String, Integer> perCategory = new HashMap<>();
        for (Draft d : winners) {
            perCategory.merge(d.personality.category(), 1, Integer::sum);
        }
        Map<String, Integer> ranked = new HashMap<>();
        List<Entry> entries = new ArrayList<>();
        for (Draft d : winners) {
            String category = d.personality.category();
            int rank = ranked.merge(category, 1, Integer::sum);
            String score = d.finalScore == d.personality.score() ? "score " + d.finalScore
                    : "score " + d.personality.score() + " -> " + d.finalScore;
            d.outcome = "matched, " + score + ", rank " + rank + " of " + perCategory.get(category) + " in category "
                    + category + (rank == 1 ? " (starts first)" : " (starts only if those ranked above fail probe or start)");
            entries.add(d.entry());
        }
        for (Draft d : drafts) {
            if (!d.matched) {
                entries.add(d.entry());
            }
        }
        return new MatchExplanation(describeNub(), entries);
    }

    private String describeNub() {
        StringBuilder out = new StringBuilder(subject.describe());
        if (nub.getProvider() != null) {
            out.append(" at ").append(nub.getPath(IORegistryEntry.gIOServicePlane));
        }
        return out.append(", id 0x").append(Long.toHexString(nub.getRegistryEntryID())).toString();
    }

    private Draft evaluate(Personality p, boolean inChain) {
        List<KeyVerdict> verdicts = new ArrayList<>();
        Draft d = new Draft(p, verdicts);
        if (p.providerClass() == null) {
            verdicts.add(new KeyVerdict(MatchKeys.IOProviderClass, false,
                    describeRaw(p, MatchKeys.IOProviderClass) + ": the personality is not filed under any class"));
        }
        if (p.ioClass() == null) {
            verdicts.add(new KeyVerdict(MatchKeys.IOClass, false,
                    describeRaw(p, MatchKeys.IOClass) + ": there is no class to instantiate"));
        }
        boolean categoryTaken = inChain && context.categoryTaken(p.category());
        if (categoryTaken) {
            verdicts.add(new KeyVerdict(MatchKeys.IOMatchCategory, false, "\"" + p.category()
                    + "\": the nub already has a started client in this category"));
        }
        String[] nameMatched = new String[1];
        boolean generic = PassiveMatcher.generic(p.match(), subject, false, nameMatched, verdicts);

        if (nub instanceof ExplainsFamilyMatch) {
            try {
                verdicts.addAll(((ExplainsFamilyMatch) nub).explainFamilyMatch(p.table()));
            } catch (RuntimeException e) {
                verdicts.add(new KeyVerdict("family keys", false, "explainFamilyMatch threw " + e));
            }
        }
        boolean family = true;
        if (generic && p.match().needsFamilyMatching()) {
            family = runFamily(p, nameMatched[0], d);
        }
        boolean parent = true;
        if (p.match().parent() != null) {
            parent = PassiveMatcher.parentMatches(p.match().parent(), subject, verdicts);
        }
        boolean location = true;
        if (p.table().get(MatchKeys.IOLocationMatch) instanceof Map) {
            verdicts.add(PassiveMatcher.locationTableVerdict(p.match()));
            location = false;
        }
        d.matched = inChain && p.ioClass() != null && !categoryTaken && generic && family && parent && location;
        if (!d.matched) {
            d.outcome = failureOutcome(p, inChain, categoryTaken, verdicts);
        }
        return d;
    }

    private boolean runFamily(Personality p, String nameMatched, Draft d) {
        Map<String, Object> copy = OSValues.mutableTable(p.table());
        if (nameMatched != null) {
            copy.put(MatchKeys.IONameMatched, nameMatched);
        }
        SInt32 score = new SInt32(p.score());
        int before = d.verdicts.size();
        boolean ok;
        String failure = "rejected";
        try {
            ok = PassiveMatcher.family(p.match(), subject, copy, score, d.verdicts);
        } catch (RuntimeException e) {
            ok = false;
            failure = "threw " + e;
        }
        boolean resourcesMissing = d.verdicts.size() > before && !d.verdicts.get(d.verdicts.size() - 1).passed();
        if (!resourcesMissing) {
            String detail = ok ? (score.value == p.score() ? "accepted, score " + score.value + " (unchanged)"
                    : "accepted, score " + p.score() + " -> " + score.value) : failure;
            d.verdicts.add(new KeyVerdict(familyKey(), ok, detail));
        }
        if (ok) {
            d.finalScore = score.value;
        }
        return ok;
    }

    private String familyKey() {
        return "family matching (" + PassiveMatcher.familyMatcherName(nub) + ")";
    }

    private static String describeRaw(Personality p, String key) {
        Object value = p.table().get(key);
        return value == null ? "missing" : OSValues.typeAndValue(value) + " is not a class name";
    }

    private String failureOutcome(Personality p, boolean inChain, boolean categoryTaken, List<KeyVerdict> verdicts) {
        if (p.providerClass() == null) {
            return "never matches: no IOProviderClass string";
        }
        if (!inChain) {
            return "not a candidate: IOProviderClass " + p.providerClass() + " is not the nub's class or a superclass";
        }
        if (p.ioClass() == null) {
            return "never matches: no IOClass string";
        }
        List<String> failed = new ArrayList<>();
        for (KeyVerdict v : verdicts) {
            if (!v.passed() && !v.key().equals(MatchKeys.IOMatchCategory)) {
                failed.add(v.key());
            }
        }
        if (categoryTaken) {
            return "not started: category " + p.category() + " already has a client"
                    + (failed.isEmpty() ? "" : " (and it failed " + String.join(", ", failed) + ")");
        }
        if (failed.size() == 1 && failed.get(0).equals(familyKey())) {
            return "rejected by " + familyKey();
        }
        return failed.isEmpty() ? "did not match" : "failed " + String.join(", ", failed);
    }

    /** One personality's verdicts while the explanation is built. */
    private static final class Draft {
        final Personality personality;
        final List<KeyVerdict> verdicts;
        int finalScore;
        boolean matched;
        String outcome;

        Draft(Personality personality, List<KeyVerdict> verdicts) {
            this.personality = personality;
            this.verdicts = verdicts;
            this.finalScore = personality.score();
        }

        Entry entry() {
            return new Entry(personality.bundleIdentifier(), personality.name(), matched, personality.score(),
                    finalScore, personality.category(), verdicts, outcome);
        }
    }
}
