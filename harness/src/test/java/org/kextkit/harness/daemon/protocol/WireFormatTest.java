package org.kextkit.harness.daemon.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class WireFormatTest {

    private static final KernelRequest REQUEST = new KernelRequest(List.of("kextload", "-v", "Fü Bar.kext", ""),
            "/Users/ada/kexts", Map.of(KernelRequest.FACT_PID, "4242", KernelRequest.FACT_CONSOLE, "false"));

    private static InputStream in(byte[] bytes) {
        return new ByteArrayInputStream(bytes);
    }

    private static ProtocolException requestFailure(byte[] bytes) {
        return assertThrows(ProtocolException.class, () -> WireFormat.readRequest(in(bytes)));
    }

    private static byte[] header(int magic, int version, long length) {
        return ByteBuffer.allocate(WireFormat.HEADER_BYTES).putInt(magic).putShort((short) version)
                .putInt((int) length).array();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void aRequestSurvivesTheRoundTripIncludingNonAsciiAndEmptyArguments() throws IOException {
        KernelRequest decoded = WireFormat.readRequest(in(WireFormat.encodeRequest(REQUEST)));

        assertEquals(REQUEST.argv(), decoded.argv());
        assertEquals(REQUEST.cwd(), decoded.cwd());
        assertEquals(REQUEST.facts(), decoded.facts());
    }

    @Test
    void theRequestHeaderIsMagicVersionAndBodyLength() throws IOException {
        byte[] frame = WireFormat.encodeRequest(new KernelRequest(List.of("status"), "/", Map.of()));

        ByteBuffer b = ByteBuffer.wrap(frame);
        assertEquals("KXKQ", new String(frame, 0, 4, StandardCharsets.US_ASCII));
        b.position(4);
        assertEquals(1, b.getShort());
        assertEquals(frame.length - WireFormat.HEADER_BYTES, b.getInt());
        // cwd "/" (4+1), argc 1 (4), "status" (4+6), factc 0 (4)
        assertEquals(5 + 4 + 10 + 4, b.remaining());
    }

    @Test
    void aReplySurvivesTheRoundTripByteForByte() throws IOException {
        byte[] out = "Index Refs Address\n".getBytes(StandardCharsets.UTF_8);
        byte[] err = {(byte) 0xff, 0, (byte) 0x80};

        KernelReply decoded = WireFormat.readReply(in(WireFormat.encodeReply(new KernelReply(71, out, err))));

        assertEquals(71, decoded.exitCode());
        assertArrayEquals(out, decoded.stdout());
        assertArrayEquals(err, decoded.stderr());
    }

    @Test
    void aLengthOverTheLimitIsRefusedBeforeTheBodyIsRead() {
        byte[] frame = header(WireFormat.REQUEST_MAGIC, 1, WireFormat.MAX_REQUEST_BODY + 1L);

        ProtocolException e = requestFailure(frame);

        assertEquals(ProtocolException.Kind.TOO_LARGE, e.kind());
        assertEquals("request body of 8388609 bytes is over the limit of 8388608", e.getMessage());
    }

    @Test
    void aLengthOfFourGigabytesIsRefusedToo() {
        ProtocolException e = assertThrows(ProtocolException.class, () -> WireFormat.readReply(
                in(header(WireFormat.REPLY_MAGIC, 1, 0xFFFF_FFFFL))));

        assertEquals(ProtocolException.Kind.TOO_LARGE, e.kind());
    }

    @Test
    void anOversizedRequestIsRefusedBySenders() {
        String longArg = "x".repeat(1 << 20);
        KernelRequest huge = new KernelRequest(Collections.nCopies(9, longArg), "/", Map.of());

        ProtocolException e = assertThrows(ProtocolException.class, () -> WireFormat.encodeRequest(huge));

        assertEquals(ProtocolException.Kind.TOO_LARGE, e.kind());
        int bodyBytes = (4 + 1) + 4 + 9 * (4 + longArg.length()) + 4;
        assertEquals("the command line is " + bodyBytes + " bytes long; the kernel daemon accepts at most 8388608",
                e.getMessage());
    }

    @Test
    void tooManyArgumentsAreRefusedBySendersAndReaders() throws IOException {
        List<String> many = new ArrayList<>(Collections.nCopies(WireFormat.MAX_ARGS + 1, "a"));
        assertEquals(ProtocolException.Kind.TOO_LARGE, assertThrows(ProtocolException.class,
                () -> WireFormat.encodeRequest(new KernelRequest(many, "/", Map.of()))).kind());

        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(ByteBuffer.allocate(9).putInt(1).put((byte) '/').putInt(WireFormat.MAX_ARGS + 1).array());
        ProtocolException e = requestFailure(concat(header(WireFormat.REQUEST_MAGIC, 1, body.size()),
                body.toByteArray()));
        assertEquals("65537 arguments is over the limit of 65536", e.getMessage());
    }

    @Test
    void aRequestCutShortInTheBodyIsTruncated() throws IOException {
        byte[] frame = WireFormat.encodeRequest(REQUEST);

        ProtocolException e = requestFailure(Arrays.copyOf(frame, frame.length - 3));

        assertEquals(ProtocolException.Kind.TRUNCATED, e.kind());
        assertEquals("truncated request: expected " + (frame.length - 10) + " body bytes, got " + (frame.length - 13),
                e.getMessage());
    }

    @Test
    void aRequestCutShortInTheHeaderIsTruncated() throws IOException {
        ProtocolException e = requestFailure(Arrays.copyOf(WireFormat.encodeRequest(REQUEST), 7));

        assertEquals(ProtocolException.Kind.TRUNCATED, e.kind());
        assertEquals("truncated request header: expected 10 bytes, got 7", e.getMessage());
    }

    @Test
    void aConnectionClosedBeforeAnyByteIsEmpty() {
        assertEquals(ProtocolException.Kind.EMPTY, requestFailure(new byte[0]).kind());
    }

    @Test
    void aReplyFrameIsNotARequest() throws IOException {
        ProtocolException e = requestFailure(WireFormat.encodeReply(KernelReply.of(0, "", "")));

        assertEquals(ProtocolException.Kind.BAD_MAGIC, e.kind());
        assertEquals("not a kextkit request: expected magic 0x4b584b51, found 0x4b584b52", e.getMessage());
    }

    @Test
    void anotherProtocolVersionIsReportedWithThePeersVersion() {
        ProtocolException e = requestFailure(concat(header(WireFormat.REQUEST_MAGIC, 2, 0)));

        assertEquals(ProtocolException.Kind.VERSION_MISMATCH, e.kind());
        assertEquals(2, e.peerVersion());
        assertEquals("the request uses protocol version 2; this side speaks version 1", e.getMessage());
    }

    @Test
    void aStringLongerThanTheFrameIsMalformed() {
        byte[] body = ByteBuffer.allocate(8).putInt(1000).putInt(0).array();

        ProtocolException e = requestFailure(concat(header(WireFormat.REQUEST_MAGIC, 1, body.length), body));

        assertEquals(ProtocolException.Kind.MALFORMED, e.kind());
        assertEquals("working directory claims 1000 bytes but only 4 remain in the frame", e.getMessage());
    }

    @Test
    void invalidUtf8IsMalformed() {
        byte[] body = ByteBuffer.allocate(14).putInt(2).put((byte) 0xc3).put((byte) 0x28).putInt(0).putInt(0).array();

        ProtocolException e = requestFailure(concat(header(WireFormat.REQUEST_MAGIC, 1, body.length), body));

        assertEquals("working directory is not valid UTF-8", e.getMessage());
    }

    @Test
    void bytesAfterTheLastFieldAreMalformed() {
        byte[] body = ByteBuffer.allocate(13).putInt(0).putInt(0).putInt(0).put((byte) 7).array();

        ProtocolException e = requestFailure(concat(header(WireFormat.REQUEST_MAGIC, 1, body.length), body));

        assertEquals("1 unexpected bytes after the request", e.getMessage());
    }

    @Test
    void aBodyEndingInsideAFieldIsMalformed() {
        byte[] body = ByteBuffer.allocate(6).putInt(0).putShort((short) 1).array();

        ProtocolException e = requestFailure(concat(header(WireFormat.REQUEST_MAGIC, 1, body.length), body));

        assertEquals("request body ends inside a field", e.getMessage());
    }

    @Test
    void aReplyExitCodeOutsideAByteIsMalformed() {
        byte[] body = ByteBuffer.allocate(12).putInt(256).putInt(0).putInt(0).array();

        ProtocolException e = assertThrows(ProtocolException.class, () -> WireFormat.readReply(
                in(concat(header(WireFormat.REPLY_MAGIC, 1, body.length), body))));

        assertEquals("reply exit code 256 is outside 0..255", e.getMessage());
    }

    @Test
    void aReplyStreamOverTheLimitCannotBeSent() {
        KernelReply big = new KernelReply(0, new byte[WireFormat.MAX_STREAM_BYTES + 1], new byte[0]);

        ProtocolException e = assertThrows(ProtocolException.class, () -> WireFormat.encodeReply(big));

        assertEquals("standard output of 33554433 bytes is over the limit of 33554432", e.getMessage());
    }
}
