package org.kextkit.harness.cli.ioreg;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kextkit.kit.internal.IOServiceState;
import org.kextkit.kit.iokit.IORegistryEntry;
import org.kextkit.kit.iokit.IOService;

/**
 * Print an I/O Registry the way {@code ioreg} does, byte for byte: usable on a live kernel's
 * registry (the {@code ioreg} command) and on any tree of kit objects (a test dumping what its
 * driver published).
 *
 * <p>The tree: one line per object, {@code +-o name@location  <class C, id 0x..., registered,
 * matched, active, busy 0, retain 8>}, indented by one {@code "| "} or {@code "  "} per ancestor level
 * (a bar where that level has more siblings below). {@code IOService} objects show their state
 * ({@code !registered}, {@code !matched} and {@code inactive} when so; {@code busy N}, then
 * {@code (T ms)} when busy time was accumulated); every object ends with its retain count. Objects
 * that {@code -l}, {@code -c}, {@code -k} or {@code -n} select are followed by their property block:
 * {@code {}, one {@code "key" = value} line each, {@code }}, and a line of bars only.
 *
 * <p>With {@code -r}, each object the criteria select starts a subtree of its own, printed as if it
 * were the root (or, with {@code -t}, below its ancestors) and followed by an empty line; objects
 * inside a subtree already printed do not start another unless {@code -d} left them out of it. With
 * {@code -d N}, a tree or subtree shows N levels. With {@code -a}, the same selection is written as
 * an XML property list instead (see {@link #format}).
 */
public final class IoregFormatter {
    /** Property-list key of an entry's name in {@code -a} output. */
    public static final String KEY_NAME = "IORegistryEntryName";
    /** Property-list key of an entry's location in {@code -a} output (absent when it has none). */
    public static final String KEY_LOCATION = "IORegistryEntryLocation";
    /** Property-list key of an entry's registry ID in {@code -a} output. */
    public static final String KEY_ID = "IORegistryEntryID";
    /** Property-list key of an entry's class in {@code -a} output. */
    public static final String KEY_CLASS = "IOObjectClass";
    /** Property-list key of an entry's retain count in {@code -a} output. */
    public static final String KEY_RETAIN_COUNT = "IOObjectRetainCount";
    /** Property-list key of an entry's children in {@code -a} output. */
    public static final String KEY_CHILDREN = "IORegistryEntryChildren";
    /** Property-list key of a service's state bits in {@code -a} output (see the {@code STATE_} constants). */
    public static final String KEY_SERVICE_STATE = "IOServiceState";
    /** Property-list key of a service's busy count in {@code -a} output. */
    public static final String KEY_BUSY_STATE = "IOServiceBusyState";
    /** Property-list key of a service's accumulated busy time, in nanoseconds, in {@code -a} output. */
    public static final String KEY_BUSY_TIME = "IOServiceBusyTime";

    /** {@code kIOServiceInactiveState}: bit of {@link #KEY_SERVICE_STATE}. */
    public static final long STATE_INACTIVE = 0x1;
    /** {@code kIOServiceRegisteredState}: bit of {@link #KEY_SERVICE_STATE}. */
    public static final long STATE_REGISTERED = 0x2;
    /** {@code kIOServiceMatchedState}: bit of {@link #KEY_SERVICE_STATE}. */
    public static final long STATE_MATCHED = 0x4;

    private static final String BOLD_ON = "\u001b[1m";
    private static final String BOLD_OFF = "\u001b[0m";

    private final IoregOptions options;

    private IoregFormatter(IoregOptions options) {
        this.options = options;
    }

    /** Return {@code ioreg}'s output for the registry below {@code root}, with default options. */
    public static String format(IORegistryEntry root) {
        return format(root, IoregOptions.defaults());
    }

    /**
     * Return what {@code ioreg} with {@code options} prints for the registry below {@code root}.
     *
     * <p>With {@link IoregOptions#archive()}, the result is an XML property list: without
     * {@code -r}, the root's dictionary; with it, an array of one dictionary per selected object (an
     * empty string when nothing is selected). A dictionary holds the object's properties when
     * selected, {@link #KEY_NAME}, {@link #KEY_LOCATION}, {@link #KEY_ID}, {@link #KEY_CLASS},
     * {@link #KEY_RETAIN_COUNT}, for services {@link #KEY_SERVICE_STATE}, {@link #KEY_BUSY_STATE}
     * and {@link #KEY_BUSY_TIME}, and the array {@link #KEY_CHILDREN}. With {@code -t}, each
     * ancestor's {@link #KEY_CHILDREN} is the one dictionary below it rather than an array, as in
     * Apple's ioreg.
     */
    public static String format(IORegistryEntry root, IoregOptions options) {
        IoregFormatter formatter = new IoregFormatter(options);
        if (options.archive()) {
            return formatter.archive(root);
        }
        ClippedLines out = new ClippedLines(options.width());
        if (options.rooted()) {
            formatter.search(out, root, 0, 0, new ArrayList<>());
        } else {
            formatter.scan(out, root, false, 0, new BitSet(), options.depth());
        }
        return out.toString();
    }

