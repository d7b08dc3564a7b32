package org.kextkit.harness.lifecycle;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Keep the hosted kernel's log: the kernel's own messages and everything kexts print with
 * {@code printf} or {@code IOLog}, in order, bounded like the kernel's message buffer.
 */
public final class KernelLog {
    /** One line of the kernel log. */
    public record Entry(long sequence, String source, String message) {
        @Override
        public String toString() {
            return message;
        }
    }

    private final int capacity;
    private final Deque<Entry> entries = new ArrayDeque<>();
    private final List<Consumer<Entry>> listeners = new CopyOnWriteArrayList<>();
    private long sequence;

    /** Create a log that keeps the last {@code capacity} lines. */
    public KernelLog(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("kernel log capacity must be at least 1, got " + capacity);
        }
        this.capacity = capacity;
    }

    /** Append a line; {@code source} is the kext's bundle id, or {@code kernel}. */
    public void append(String source, String message) {
        Entry entry;
        synchronized (this) {
            entry = new Entry(++sequence, source, message);
            entries.addLast(entry);
            if (entries.size() > capacity) {
                entries.removeFirst();
            }
        }
        for (Consumer<Entry> listener : listeners) {
            listener.accept(entry);
        }
    }

    /** Append a message from the kernel itself. */
    public void kernel(String message) {
        append("kernel", message);
    }

    /** Return the lines still held, oldest first. */
    public synchronized List<Entry> entries() {
        return new ArrayList<>(entries);
    }

    /** Return the lines appended after {@code sequence}, oldest first. */
    public synchronized List<Entry> since(long sequence) {
        List<Entry> newer = new ArrayList<>();
        for (Entry e : entries) {
            if (e.sequence() > sequence) {
                newer.add(e);
            }
        }
        return newer;
    }

    /** Return the sequence number of the newest line (0 if none). */
    public synchronized long lastSequence() {
        return sequence;
    }

    /** Call {@code listener} for every line appended from now on; returns a handle that stops it. */
    public Runnable follow(Consumer<Entry> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }
}
