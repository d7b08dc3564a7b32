package org.kextkit.harness.iokit.matching.internal;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.kextkit.harness.iokit.matching.MatchExplanation.KeyVerdict;
import org.kextkit.kit.internal.MetaClassNames;
import org.kextkit.kit.iokit.IOService;
import org.kextkit.kit.libkern.SInt32;

/**
 * The generic matching of one table against one service, in the order {@code IOService::matchPassive}
 * and {@code matchInternal} check the keys: {@code IOProviderClass}, {@code IONameMatch},
 * {@code IOLocationMatch}, {@code IOPropertyMatch}, {@code IOPropertyExistsMatch},
 * {@code IOPathMatch}, {@code IORegistryEntryID}, {@code IOMatchedServiceCountMatch}, the BSD keys;
 * then family matching (with {@code IOResourceMatch} on the IOResources nub); then
 * {@code IOParentMatch} against the provider and its ancestors.
 *
 * <p>With a {@code null} verdict list a check stops at the first key that fails and builds no text
 * (the path {@code findDrivers} takes). With a list, every key is checked and described.
 */
public final class PassiveMatcher {
    private static final ClassValue<String> MATCH_PROPERTY_TABLE_OWNER = new ClassValue<>() {
        @Override
        protected String computeValue(Class<?> type) {
            for (Class<?> c = type; c != null; c = c.getSuperclass()) {
                try {
                    Method m = c.getDeclaredMethod("matchPropertyTable", Map.class, SInt32.class);
                    if (m != null) {
                        return MetaClassNames.of(c);
                    }
                } catch (NoSuchMethodException e) {
                    // keep looking in the superclass
                }
            }
            return "IOService";
        }
    };

    private PassiveMatcher() {
    }

    /** Return the I/O Kit name of the class whose {@code matchPropertyTable} runs for {@code service}. */
    public static String familyMatcherName(IOService service) {
        return MATCH_PROPERTY_TABLE_OWNER.get(service.getClass()) + ".matchPropertyTable";
    }

