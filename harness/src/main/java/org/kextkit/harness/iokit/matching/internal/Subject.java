package org.kextkit.harness.iokit.matching.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import org.kextkit.kit.iokit.IORegistryEntry;
import org.kextkit.kit.iokit.IOService;

/**
 * One service being matched, with what matching reads from it fetched at most once per pass:
 * the property table ({@code dictionaryWithProperties}), the class chain and the device-tree names.
 * Fetching lazily keeps a pass over many candidates cheap and calls into the nub's code rare.
 */
public final class Subject {
    private final IOService service;
    private final IntSupplier matchedServiceCount;
    private Map<String, Object> properties;
    private List<String> deviceTreeNames;
    // each key's names split once per pass: a nub meets many IONameMatch candidates
    private final Map<String, List<String>> namesByKey = new java.util.HashMap<>(8);
    private Boolean hasDeviceTreeNames;
    private java.util.Set<String> deviceTreeNameSet;
    private String path;
    private final String role;

    private Subject(IOService service, IntSupplier matchedServiceCount, String role) {
        this.service = service;
        this.matchedServiceCount = matchedServiceCount;
        this.role = role;
    }

    /** The nub being matched, whose started clients the caller counts (asked only if a table needs it). */
    public static Subject nub(IOService service, IntSupplier matchedServiceCount) {
        return new Subject(service, matchedServiceCount, "nub");
    }

    /** An ancestor reached through {@code IOParentMatch}: its clients are counted from the registry. */
    static Subject ancestor(IOService service) {
        return new Subject(service, null, "ancestor");
    }

    /** Return what explanations call the service: "nub" or "ancestor". */
    public String role() {
        return role;
    }

    /** Return the service. */
    public IOService service() {
        return service;
    }

    /** Return the class chain, most derived first. */
    public List<String> chain() {
        return ClassChain.of(service);
    }

    /** Return the property table (fetched once). */
    public Map<String, Object> properties() {
        if (properties == null) {
            Map<String, Object> table = service.getPropertyTable();
            properties = table == null ? Map.of() : table;
        }
        return properties;
    }

    /** Return the service's path in the service plane. */
    public String path() {
        if (path == null) {
            path = service.getPath(IORegistryEntry.gIOServicePlane);
        }
        return path;
    }

    /**
     * Return how many clients have a match category and are not terminating
     * ({@code IOMatchedServiceCountMatch}).
     */
    public int matchedServiceCount() {
        if (matchedServiceCount != null) {
            return matchedServiceCount.getAsInt();
        }
        int count = 0;
        for (IOService client : service.getClients()) {
            if (!client.isInactive() && client.getProperty(MatchKeys.IOMatchCategory) != null) {
                count++;
            }
        }
        return count;
    }

    /** Return true if the service has device-tree style name properties ({@code name}, {@code compatible}, ...). */
    public boolean hasDeviceTreeNames() {
        if (hasDeviceTreeNames == null) {
            boolean found = false;
            Map<String, Object> props = properties();
            for (String key : MatchKeys.DEVICE_TREE_NAME_KEYS) {
                if (props.get(key) instanceof String || props.get(key) instanceof byte[]) {
                    found = true;
                    break;
                }
            }
            hasDeviceTreeNames = found;
        }
        return hasDeviceTreeNames;
    }

    /**
     * Return the names of each device-tree name property in {@code IODTCompareNubName} order: one
     * list per key of {@link MatchKeys#DEVICE_TREE_NAME_KEYS}, each value split at NULs.
     */
    public List<String> deviceTreeNames(String key) {
        return namesByKey.computeIfAbsent(key, this::splitDeviceTreeNames);
    }

    private List<String> splitDeviceTreeNames(String key) {
        Object value = properties().get(key);
        if (value instanceof String) {
            return splitNames(((String) value).getBytes(StandardCharsets.UTF_8));
        }
        if (value instanceof byte[]) {
            return splitNames((byte[]) value);
        }
        return List.of();
    }

    /** Return every device-tree name of the service as a set, for exact name matches. */
    public java.util.Set<String> deviceTreeNameSet() {
        if (deviceTreeNameSet == null) {
            deviceTreeNameSet = java.util.Set.copyOf(allDeviceTreeNames());
        }
        return deviceTreeNameSet;
    }

    /** Return every device-tree name of the service, key by key in {@link #deviceTreeNames} order. */
    public List<String> allDeviceTreeNames() {
        if (deviceTreeNames == null) {
            List<String> all = new ArrayList<>();
            for (String key : MatchKeys.DEVICE_TREE_NAME_KEYS) {
                all.addAll(deviceTreeNames(key));
            }
            deviceTreeNames = List.copyOf(all);
        }
        return deviceTreeNames;
    }

    private static List<String> splitNames(byte[] data) {
        List<String> names = new ArrayList<>(2);
        int start = 0;
        for (int i = 0; i <= data.length; i++) {
            if (i == data.length || data[i] == 0) {
                if (i > start) {
                    names.add(new String(data, start, i - start, StandardCharsets.UTF_8));
                }
                start = i + 1;
            }
        }
        return List.copyOf(names);
    }

    /** Return "name@location (Class : IOService)". */
    public String describe() {
        String location = service.getLocation();
        return service.getName() + (location == null ? "" : "@" + location) + " (" + ClassChain.describe(service) + ")";
    }
}