    // ---- the tree ---------------------------------------------------------------------------

    /**
     * Print {@code entry} and its subtree. {@code bars} holds, for each depth up to {@code depth},
     * whether that level has more siblings to come, and at {@code depth + 1} whether {@code entry}
     * has children shown; the caller's copy is never changed.
     */
    private void scan(ClippedLines out, IORegistryEntry entry, boolean moreSiblings, int depth, BitSet inherited, int limit) {
        List<IORegistryEntry> children = entry.getChildEntries(options.plane());
        BitSet bars = (BitSet) inherited.clone();
        bars.set(depth, moreSiblings);
        boolean descend = limit == 0 || limit > depth + 1;
        if (descend) {
            bars.set(depth + 1, !children.isEmpty());
        }
        show(out, entry, depth, bars);
        if (descend) {
            for (int i = 0; i < children.size(); i++) {
                scan(out, children.get(i), i + 1 < children.size(), depth + 1, bars, limit);
            }
        }
    }

    /**
     * Find the objects the criteria select, depth first, and print the subtree of each followed by
     * an empty line. {@code matchedUpTo} is the depth down to which an enclosing subtree was printed.
     */
    private void search(ClippedLines out, IORegistryEntry entry, long matchedUpTo, int depth, List<IORegistryEntry> path) {
        long shownUpTo = matchedUpTo;
        if (matchedUpTo < depth + 1 && selects(entry)) {
            shownUpTo = options.depth() == 0 ? Long.MAX_VALUE : depth + (long) options.depth();
            if (options.ancestors()) {
                for (int level = 0; level < depth; level++) {
                    BitSet bars = new BitSet();
                    bars.set(level + 1);
                    show(out, path.get(level), level, bars);
                }
                scan(out, entry, false, depth, new BitSet(), options.depth() == 0 ? 0 : options.depth() + depth);
            } else {
                scan(out, entry, false, 0, new BitSet(), options.depth());
            }
            out.println("");
        }
        setAt(path, depth, entry);
        for (IORegistryEntry child : entry.getChildEntries(options.plane())) {
            search(out, child, shownUpTo, depth + 1, path);
        }
    }

    private static void setAt(List<IORegistryEntry> path, int depth, IORegistryEntry entry) {
        if (path.size() > depth) {
            path.set(depth, entry);
        } else {
            path.add(entry);
        }
    }

    /** Print one object's line and, if selected, its property block. */
    private void show(ClippedLines out, IORegistryEntry entry, int depth, BitSet bars) {
        StringBuilder indent = new StringBuilder();
        for (int level = 0; level < depth; level++) {
            indent.append(bars.get(level) ? "| " : "  ");
        }
        out.print(indent.append("+-o ").toString());
        if (options.bold()) {
            out.control(BOLD_ON).print(entry.getName()).control(BOLD_OFF);
        } else {
            out.print(entry.getName());
        }
        StringBuilder line = new StringBuilder();
        if (entry.getLocation() != null) {
            line.append('@').append(entry.getLocation());
        }
        line.append("  <class ").append(options.inheritance() ? ClassChain.inheritance(entry) : entry.getMetaClassName());
        line.append(", id 0x").append(Long.toHexString(entry.getRegistryEntryID()));
        if (entry instanceof IOService) {
            IOServiceState state = ((IOService) entry).serviceState();
            line.append(state.registered ? ", " : ", !").append("registered");
            line.append(state.matched ? ", " : ", !").append("matched");
            line.append(state.inactive ? ", in" : ", ").append("active");
            line.append(", busy ").append(state.busy);
            if (state.busyMillis != 0) {
                line.append(" (").append(state.busyMillis).append(" ms)");
            }
        }
        line.append(", retain ").append(entry.getRetainCount()).append('>');
        out.println(line.toString());

        if (options.list() || selects(entry)) {
            StringBuilder propertyIndent = new StringBuilder();
            for (int level = 0; level <= depth + 1; level++) {
                propertyIndent.append(bars.get(level) ? "| " : "  ");
            }
            String bar = propertyIndent.toString();
            out.println(bar + "{");
            for (Map.Entry<String, Object> property : entry.getPropertyTable().entrySet()) {
                out.println(bar + "  \"" + property.getKey() + "\" = " + PropertyValues.text(property.getValue(), options.hex()));
            }
            out.println(bar + "}");
            out.println(bar);
        }
    }

