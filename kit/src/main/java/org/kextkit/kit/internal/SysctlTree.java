package org.kextkit.kit.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.kextkit.kit.bsd.Sysctl;
import org.kextkit.kit.bsd.SysctlOid;
import org.kextkit.kit.bsd.SysctlRequest;

/**
 * A kernel's sysctl namespace: the top-level nodes every kernel has, the oids the kernel itself
 * publishes, and those kexts register, each remembered with the class that registered it and where.
 *
 * <p>Reads and writes follow {@code sysctl(8)}: an unknown name is {@link Sysctl#ENOENT}, a node has
 * no value ({@link Sysctl#EISDIR}), a write to an oid without {@link Sysctl#CTLFLAG_WR} is
 * {@link Sysctl#EPERM}, a value of the wrong form is {@link Sysctl#EINVAL}. Procedure oids run their
 * handler on the calling thread; the hosted kernel calls these methods from a kernel thread.
 */
public final class SysctlTree implements SysctlHost {
    /** The top-level nodes of every Darwin kernel. */
    public static final List<String> TOP_LEVEL = List.of("kern", "vm", "vfs", "net", "debug", "hw", "machdep", "user");

    /**
     * One published oid.
     *
     * @param oid the oid
     * @param owner the class that registered it, or {@code null} for the kernel's own
     * @param site where it was registered, or {@code null}
     */
    public record Entry(SysctlOid oid, Class<?> owner, StackTraceElement site) {
    }

    private final Consumer<String> log;
    private final Map<String, Entry> entries = new TreeMap<>();

    /** Make the namespace with its top-level nodes; refused registrations are reported to {@code log}. */
    public SysctlTree(Consumer<String> log) {
        this.log = log;
    }

    /** Publish one of the kernel's own oids (no owner); its parent must be a top-level node or published. */
    public synchronized void publish(SysctlOid oid) {
        entries.put(oid.fullName(), new Entry(oid, null, null));
    }

    @Override
    public synchronized void register(SysctlOid oid, Class<?> caller, StackTraceElement site) {
        String name = oid.fullName();
        if (!isNode(oid.parent())) {
            log.accept(String.format(Locale.ROOT, "sysctl_register_oid: can't register %s: its parent %s is not a "
                    + "registered sysctl node; register the node (SYSCTL_NODE) first", name, oid.parent()));
            return;
        }
        Entry existing = entries.get(name);
        if (existing != null || TOP_LEVEL.contains(name)) {
            log.accept(String.format(Locale.ROOT, "sysctl_register_oid: can't register %s: the name is already in use%s",
                    name, existing != null && existing.oid() == oid ? " (this oid is registered already)" : ""));
            return;
        }
        entries.put(name, new Entry(oid, caller, site));
    }

    @Override
    public synchronized void unregister(SysctlOid oid, Class<?> caller, StackTraceElement site) {
        String name = oid.fullName();
        Entry existing = entries.get(name);
        if (existing == null || existing.oid() != oid) {
            log.accept(String.format(Locale.ROOT, "sysctl_unregister_oid: %s is not registered", name));
            return;
        }
        if (oid.kind() == SysctlOid.Kind.NODE && !children(name).isEmpty()) {
            log.accept(String.format(Locale.ROOT, "sysctl_unregister_oid: node %s unregistered while %d oid(s) under "
                    + "it are still registered; unregister the children first", name, children(name).size()));
        }
        entries.remove(name);
    }

    /** Return the entry published under the full dotted {@code name}. */
    public synchronized Optional<Entry> lookup(String name) {
        return Optional.ofNullable(entries.get(name));
    }

    /** Return every published entry whose name is {@code prefix} or lies under it ("" for all), by name. */
    public synchronized List<Entry> list(String prefix) {
        List<Entry> found = new ArrayList<>();
        for (Entry entry : entries.values()) {
            String name = entry.oid().fullName();
            if (prefix.isEmpty() || name.equals(prefix) || name.startsWith(prefix + ".")) {
                found.add(entry);
            }
        }
        return found;
    }

    /** Withdraw and return every entry registered by a class that {@code loader} defined. */
    public synchronized List<Entry> removeOwnedBy(ClassLoader loader) {
        List<Entry> removed = new ArrayList<>();
        entries.values().removeIf(entry -> {
            boolean owned = entry.owner() != null && entry.owner().getClassLoader() == loader;
            if (owned) {
                removed.add(entry);
            }
            return owned;
        });
        return removed;
    }

