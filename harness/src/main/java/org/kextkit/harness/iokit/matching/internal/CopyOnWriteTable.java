package org.kextkit.harness.iokit.matching.internal;

import java.util.AbstractMap;
import java.util.Map;
import java.util.Set;

/**
 * The personality copy that family matching receives, made only when needed: reads go to the
 * frozen personality until the first write (or a read of a container, which the caller might
 * change), and then to a deep, changeable copy. Most families only read, so most rejected
 * candidates cost no copy at all.
 */
public final class CopyOnWriteTable extends AbstractMap<String, Object> {
    private final Map<String, Object> base;
    private Map<String, Object> copy;

    /** Wrap a frozen table. */
    public CopyOnWriteTable(Map<String, Object> base) {
        this.base = base;
    }

    /** Return the changeable copy, making it now if no write has made it yet. */
    public Map<String, Object> materialize() {
        if (copy == null) {
            copy = OSValues.mutableTable(base);
        }
        return copy;
    }

    private Map<String, Object> reading() {
        return copy != null ? copy : base;
    }

    @Override
    public Object get(Object key) {
        Object value = reading().get(key);
        if (copy == null && (value instanceof Map || value instanceof java.util.Collection || value instanceof byte[])) {
            return materialize().get(key);
        }
        return value;
    }

    @Override
    public boolean containsKey(Object key) {
        return reading().containsKey(key);
    }

    @Override
    public int size() {
        return reading().size();
    }

    @Override
    public boolean isEmpty() {
        return reading().isEmpty();
    }

    @Override
    public Object put(String key, Object value) {
        return materialize().put(key, value);
    }

    @Override
    public Object remove(Object key) {
        return materialize().remove(key);
    }

    @Override
    public void putAll(Map<? extends String, ?> m) {
        materialize().putAll(m);
    }

    @Override
    public void clear() {
        materialize().clear();
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return materialize().entrySet();
    }
}