    /**
     * Return true if {@code -c}, {@code -k} and {@code -n} (those given) all select {@code entry};
     * false when none is given.
     */
    private boolean selects(IORegistryEntry entry) {
        if (!options.selects()) {
            return false;
        }
        if (options.className() != null && !ClassChain.conformsTo(entry, options.className())) {
            return false;
        }
        if (options.key() != null && entry.getProperty(options.key()) == null) {
            return false;
        }
        if (options.name() != null) {
            String name = entry.getName();
            if (options.name().indexOf('@') >= 0) {
                name = name + "@" + (entry.getLocation() == null ? "" : entry.getLocation());
            }
            return options.name().equals(name);
        }
        return true;
    }

    // ---- the archive ------------------------------------------------------------------------

    private String archive(IORegistryEntry root) {
        if (!options.rooted()) {
            return PlistXml.document(archiveScan(root, 0, options.depth()));
        }
        List<Map<String, Object>> found = new ArrayList<>();
        archiveSearch(found, root, 0, 0, new ArrayList<>());
        return found.isEmpty() ? "" : PlistXml.document(found);
    }

    private Map<String, Object> archiveScan(IORegistryEntry entry, int depth, int limit) {
        Map<String, Object> dictionary = archiveEntry(entry);
        if (limit == 0 || limit > depth + 1) {
            List<IORegistryEntry> children = entry.getChildEntries(options.plane());
            if (!children.isEmpty()) {
                List<Map<String, Object>> array = new ArrayList<>();
                for (IORegistryEntry child : children) {
                    array.add(archiveScan(child, depth + 1, limit));
                }
                dictionary.put(KEY_CHILDREN, array);
            }
        }
        return dictionary;
    }

    private void archiveSearch(List<Map<String, Object>> found, IORegistryEntry entry, long matchedUpTo, int depth,
            List<IORegistryEntry> path) {
        long shownUpTo = matchedUpTo;
        if (matchedUpTo < depth + 1 && selects(entry)) {
            shownUpTo = options.depth() == 0 ? Long.MAX_VALUE : depth + (long) options.depth();
            Map<String, Object> dictionary;
            if (options.ancestors()) {
                dictionary = archiveScan(entry, depth, options.depth() == 0 ? 0 : options.depth() + depth);
                for (int level = depth - 1; level >= 0; level--) {
                    Map<String, Object> parent = archiveEntry(path.get(level));
                    parent.put(KEY_CHILDREN, dictionary);
                    dictionary = parent;
                }
            } else {
                dictionary = archiveScan(entry, 0, options.depth());
            }
            found.add(dictionary);
        }
        setAt(path, depth, entry);
        for (IORegistryEntry child : entry.getChildEntries(options.plane())) {
            archiveSearch(found, child, shownUpTo, depth + 1, path);
        }
    }

    /** Return one entry's dictionary, without children. */
    private Map<String, Object> archiveEntry(IORegistryEntry entry) {
        Map<String, Object> dictionary = options.list() || selects(entry) ? entry.getPropertyTable() : new LinkedHashMap<>();
        dictionary.put(KEY_NAME, entry.getName());
        if (entry.getLocation() != null) {
            dictionary.put(KEY_LOCATION, entry.getLocation());
        }
        dictionary.put(KEY_ID, entry.getRegistryEntryID());
        dictionary.put(KEY_CLASS, entry.getMetaClassName());
        dictionary.put(KEY_RETAIN_COUNT, (long) entry.getRetainCount());
        if (entry instanceof IOService) {
            IOServiceState state = ((IOService) entry).serviceState();
            long bits = (state.inactive ? STATE_INACTIVE : 0) | (state.registered ? STATE_REGISTERED : 0)
                    | (state.matched ? STATE_MATCHED : 0);
            dictionary.put(KEY_SERVICE_STATE, bits);
            dictionary.put(KEY_BUSY_STATE, (long) state.busy);
            dictionary.put(KEY_BUSY_TIME, state.busyMillis * 1_000_000L);
        }
        return dictionary;
    }
}
