package org.kextkit.harness.daemon.protocol;

import java.io.IOException;

/**
 * Report a frame that breaks the kernel daemon protocol: wrong magic, another protocol version, a
 * length over the limit, a truncated body or malformed content.
 */
public final class ProtocolException extends IOException {
    private static final long serialVersionUID = 1L;

    /** Classify what went wrong, so that callers can react without parsing the message. */
    public enum Kind {
        /** The peer closed the connection before sending a single byte (a liveness probe). */
        EMPTY,
        /** The first four bytes are not the expected magic: the peer is not a kextkit client or daemon. */
        BAD_MAGIC,
        /** The peer speaks another protocol version; {@link #peerVersion()} says which. */
        VERSION_MISMATCH,
        /** A declared length or count is over the protocol's limit. */
        TOO_LARGE,
        /** The connection ended inside a frame. */
        TRUNCATED,
        /** The body does not parse: bad lengths, invalid UTF-8, or bytes left over. */
        MALFORMED
    }

    private final Kind kind;
    private final int peerVersion;

    /** Create an exception of {@code kind} with a complete message. */
    public ProtocolException(Kind kind, String message) {
        this(kind, message, -1);
    }

    /** Create a {@link Kind#VERSION_MISMATCH} (or other) exception recording the peer's version. */
    public ProtocolException(Kind kind, String message, int peerVersion) {
        super(message);
        this.kind = kind;
        this.peerVersion = peerVersion;
    }

    /** Return what went wrong. */
    public Kind kind() {
        return kind;
    }

    /** Return the version the peer announced, or -1 if the header did not get that far. */
    public int peerVersion() {
        return peerVersion;
    }
}
