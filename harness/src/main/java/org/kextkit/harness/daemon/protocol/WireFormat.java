package org.kextkit.harness.daemon.protocol;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Encode and decode the frames of the kernel daemon protocol, version {@value #VERSION}.
 *
 * <p>Every frame is a 10-byte header (4-byte magic, unsigned 16-bit version, unsigned 32-bit body
 * length, all big-endian) followed by the body. A request body is the working directory, the argv
 * and the facts as length-prefixed UTF-8 strings; a reply body is the exit code, then standard output
 * and standard error as length-prefixed bytes. {@code docs/daemon.md} draws the byte layout.
 *
 * <p>Readers check the limits before they trust a length, so a hostile or broken peer cannot make
 * them allocate more than the limit or read past the frame. The fast client runs this class, so the
 * paths it takes on success avoid lambdas and string concatenation, which cost JVM start-up time.
 */
public final class WireFormat {
    /** The protocol version this build speaks. */
    public static final int VERSION = 1;
    /** The magic of a request frame: ASCII {@code KXKQ}. */
    public static final int REQUEST_MAGIC = 0x4B584B51;
    /** The magic of a reply frame: ASCII {@code KXKR}. */
    public static final int REPLY_MAGIC = 0x4B584B52;
    /** The size of a frame header in bytes. */
    public static final int HEADER_BYTES = 10;
    /** The largest request body: 8 MiB (10,000 kext paths of 200 bytes take 2 MiB). */
    public static final int MAX_REQUEST_BODY = 8 << 20;
    /** The most arguments a request may carry. */
    public static final int MAX_ARGS = 65_536;
    /** The most facts a request may carry. */
    public static final int MAX_FACTS = 64;
    /** The most bytes of standard output, or of standard error, a reply may carry: 32 MiB each. */
    public static final int MAX_STREAM_BYTES = 32 << 20;
    /** The largest reply body: the exit code and both streams at their limit. */
    public static final int MAX_REPLY_BODY = 4 + 4 + MAX_STREAM_BYTES + 4 + MAX_STREAM_BYTES;

    private WireFormat() {
    }

    // ---- requests ----

    /**
     * Encode a whole request frame.
     *
     * @throws ProtocolException if the request is over the limits (too many or too long arguments)
     */
    public static byte[] encodeRequest(KernelRequest request) throws ProtocolException {
        if (request.argv().size() > MAX_ARGS) {
            throw new ProtocolException(ProtocolException.Kind.TOO_LARGE, "the command has " + request.argv().size()
                    + " arguments; the kernel daemon accepts at most " + MAX_ARGS);
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream(256);
        writeString(body, request.cwd());
        writeInt(body, request.argv().size());
        for (int i = 0; i < request.argv().size(); i++) {
            writeString(body, request.argv().get(i));
        }
        Map<String, String> facts = request.facts();
        writeInt(body, Math.min(facts.size(), MAX_FACTS));
        int written = 0;
        for (Map.Entry<String, String> fact : facts.entrySet()) {
            if (written++ == MAX_FACTS) {
                break;
            }
            writeString(body, fact.getKey());
            writeString(body, fact.getValue());
        }
        if (body.size() > MAX_REQUEST_BODY) {
            throw new ProtocolException(ProtocolException.Kind.TOO_LARGE, "the command line is " + body.size()
                    + " bytes long; the kernel daemon accepts at most " + MAX_REQUEST_BODY);
        }
        return frame(REQUEST_MAGIC, VERSION, body);
    }

    /** Write a request frame to {@code out} and flush it. */
    public static void writeRequest(OutputStream out, KernelRequest request) throws IOException {
        out.write(encodeRequest(request));
        out.flush();
    }

    /**
     * Read one request frame.
     *
     * @throws ProtocolException if the frame breaks the protocol; {@link ProtocolException.Kind#EMPTY} if
     *     the peer closed the connection without sending anything
     */
    public static KernelRequest readRequest(InputStream in) throws IOException {
        return decodeRequestBody(readFrame(in, REQUEST_MAGIC, MAX_REQUEST_BODY, "request"));
    }

    /** Decode a request body (the bytes after the header). */
    public static KernelRequest decodeRequestBody(byte[] body) throws ProtocolException {
        ByteBuffer buf = ByteBuffer.wrap(body);
        try {
            String cwd = readString(buf, "working directory");
            int argc = readCount(buf, MAX_ARGS, "arguments");
            List<String> argv = new ArrayList<>(Math.min(argc, 1024));
            for (int i = 0; i < argc; i++) {
                argv.add(readString(buf, "argument"));
            }
            int factc = readCount(buf, MAX_FACTS, "facts");
            Map<String, String> facts = new LinkedHashMap<>();
            for (int i = 0; i < factc; i++) {
                String name = readString(buf, "fact name");
                facts.put(name, readString(buf, "fact value"));
            }
            expectEnd(buf, "request");
            return new KernelRequest(argv, cwd, facts);
        } catch (BufferUnderflowException e) {
            throw new ProtocolException(ProtocolException.Kind.MALFORMED, "request body ends inside a field");
        }
    }

    // ---- replies ----

    /**
     * Encode a whole reply frame.
     *
     * @throws ProtocolException if a stream is over {@link #MAX_STREAM_BYTES}
     */
    public static byte[] encodeReply(KernelReply reply) throws ProtocolException {
        checkStream(reply.stdout().length, "standard output");
        checkStream(reply.stderr().length, "standard error");
        ByteArrayOutputStream body = new ByteArrayOutputStream(12 + reply.stdout().length + reply.stderr().length);
        writeInt(body, reply.exitCode());
        writeBytes(body, reply.stdout());
        writeBytes(body, reply.stderr());
        return frame(REPLY_MAGIC, VERSION, body);
    }

    /** Write a reply frame to {@code out} and flush it. */
    public static void writeReply(OutputStream out, KernelReply reply) throws IOException {
        out.write(encodeReply(reply));
        out.flush();
    }

    /**
     * Read one reply frame.
     *
     * @throws ProtocolException if the frame breaks the protocol
     */
    public static KernelReply readReply(InputStream in) throws IOException {
        return decodeReplyBody(readFrame(in, REPLY_MAGIC, MAX_REPLY_BODY, "reply"));
    }

    /** Decode a reply body (the bytes after the header). */
    public static KernelReply decodeReplyBody(byte[] body) throws ProtocolException {
        ByteBuffer buf = ByteBuffer.wrap(body);
        try {
            int exit = buf.getInt();
            if (exit < 0 || exit > 255) {
                throw new ProtocolException(ProtocolException.Kind.MALFORMED, "reply exit code " + exit
                        + " is outside 0..255");
            }
            byte[] out = readBytes(buf, "standard output");
            byte[] err = readBytes(buf, "standard error");
            expectEnd(buf, "reply");
            return new KernelReply(exit, out, err);
        } catch (BufferUnderflowException e) {
            throw new ProtocolException(ProtocolException.Kind.MALFORMED, "reply body ends inside a field");
        }
    }

    // ---- frames ----

    private static byte[] frame(int magic, int version, ByteArrayOutputStream body) {
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES + body.size());
        header.putInt(magic).putShort((short) version).putInt(body.size());
        byte[] frame = header.array();
        byte[] bytes = body.toByteArray();
        System.arraycopy(bytes, 0, frame, HEADER_BYTES, bytes.length);
        return frame;
    }

    /** Read a header and its body, checking magic, version and the length limit before reading the body. */
    static byte[] readFrame(InputStream in, int magic, int maxBody, String what) throws IOException {
        byte[] header = in.readNBytes(HEADER_BYTES);
        if (header.length == 0) {
            throw new ProtocolException(ProtocolException.Kind.EMPTY, "the connection closed before a " + what
                    + " frame");
        }
        if (header.length < HEADER_BYTES) {
            throw new ProtocolException(ProtocolException.Kind.TRUNCATED, "truncated " + what + " header: expected "
                    + HEADER_BYTES + " bytes, got " + header.length);
        }
        ByteBuffer h = ByteBuffer.wrap(header);
        int foundMagic = h.getInt();
        if (foundMagic != magic) {
            throw new ProtocolException(ProtocolException.Kind.BAD_MAGIC, "not a kextkit " + what + ": expected magic 0x"
                    + Integer.toHexString(magic) + ", found 0x" + Integer.toHexString(foundMagic));
        }
        int version = Short.toUnsignedInt(h.getShort());
        if (version != VERSION) {
            throw new ProtocolException(ProtocolException.Kind.VERSION_MISMATCH, "the " + what + " uses protocol "
                    + "version " + version + "; this side speaks version " + VERSION, version);
        }
        long length = Integer.toUnsignedLong(h.getInt());
        if (length > maxBody) {
            throw new ProtocolException(ProtocolException.Kind.TOO_LARGE, what + " body of " + length
                    + " bytes is over the limit of " + maxBody, version);
        }
        // readNBytes grows its buffer as data arrives, so a length that lies costs no more than what is sent.
        byte[] body = in.readNBytes((int) length);
        if (body.length < length) {
            throw new ProtocolException(ProtocolException.Kind.TRUNCATED, "truncated " + what + ": expected " + length
                    + " body bytes, got " + body.length, version);
        }
        return body;
    }

    // ---- fields ----

    private static void writeInt(ByteArrayOutputStream out, int v) {
        out.write(v >>> 24);
        out.write(v >>> 16);
        out.write(v >>> 8);
        out.write(v);
    }

    private static void writeString(ByteArrayOutputStream out, String s) {
        writeBytes(out, s.getBytes(StandardCharsets.UTF_8));
    }

    private static void writeBytes(ByteArrayOutputStream out, byte[] b) {
        writeInt(out, b.length);
        out.write(b, 0, b.length);
    }

    private static void checkStream(int length, String name) throws ProtocolException {
        if (length > MAX_STREAM_BYTES) {
            throw new ProtocolException(ProtocolException.Kind.TOO_LARGE, name + " of " + length
                    + " bytes is over the limit of " + MAX_STREAM_BYTES);
        }
    }

    private static int readCount(ByteBuffer buf, int max, String what) throws ProtocolException {
        long n = Integer.toUnsignedLong(buf.getInt());
        if (n > max) {
            throw new ProtocolException(ProtocolException.Kind.TOO_LARGE, n + " " + what + " is over the limit of "
                    + max);
        }
        return (int) n;
    }

    private static byte[] readBytes(ByteBuffer buf, String what) throws ProtocolException {
        long n = Integer.toUnsignedLong(buf.getInt());
        if (n > buf.remaining()) {
            throw new ProtocolException(ProtocolException.Kind.MALFORMED, what + " claims " + n + " bytes but only "
                    + buf.remaining() + " remain in the frame");
        }
        byte[] b = new byte[(int) n];
        buf.get(b);
        return b;
    }

    private static String readString(ByteBuffer buf, String what) throws ProtocolException {
        byte[] b = readBytes(buf, what);
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw new ProtocolException(ProtocolException.Kind.MALFORMED, what + " is not valid UTF-8");
        }
    }

    private static void expectEnd(ByteBuffer buf, String what) throws ProtocolException {
        if (buf.hasRemaining()) {
            throw new ProtocolException(ProtocolException.Kind.MALFORMED, buf.remaining() + " unexpected bytes after the "
                    + what);
        }
    }
}