    /**
     * Check the keys {@code matchInternal} handles.
     *
     * @param classDone true when the catalogue already chose the table by provider class
     *     ({@code kIOServiceClassDone}): {@code IOProviderClass} is then only described
     * @param nameMatched receives, at index 0, the nub name that {@code IONameMatch} matched
     * @param verdicts null to stop at the first failure, else receives one verdict per key
     */
    public static boolean generic(MatchTable t, Subject s, boolean classDone, String[] nameMatched,
            List<KeyVerdict> verdicts) {
        boolean match = true;
        if (t.providerClass != null) {
            boolean ok = classDone || s.chain().contains(t.providerClass);
            if (verdicts != null) {
                verdicts.add(new KeyVerdict(MatchKeys.IOProviderClass, ok, t.providerClass + ": the " + s.role()
                        + " is " + article(s.chain().get(0)) + " (" + String.join(" : ", s.chain()) + ")"));
            } else if (!ok) {
                return false;
            }
            match &= ok;
        }
        if (t.names != null) {
            boolean ok = names(t.names, s, nameMatched);
            if (verdicts != null) {
                verdicts.add(new KeyVerdict(MatchKeys.IONameMatch, ok, describeNames(t.names, s, ok ? nameMatched[0] : null)));
            } else if (!ok) {
                return false;
            }
            match &= ok;
        }
        if (t.location != null) {
            String location = s.service().getLocation();
            boolean ok = t.location.equals(location);
            if (verdicts != null) {
                verdicts.add(new KeyVerdict(MatchKeys.IOLocationMatch, ok, "\"" + t.location + "\" "
                        + (ok ? "equals" : "is not") + " the location "
                        + (location == null ? "(the " + s.role() + " has none)" : "\"" + location + "\"")));
            } else if (!ok) {
                return false;
            }
            match &= ok;
        }
        if (t.propertyTables != null) {
            boolean ok = propertyMatch(t.propertyTables, s, verdicts);
            if (verdicts == null && !ok) {
                return false;
            }
            match &= ok;
        }
        if (t.existsKeys != null) {
            boolean ok = false;
            for (String key : t.existsKeys) {
                if (s.properties().containsKey(key)) {
                    ok = true;
                    break;
                }
            }
            if (verdicts != null) {
                String keys = OSValues.describe(t.existsKeys.size() == 1 ? t.existsKeys.get(0) : t.existsKeys);
                verdicts.add(new KeyVerdict(MatchKeys.IOPropertyExistsMatch, ok, keys + (ok
                        ? ": the " + s.role() + " has " + firstPresent(t.existsKeys, s.properties())
                        : t.existsKeys.size() == 1 ? ": the " + s.role() + " has no such property"
                        : ": the " + s.role() + " has none of them")));
            } else if (!ok) {
                return false;
            }
            match &= ok;
        }
        if (t.path != null) {
            Object compat = s.properties().get(MatchKeys.IOPath);
            boolean ok = t.path.equals(s.path()) || t.path.equals(compat);
            if (verdicts != null) {
                verdicts.add(new KeyVerdict(MatchKeys.IOPathMatch, ok, "\"" + t.path + "\" " + (ok ? "is" : "is not")
                        + " the " + s.role() + "'s path \"" + s.path() + "\""
                        + (compat instanceof String ? " or its IOPath \"" + compat + "\"" : "")));
            } else if (!ok) {
                return false;
            }
            match &= ok;
        }
        if (t.registryEntryID != null) {
            long id = s.service().getRegistryEntryID();
            boolean ok = t.registryEntryID == id;
            if (verdicts != null) {
                verdicts.add(new KeyVerdict(MatchKeys.IORegistryEntryID, ok, "0x" + Long.toHexString(t.registryEntryID)
                        + (ok ? " is" : " is not") + " the " + s.role() + "'s ID 0x" + Long.toHexString(id)));
            } else if (!ok) {
                return false;
            }
            match &= ok;
        }
        if (t.matchedServiceCount != null) {
            int count = s.matchedServiceCount();
            boolean ok = t.matchedServiceCount == count;
            if (verdicts != null) {
                verdicts.add(new KeyVerdict(MatchKeys.IOMatchedServiceCountMatch, ok, t.matchedServiceCount
                        + (ok ? " equals" : " is not") + " the number of clients with a match category, " + count));
            } else if (!ok) {
                return false;
            }
            match &= ok;
        }
        for (String key : t.bsdKeys) {
            Object wanted = t.table.get(key);
            Object actual = s.properties().get(key);
            boolean ok = OSValues.isEqualTo(wanted, actual);
            if (verdicts != null) {
                verdicts.add(new KeyVerdict(key, ok, OSValues.describe(wanted) + (ok ? " equals" : " is not")
                        + " the " + s.role() + "'s " + (actual == null ? "(absent)" : OSValues.describe(actual))));
            } else if (!ok) {
                return false;
            }
            match &= ok;
        }
        return match;
    }

    /**
     * Run family matching: {@code IOResourceMatch} on the IOResources nub, then the nub's
     * {@code matchPropertyTable(table, score)}, which may reject or change {@code score}.
     */
    public static boolean family(MatchTable t, Subject s, Map<String, Object> table, SInt32 score,
            List<KeyVerdict> verdicts) {
        if (t.resourceNames != null && s.chain().contains(MatchKeys.IOResources)) {
            List<String> missing = new ArrayList<>();
            for (String name : t.resourceNames) {
                if (!s.properties().containsKey(name)) {
                    missing.add(name);
                }
            }
            boolean ok = missing.isEmpty();
            if (verdicts != null) {
                Object names = t.resourceNames.size() == 1 ? t.resourceNames.get(0) : t.resourceNames;
                verdicts.add(new KeyVerdict(MatchKeys.IOResourceMatch, ok, OSValues.describe(names)
                        + (ok ? ": every resource is published on IOResources"
                                : ": not yet published on IOResources: " + String.join(", ", missing))));
            }
            if (!ok) {
                return false;
            }
        }
        return s.service().matchPropertyTable(table, score);
    }

