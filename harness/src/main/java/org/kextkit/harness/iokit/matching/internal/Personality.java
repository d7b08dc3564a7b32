package org.kextkit.harness.iokit.matching.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One personality as the catalogue holds it: the frozen dictionary (with {@code CFBundleIdentifier}
 * and {@code IOPersonalityPublisher} filled in as {@code OSKext} does before sending it to the
 * kernel) and everything matching needs read once: owner, provider class, class, score, category
 * and the parsed passive keys.
 */
public final class Personality {
    private final String name;
    private final String bundleIdentifier;
    private final String publisher;
    private final String source;
    private final String providerClass;
    private final String ioClass;
    private final int score;
    private final String category;
    private final long sequence;
    private final MatchTable match;
    private final int contentHash;

    private Personality(String name, String bundleIdentifier, String publisher, String source, String providerClass,
            String ioClass, int score, String category, long sequence, MatchTable match) {
        this.name = name;
        this.bundleIdentifier = bundleIdentifier;
        this.publisher = publisher;
        this.source = source;
        this.providerClass = providerClass;
        this.ioClass = ioClass;
        this.score = score;
        this.category = category;
        this.sequence = sequence;
        this.match = match;
        this.contentHash = OSValues.hash(match.table());
    }

    /**
     * Read a personality, reporting each key I/O Kit would misread to {@code warnings} as
     * {@code <source>: personality "<name>" key <key>: <what was expected and what I/O Kit does>}.
     *
     * @param name its key in {@code IOKitPersonalities}
     * @param dictionary the personality
     * @param publisher the kext whose Info.plist holds it
     * @param source the file (or other description) warnings name
     * @param sequence the catalogue's insertion sequence number
     * @param familyProblems problems a family found in its own keys, reported the same way
     */
    public static Personality read(String name, Map<String, Object> dictionary, String publisher, String source,
            long sequence, List<MatchTable.Problem> familyProblems, Consumer<String> warnings) {
        Map<String, Object> table = new LinkedHashMap<>(dictionary);
        Consumer<MatchTable.Problem> warn = problem -> warnings.accept(
                source + ": personality \"" + name + "\" key " + problem.key() + ": " + problem.message());

        Object value = table.get(MatchKeys.CFBundleIdentifier);
        String owner;
        if (value == null) {
            owner = publisher;
            table.put(MatchKeys.CFBundleIdentifier, publisher);
        } else if (value instanceof String) {
            owner = (String) value;
        } else {
            owner = publisher;
            warn.accept(new MatchTable.Problem(MatchKeys.CFBundleIdentifier, "expected a string, found "
                    + OSValues.typeAndValue(value) + "; kextkit files the personality under the kext that holds it, "
                    + publisher));
        }
        table.putIfAbsent(MatchKeys.IOPersonalityPublisher, publisher);

        value = table.get(MatchKeys.IOProviderClass);
        String providerClass = value instanceof String ? (String) value : null;
        if (value == null) {
            warn.accept(new MatchTable.Problem(MatchKeys.IOProviderClass,
                    "missing; I/O Kit files personalities by provider class, so this one never matches"));
        } else if (providerClass == null) {
            warn.accept(new MatchTable.Problem(MatchKeys.IOProviderClass, "expected a string (a class name), found "
                    + OSValues.typeAndValue(value) + "; I/O Kit does not file the personality, so it never matches"));
        }

        value = table.get(MatchKeys.IOClass);
        String ioClass = value instanceof String ? (String) value : null;
        if (value == null) {
            warn.accept(new MatchTable.Problem(MatchKeys.IOClass,
                    "missing; I/O Kit has no class to instantiate, so the personality never matches"));
        } else if (ioClass == null) {
            warn.accept(new MatchTable.Problem(MatchKeys.IOClass, "expected a string (a class name), found "
                    + OSValues.typeAndValue(value) + "; I/O Kit has no class to instantiate, so the personality never matches"));
        }

        int score = readScore(table.get(MatchKeys.IOProbeScore), warn);

        value = table.get(MatchKeys.IOMatchCategory);
        String category = value instanceof String ? (String) value : MatchKeys.IODefaultMatchCategory;
        if (value != null && !(value instanceof String)) {
            warn.accept(new MatchTable.Problem(MatchKeys.IOMatchCategory, "expected a string, found "
                    + OSValues.typeAndValue(value) + "; I/O Kit uses " + MatchKeys.IODefaultMatchCategory));
        }

        for (String key : MatchKeys.BOOLEAN_KEYS) {
            value = table.get(key);
            if (value != null && !(value instanceof Boolean)) {
                warn.accept(new MatchTable.Problem(key, "expected a boolean (<true/> or <false/>), found "
                        + OSValues.typeAndValue(value) + "; I/O Kit reads it as an OSBoolean, so it is ignored "
                        + "as if the key were absent"));
            }
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> frozen = (Map<String, Object>) OSValues.frozenCopy(table);
        MatchTable match = MatchTable.read(frozen);
        match.problems().forEach(warn);
        familyProblems.forEach(warn);
        return new Personality(name, owner, publisher, source, providerClass, ioClass, score, category, sequence, match);
    }

    // IOServiceObjectOrder: OSDynamicCast(OSNumber) and unsigned32BitValue() read as an SInt32
    private static int readScore(Object value, Consumer<MatchTable.Problem> warn) {
        if (value == null) {
            return 0;
        }
        if (OSValues.isInteger(value)) {
            long wide = ((Number) value).longValue();
            int score = (int) wide;
            if (score != wide) {
                warn.accept(new MatchTable.Problem(MatchKeys.IOProbeScore, "expected a 32-bit integer, found "
                        + OSValues.describe(value) + "; I/O Kit uses its low 32 bits, " + score));
            }
            return score;
        }
        warn.accept(new MatchTable.Problem(MatchKeys.IOProbeScore, "expected an integer, found "
                + OSValues.typeAndValue(value) + "; I/O Kit ignores it and uses 0"));
        return 0;
    }

    /** Return the personality's key in {@code IOKitPersonalities}. */
    public String name() {
        return name;
    }

    /** Return the kext that must be loaded for it: its {@code CFBundleIdentifier}, else the publishing kext. */
    public String bundleIdentifier() {
        return bundleIdentifier;
    }

    /** Return the kext whose Info.plist holds it. */
    public String publisher() {
        return publisher;
    }

    /** Return the file it was read from. */
    public String source() {
        return source;
    }

    /** Return {@code IOProviderClass}, or null if absent or not a string (the personality is never filed). */
    public String providerClass() {
        return providerClass;
    }

    /** Return {@code IOClass}, or null if absent or not a string (never instantiated). */
    public String ioClass() {
        return ioClass;
    }

    /** Return {@code IOProbeScore} as I/O Kit reads it. */
    public int score() {
        return score;
    }

    /** Return {@code IOMatchCategory}, defaulted. */
    public String category() {
        return category;
    }

    /** Return the catalogue's insertion sequence number. */
    public long sequence() {
        return sequence;
    }

    /** Return the parsed matching keys. */
    public MatchTable match() {
        return match;
    }

    /** Return the frozen dictionary. */
    public Map<String, Object> table() {
        return match.table();
    }

    /** Return a hash of the dictionary's content, consistent with {@link #sameContent}. */
    public int contentHash() {
        return contentHash;
    }

    /** Return true if both dictionaries are equal, as {@code OSDictionary::isEqualTo} decides. */
    public boolean sameContent(Personality other) {
        return contentHash == other.contentHash && OSValues.isEqualTo(table(), other.table());
    }

    @Override
    public String toString() {
        return bundleIdentifier + " \"" + name + "\"";
    }
}
