package org.kextkit.harness.iokit.matching.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A matching dictionary with its generic (passive) keys read once, the way
 * {@code IOService::matchInternal} reads them: a key of the wrong type is either ignored (the
 * {@code OSDynamicCast} fails and the key is not counted) or never matches, exactly as I/O Kit
 * behaves, and each such case is recorded as a {@link Problem}.
 *
 * <p>Personalities and the nested tables of {@code IOParentMatch} are both read this way.
 */
public final class MatchTable {
    /** A key whose value I/O Kit cannot use as written. */
    public record Problem(String key, String message) {
    }

    /** The dictionary, frozen. */
    final Map<String, Object> table;
    /** {@code IOProviderClass} if a string, else {@code null} (ignored). */
    final String providerClass;
    /** {@code IONameMatch}: null if absent; the names read (possibly none, which never matches). */
    final List<String> names;
    /** {@code IOLocationMatch} as a string, or null. */
    final String location;
    /** {@code IOLocationMatch} as a dictionary (matched against {@code matchLocation()} providers), or null. */
    final Map<?, ?> locationTable;
    /** {@code IOPropertyMatch}: null if absent, else the dictionaries (any may match; none never matches). */
    final List<Map<?, ?>> propertyTables;
    /** {@code IOPropertyExistsMatch}: null if absent, else the key names (any may exist). */
    final List<String> existsKeys;
    /** {@code IOPathMatch}, or null. */
    final String path;
    /** {@code IORegistryEntryID}, or null. */
    final Long registryEntryID;
    /** {@code IOMatchedServiceCountMatch} as an unsigned 32-bit value, or null. */
    final Long matchedServiceCount;
    /** The BSD keys present, in check order. */
    final List<String> bsdKeys;
    /** {@code IOParentMatch}, read the same way, or null. */
    final MatchTable parent;
    /** {@code IOResourceMatch} resource names as the IOResources nub reads them, or null if absent or ignored. */
    final List<String> resourceNames;
    /** How many keys {@code matchInternal} handles are present; a table of only those skips family matching. */
    final int genericKeyCount;
    final List<Problem> problems;

    private MatchTable(Map<String, Object> table, String keyPrefix) {
        this.table = table;
        List<Problem> found = new ArrayList<>();
        int counted = 0;

        Object value = table.get(MatchKeys.IOProviderClass);
        providerClass = value instanceof String ? (String) value : null;
        if (providerClass != null) {
            counted++;
        }

        value = table.get(MatchKeys.IONameMatch);
        if (value != null) {
            counted++;
            names = strings(value, keyPrefix + MatchKeys.IONameMatch, "a string or an array of strings",
                    "names", found);
        } else {
            names = null;
        }

        value = table.get(MatchKeys.IOLocationMatch);
        location = value instanceof String ? (String) value : null;
        locationTable = value instanceof Map ? (Map<?, ?>) value : null;
        if (location != null) {
            counted++;
        } else if (value != null && locationTable == null) {
            found.add(ignored(keyPrefix + MatchKeys.IOLocationMatch, "a string or a dictionary", value));
        }

        value = table.get(MatchKeys.IOPropertyMatch);
        if (value != null) {
            counted++;
            propertyTables = dictionaries(value, keyPrefix + MatchKeys.IOPropertyMatch, found);
        } else {
            propertyTables = null;
        }

        value = table.get(MatchKeys.IOPropertyExistsMatch);
        if (value != null) {
            counted++;
            existsKeys = strings(value, keyPrefix + MatchKeys.IOPropertyExistsMatch,
                    "a string or an array of strings", "key names", found);
        } else {
            existsKeys = null;
        }

        value = table.get(MatchKeys.IOPathMatch);
        path = value instanceof String ? (String) value : null;
        if (path != null) {
            counted++;
        } else if (value != null) {
            found.add(ignored(keyPrefix + MatchKeys.IOPathMatch, "a string", value));
        }

        value = table.get(MatchKeys.IORegistryEntryID);
        registryEntryID = OSValues.isInteger(value) ? ((Number) value).longValue() : null;
        if (registryEntryID != null) {
            counted++;
        } else if (value != null) {
            found.add(ignored(keyPrefix + MatchKeys.IORegistryEntryID, "an integer", value));
        }

        value = table.get(MatchKeys.IOMatchedServiceCountMatch);
        matchedServiceCount = OSValues.isInteger(value) ? ((Number) value).longValue() & 0xffffffffL : null;
        if (matchedServiceCount != null) {
            counted++;
        } else if (value != null) {
            found.add(ignored(keyPrefix + MatchKeys.IOMatchedServiceCountMatch, "an integer", value));
        }

        List<String> bsd = new ArrayList<>(0);
        for (String key : MatchKeys.BSD_KEYS) {
            if (table.get(key) != null) {
                bsd.add(key);
                counted++;
            }
        }
        bsdKeys = bsd.isEmpty() ? List.of() : List.copyOf(bsd);

        value = table.get(MatchKeys.IOParentMatch);
        if (value instanceof Map) {
            @SuppressWarnings("unchecked")
            Map<String, Object> nested = (Map<String, Object>) value;
            parent = new MatchTable(nested, keyPrefix + MatchKeys.IOParentMatch + ".");
            found.addAll(parent.problems);
        } else {
            parent = null;
            if (value != null) {
                found.add(ignored(keyPrefix + MatchKeys.IOParentMatch, "a dictionary", value));
            }
        }

        value = table.get(MatchKeys.IOResourceMatch);
        resourceNames = resourceNames(value, keyPrefix + MatchKeys.IOResourceMatch, found);

        genericKeyCount = counted;
        problems = List.copyOf(found);
    }

