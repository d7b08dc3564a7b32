package org.kextkit.harness.bundle.internal;

import com.dd.plist.NSDictionary;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The XML property lists parsed lately, by content: a test suite boots a kernel per test and reads
 * the same Info.plist of the same build output each time, and the XML parse was a large part of it.
 *
 * <p>Entries are keyed by the exact bytes and the nesting limit they were checked against, so a
 * changed file is parsed afresh. Each caller gets its own deep copy: a bundle's dictionary is never
 * shared. Only files that parsed cleanly are kept; a broken one is parsed (and reported) every time.
 */
public final class ParsedPlists {
    /** Files larger than this are not kept. */
    public static final int MAX_BYTES = 256 * 1024;
    private static final int MAX_ENTRIES = 64;

    private static final Map<Key, NSDictionary> CACHE = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, NSDictionary> eldest) {
            return size() > MAX_ENTRIES;
        }
    };

    private ParsedPlists() {
    }

    /** Return a copy of the dictionary parsed from {@code bytes} under {@code maxDepth}, or {@code null}. */
    public static NSDictionary get(byte[] bytes, int maxDepth) {
        if (bytes.length > MAX_BYTES) {
            return null;
        }
        NSDictionary found;
        synchronized (CACHE) {
            found = CACHE.get(new Key(bytes, maxDepth));
        }
        return found == null ? null : found.clone();
    }

    /** Keep a copy of {@code parsed}, which {@code bytes} parsed to without fault under {@code maxDepth}. */
    public static void put(byte[] bytes, int maxDepth, NSDictionary parsed) {
        if (bytes.length > MAX_BYTES) {
            return;
        }
        Key key = new Key(bytes.clone(), maxDepth);
        NSDictionary copy = parsed.clone();
        synchronized (CACHE) {
            CACHE.put(key, copy);
        }
    }

    private static final class Key {
        final byte[] bytes;
        final int maxDepth;
        final int hash;

        Key(byte[] bytes, int maxDepth) {
            this.bytes = bytes;
            this.maxDepth = maxDepth;
            this.hash = Arrays.hashCode(bytes) * 31 + maxDepth;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key other && other.hash == hash && other.maxDepth == maxDepth && Arrays.equals(other.bytes, bytes);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