    /**
     * Match {@code parent} (an {@code IOParentMatch} table) against the provider of {@code s} and
     * then each ancestor up the service plane; the first ancestor that matches passively wins.
     */
    public static boolean parentMatches(MatchTable parent, Subject s, List<KeyVerdict> verdicts) {
        List<String> misses = verdicts == null ? null : new ArrayList<>();
        for (IOService where = s.service().getProvider(); where != null; where = where.getProvider()) {
            Subject ancestor = Subject.ancestor(where);
            List<KeyVerdict> nested = verdicts == null ? null : new ArrayList<>();
            if (nestedMatches(parent, ancestor, nested)) {
                if (verdicts != null) {
                    verdicts.add(new KeyVerdict(MatchKeys.IOParentMatch, true, OSValues.describe(parent.table)
                            + " matched the ancestor " + ancestor.describe()));
                }
                return true;
            }
            if (misses != null) {
                misses.add(ancestor.describe() + " failed " + failedKeys(nested));
            }
        }
        if (verdicts != null) {
            verdicts.add(new KeyVerdict(MatchKeys.IOParentMatch, false, OSValues.describe(parent.table)
                    + (misses.isEmpty() ? ": the nub has no provider" : " matched no ancestor: "
                            + String.join("; ", misses))));
        }
        return false;
    }

    // a whole nested table against one ancestor: generic keys, family if needed, its own parent
    private static boolean nestedMatches(MatchTable t, Subject where, List<KeyVerdict> verdicts) {
        if (!generic(t, where, false, new String[1], verdicts)) {
            return false;
        }
        if (t.needsFamilyMatching()) {
            SInt32 score = new SInt32(scoreOf(t.table));
            boolean ok = family(t, where, new CopyOnWriteTable(t.table), score, null);
            if (verdicts != null) {
                verdicts.add(new KeyVerdict("family matching (" + familyMatcherName(where.service()) + ")", ok,
                        ok ? "accepted" : "rejected"));
            }
            if (!ok) {
                return false;
            }
        }
        if (t.locationTable != null) {
            if (verdicts != null) {
                verdicts.add(locationTableVerdict(t));
            }
            return false;
        }
        return t.parent == null || parentMatches(t.parent, where, verdicts == null ? null : new ArrayList<>());
    }

    /** The verdict on a dictionary-valued {@code IOLocationMatch}, which no kextkit provider can satisfy. */
    public static KeyVerdict locationTableVerdict(MatchTable t) {
        return new KeyVerdict(MatchKeys.IOLocationMatch, false, OSValues.describe(t.locationTable)
                + ": a dictionary is matched against a provider's matchLocation(), which no provider in this "
                + "registry implements, so it never matches (as with I/O Kit's default matchLocation)");
    }

    /** Return {@code IOProbeScore} of a table as I/O Kit reads it, 0 if absent or not a number. */
    public static int scoreOf(Map<String, Object> table) {
        Object value = table.get(MatchKeys.IOProbeScore);
        return OSValues.isInteger(value) ? (int) ((Number) value).longValue() : 0;
    }

    private static String failedKeys(List<KeyVerdict> verdicts) {
        List<String> failed = new ArrayList<>();
        for (KeyVerdict v : verdicts) {
            if (!v.passed()) {
                failed.add(v.key() + " (" + v.detail() + ")");
            }
        }
        return failed.isEmpty() ? "(nothing)" : String.join(", ", failed);
    }

    // IOService::compareNames: any pattern may match. A device-tree style nub compares each pattern
    // with its name/compatible/device_type/model strings (IODTCompareNubName, `*` suffix = prefix
    // wildcard); every nub also compares it, exactly, with getName() (IORegistryEntry::compareName).
    private static boolean names(List<String> patterns, Subject s, String[] matched) {
        String name = s.service().getName();
        boolean deviceTree = s.hasDeviceTreeNames();
        for (String pattern : patterns) {
            if (deviceTree) {
                if (!pattern.endsWith("*")) {
                    // an exact pattern matches a name equal to itself, whichever key holds it
                    if (s.deviceTreeNameSet().contains(pattern)) {
                        matched[0] = pattern;
                        return true;
                    }
                } else {
                    // every key's names, in key order, split once per nub
                    for (String candidate : s.allDeviceTreeNames()) {
                        if (compareKey(pattern, candidate)) {
                            matched[0] = candidate;
                            return true;
                        }
                    }
                }
            }
            if (pattern.equals(name)) {
                matched[0] = name;
                return true;
            }
        }
        return false;
    }

