package org.kextkit.harness.iokit.matching;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a driver waits for before {@code start} because of {@code IOResourceMatch}, for any provider
 * other than IOResources ({@code IOService::checkResources}): each named resource must be published
 * on IOResources ({@code publishResource}), and each matching dictionary must match a registered
 * service ({@code waitForService}).
 *
 * <p>Read the way I/O Kit reads it: a string names one resource, a dictionary is a matching table,
 * and a set holds several of either. Any other value (an array included, since an XML
 * {@code <array>} becomes an {@code OSArray}, not a set) cannot be used: I/O Kit logs
 * {@code "<driver name>: Can't match using: <type>"} and starts the driver without waiting;
 * {@link #unusableType} names that type so the kernel can log the same line.
 *
 * @param resources resource names to wait for, in order
 * @param matchingTables matching dictionaries a registered service must satisfy
 * @param unusableType the I/O Kit class of a value that could not be used ({@code OSArray}, ...), or {@code null}
 */
public record ResourceWait(List<String> resources, List<Map<String, Object>> matchingTables, String unusableType) {
    /** Nothing to wait for. */
    public static final ResourceWait NONE = new ResourceWait(List.of(), List.of(), null);

    /** Copy the lists. */
    public ResourceWait {
        resources = List.copyOf(resources);
        matchingTables = List.copyOf(matchingTables);
    }

    /** Return true if the driver can start at once. */
    public boolean isEmpty() {
        return resources.isEmpty() && matchingTables.isEmpty();
    }

    /** Return what the driver created from {@code table} (a personality copy) waits for. */
    public static ResourceWait of(Map<String, Object> table) {
        Object value = table.get("IOResourceMatch");
        if (value == null) {
            return NONE;
        }
        List<String> names = new ArrayList<>();
        List<Map<String, Object>> tables = new ArrayList<>();
        String unusable = null;
        if (value instanceof Set) {
            for (Object element : (Set<?>) value) {
                String type = add(element, names, tables);
                unusable = unusable == null ? type : unusable;
            }
        } else {
            unusable = add(value, names, tables);
        }
        return new ResourceWait(names, tables, unusable);
    }

    @SuppressWarnings("unchecked")
    private static String add(Object value, List<String> names, List<Map<String, Object>> tables) {
        if (value instanceof String) {
            names.add((String) value);
            return null;
        }
        if (value instanceof Map) {
            tables.add(Collections.unmodifiableMap(new LinkedHashMap<>((Map<String, Object>) value)));
            return null;
        }
        return osClassName(value);
    }

    private static String osClassName(Object value) {
        if (value instanceof List) {
            return "OSArray";
        }
        if (value instanceof Number) {
            return "OSNumber";
        }
        if (value instanceof Boolean) {
            return "OSBoolean";
        }
        if (value instanceof byte[]) {
            return "OSData";
        }
        if (value instanceof Set) {
            return "OSSet";
        }
        return value.getClass().getSimpleName();
    }
}
