package org.kextkit.harness.daemon.internal;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;

/**
 * Collect a command's output in memory up to a limit, counting what is dropped beyond it, so that a
 * runaway command cannot exhaust the daemon's heap or break the reply's size limit.
 */
public final class CappedOutputStream extends OutputStream {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final int limit;
    private long dropped;

    /** Create a stream that keeps at most {@code limit} bytes. */
    public CappedOutputStream(int limit) {
        this.limit = limit;
    }

    @Override
    public void write(int b) {
        if (bytes.size() < limit) {
            bytes.write(b);
        } else {
            dropped++;
        }
    }

    @Override
    public void write(byte[] b, int off, int len) {
        int room = limit - bytes.size();
        int kept = Math.min(room, len);
        bytes.write(b, off, kept);
        dropped += len - kept;
    }

    /** Return the bytes kept. */
    public byte[] toByteArray() {
        return bytes.toByteArray();
    }

    /** Return how many bytes were dropped past the limit. */
    public long dropped() {
        return dropped;
    }
}