    private static boolean compareKey(String pattern, String candidate) {
        int length = pattern.length();
        if (length > 0 && pattern.charAt(length - 1) == '*') {
            return candidate.startsWith(pattern.substring(0, length - 1));
        }
        return pattern.equals(candidate);
    }

    private static String describeNames(List<String> patterns, Subject s, String matched) {
        String name = s.service().getName();
        StringBuilder out = new StringBuilder(OSValues.describe(patterns.size() == 1 ? patterns.get(0) : patterns));
        if (matched != null) {
            return out.append(" matched the name \"").append(matched).append("\" (IONameMatched)").toString();
        }
        if (patterns.isEmpty()) {
            return out.append(": no names to compare, so it never matches").toString();
        }
        out.append(" matched none of the " + s.role() + "'s names: \"").append(name).append("\"");
        if (s.hasDeviceTreeNames()) {
            for (String candidate : s.allDeviceTreeNames()) {
                out.append(", \"").append(candidate).append('"');
            }
        } else {
            for (String pattern : patterns) {
                if (pattern.endsWith("*")) {
                    out.append(" (a trailing * is a wildcard only for nubs with device-tree names; "
                            + "the nub's name is compared exactly)");
                    break;
                }
            }
        }
        return out.toString();
    }

    private static boolean propertyMatch(List<Map<?, ?>> tables, Subject s, List<KeyVerdict> verdicts) {
        Map<String, Object> props = s.properties();
        for (Map<?, ?> wanted : tables) {
            if (subsetEquals(wanted, props)) {
                if (verdicts != null) {
                    verdicts.add(new KeyVerdict(MatchKeys.IOPropertyMatch, true, OSValues.describe(wanted)
                            + ": the " + s.role() + " has each of these properties with these values"));
                }
                return true;
            }
        }
        if (verdicts != null) {
            List<String> why = new ArrayList<>();
            for (Map<?, ?> wanted : tables) {
                why.add(firstDifference(wanted, props, s.role()));
            }
            verdicts.add(new KeyVerdict(MatchKeys.IOPropertyMatch, false, tables.isEmpty()
                    ? "no dictionaries to compare, so it never matches"
                    : (tables.size() == 1 ? "" : "no dictionary matched: ") + String.join("; ", why)));
        }
        return false;
    }

    // OSDictionary::isEqualTo(dict, keys): every key of `wanted` is a property with an equal value
    private static boolean subsetEquals(Map<?, ?> wanted, Map<String, Object> props) {
        for (Map.Entry<?, ?> e : wanted.entrySet()) {
            Object actual = props.get(String.valueOf(e.getKey()));
            if (actual == null || !OSValues.isEqualTo(e.getValue(), actual)) {
                return false;
            }
        }
        return true;
    }

    private static String firstDifference(Map<?, ?> wanted, Map<String, Object> props, String role) {
        for (Map.Entry<?, ?> e : wanted.entrySet()) {
            Object actual = props.get(String.valueOf(e.getKey()));
            if (actual == null) {
                return "\"" + e.getKey() + "\" = " + OSValues.describe(e.getValue()) + ": the " + role + " has no such property";
            }
            if (!OSValues.isEqualTo(e.getValue(), actual)) {
                return "\"" + e.getKey() + "\" = " + OSValues.describe(e.getValue()) + ": the " + role + "'s value is "
                        + OSValues.describe(actual) + typeHint(e.getValue(), actual);
            }
        }
        return "(matched)";
    }

    private static String typeHint(Object wanted, Object actual) {
        String a = OSValues.typeName(wanted);
        String b = OSValues.typeName(actual);
        return a.equals(b) ? "" : " (" + a + " never equals " + b + ")";
    }

    private static String firstPresent(List<String> keys, Map<String, Object> props) {
        for (String key : keys) {
            if (props.containsKey(key)) {
                return "\"" + key + "\"";
            }
        }
        return "none";
    }

    private static String article(String className) {
        char c = className.isEmpty() ? 'x' : Character.toUpperCase(className.charAt(0));
        return ("AEIOU".indexOf(c) >= 0 ? "an " : "a ") + className;
    }
}