    /** Read a frozen dictionary (see {@link OSValues#frozenCopy}). */
    public static MatchTable read(Map<String, Object> frozenTable) {
        return new MatchTable(frozenTable, "");
    }

    /** Return the dictionary. */
    public Map<String, Object> table() {
        return table;
    }

    /** Return what is wrong with the types of the generic keys, nested keys named {@code IOParentMatch.key}. */
    public List<Problem> problems() {
        return problems;
    }

    /** Return the nested {@code IOParentMatch} table, or null. */
    public MatchTable parent() {
        return parent;
    }

    /** Return true if {@code matchPropertyTable} runs for this table: it has keys besides the generic ones. */
    public boolean needsFamilyMatching() {
        return genericKeyCount < table.size();
    }

    // A string, or a collection read up to its first element that is not a string (OSCollectionIterator
    // with OSDynamicCast(OSString) stops there). Any other type never matches.
    private static List<String> strings(Object value, String key, String expected, String what, List<Problem> found) {
        if (value instanceof String) {
            return List.of((String) value);
        }
        if (value instanceof Collection) {
            List<String> read = new ArrayList<>();
            int index = 0;
            for (Object element : (Collection<?>) value) {
                if (!(element instanceof String)) {
                    found.add(new Problem(key, "expected " + expected + ", found " + OSValues.typeAndValue(element)
                            + " at index " + index + "; I/O Kit stops reading the " + what + " there"));
                    break;
                }
                read.add((String) element);
                index++;
            }
            if (read.isEmpty() && index == 0 && ((Collection<?>) value).isEmpty()) {
                found.add(new Problem(key, "expected " + expected + ", found an empty array; I/O Kit never matches it"));
            }
            return List.copyOf(read);
        }
        found.add(new Problem(key, "expected " + expected + ", found " + OSValues.typeAndValue(value)
                + "; I/O Kit never matches it"));
        return List.of();
    }

    private static List<Map<?, ?>> dictionaries(Object value, String key, List<Problem> found) {
        String expected = "a dictionary or an array of dictionaries";
        if (value instanceof Map) {
            return List.of((Map<?, ?>) value);
        }
        if (value instanceof Collection) {
            List<Map<?, ?>> read = new ArrayList<>();
            int index = 0;
            for (Object element : (Collection<?>) value) {
                if (!(element instanceof Map)) {
                    found.add(new Problem(key, "expected " + expected + ", found " + OSValues.typeAndValue(element)
                            + " at index " + index + "; I/O Kit stops reading the dictionaries there"));
                    break;
                }
                read.add((Map<?, ?>) element);
                index++;
            }
            return List.copyOf(read);
        }
        found.add(new Problem(key, "expected " + expected + ", found " + OSValues.typeAndValue(value)
                + "; I/O Kit never matches it"));
        return List.of();
    }

    // IOResources::matchPropertyTable: a string, or a set read up to its first element that is not
    // a string. Anything else (an array included) is not checked there, so the table matches.
    private static List<String> resourceNames(Object value, String key, List<Problem> found) {
        if (value == null) {
            return null;
        }
        if (value instanceof String) {
            return List.of((String) value);
        }
        if (value instanceof Set) {
            List<String> read = new ArrayList<>();
            for (Object element : (Set<?>) value) {
                if (!(element instanceof String)) {
                    break;
                }
                read.add((String) element);
            }
            return List.copyOf(read);
        }
        if (value instanceof List) {
            found.add(new Problem(key, "expected a string (or a set), found " + OSValues.typeAndValue(value)
                    + "; I/O Kit does not read an array here: on the IOResources nub the key is ignored, and a "
                    + "driver on any other nub starts without waiting (the kernel logs \"Can't match using: OSArray\")"));
            return null;
        }
        found.add(new Problem(key, "expected a string (or a set), found " + OSValues.typeAndValue(value)
                + "; I/O Kit ignores the key"));
        return null;
    }

    private static Problem ignored(String key, String expected, Object value) {
        return new Problem(key, "expected " + expected + ", found " + OSValues.typeAndValue(value)
                + "; I/O Kit ignores the key");
    }
}