    /**
     * Read {@code name}'s value as {@code sysctl(8)} prints it.
     *
     * @throws SysctlException if it is not published, is a node or is not readable
     */
    public String read(String name) throws SysctlException {
        SysctlOid oid = leaf(name);
        if (!oid.isReadable()) {
            throw new SysctlException(Sysctl.EPERM, name + " is not readable");
        }
        if (oid.handler() == null) {
            return String.valueOf(storedValue(oid));
        }
        SysctlRequest request = new SysctlRequest(null);
        int errno = oid.handler().handle(oid, request);
        if (errno != 0) {
            throw new SysctlException(errno, "the handler of " + name + " returned errno " + errno);
        }
        return String.valueOf(request.oldValue());
    }

    /**
     * Write {@code text} to {@code name} and return the value it replaced.
     *
     * @throws SysctlException if it is not published, is a node, is read-only, or {@code text} is not a
     *     value of its kind
     */
    public String write(String name, String text) throws SysctlException {
        SysctlOid oid = leaf(name);
        if (!oid.isWritable()) {
            throw new SysctlException(Sysctl.EPERM, name + " is read-only");
        }
        Object parsed = parse(oid, text);
        if (oid.handler() != null) {
            SysctlRequest request = new SysctlRequest(parsed);
            int errno = oid.handler().handle(oid, request);
            if (errno != 0) {
                throw new SysctlException(errno, "the handler of " + name + " refused " + text + " (errno " + errno + ")");
            }
            return String.valueOf(request.oldValue());
        }
        Object old = storedValue(oid);
        switch (oid.kind()) {
            case INT -> oid.setIntValue((Integer) parsed);
            case QUAD -> oid.setLongValue((Long) parsed);
            case STRING -> oid.setStringValue((String) parsed);
            default -> throw new IllegalStateException(oid.kind().toString());
        }
        return String.valueOf(old);
    }

    private SysctlOid leaf(String name) throws SysctlException {
        if (TOP_LEVEL.contains(name)) {
            throw new SysctlException(Sysctl.EISDIR, name + " is a node; name one of the oids under it");
        }
        Entry entry;
        synchronized (this) {
            entry = entries.get(name);
        }
        if (entry == null) {
            throw new SysctlException(Sysctl.ENOENT, "unknown oid '" + name + "'");
        }
        if (entry.oid().kind() == SysctlOid.Kind.NODE) {
            throw new SysctlException(Sysctl.EISDIR, name + " is a node; name one of the oids under it");
        }
        return entry.oid();
    }

    private static Object storedValue(SysctlOid oid) {
        return switch (oid.kind()) {
            case INT -> oid.intValue();
            case QUAD -> oid.longValue();
            case STRING -> oid.stringValue();
            case NODE -> throw new IllegalStateException("node");
        };
    }

    private static Object parse(SysctlOid oid, String text) throws SysctlException {
        try {
            return switch (oid.kind()) {
                case INT -> Integer.decode(text.trim());
                case QUAD -> Long.decode(text.trim());
                case STRING -> {
                    if (oid.handler() == null && text.length() > oid.maxLength()) {
                        throw new SysctlException(Sysctl.EINVAL, String.format(Locale.ROOT,
                                "%s holds at most %d characters, not %d", oid.fullName(), oid.maxLength(), text.length()));
                    }
                    yield text;
                }
                case NODE -> throw new IllegalStateException("node");
            };
        } catch (NumberFormatException e) {
            throw new SysctlException(Sysctl.EINVAL, String.format(Locale.ROOT, "%s is %s: expected %s, not '%s'",
                    oid.fullName(), oid.kind() == SysctlOid.Kind.INT ? "an int" : "a quad",
                    "a decimal or 0x hexadecimal integer", text));
        }
    }

    private boolean isNode(String name) {
        if (TOP_LEVEL.contains(name)) {
            return true;
        }
        Entry entry = entries.get(name);
        return entry != null && entry.oid().kind() == SysctlOid.Kind.NODE;
    }

    private List<String> children(String node) {
        List<String> found = new ArrayList<>();
        for (String name : entries.keySet()) {
            if (name.startsWith(node + ".")) {
                found.add(name);
            }
        }
        return found;
    }
}
