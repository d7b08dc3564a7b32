package org.kextkit.harness.daemon.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class CappedOutputStreamTest {

    @Test
    void keepsBytesUpToTheLimitAndCountsTheRest() {
        CappedOutputStream out = new CappedOutputStream(5);

        out.write("abc".getBytes(StandardCharsets.US_ASCII), 0, 3);
        out.write('d');
        out.write("efgh".getBytes(StandardCharsets.US_ASCII), 0, 4);
        out.write('i');

        assertArrayEquals("abcde".getBytes(StandardCharsets.US_ASCII), out.toByteArray());
        assertEquals(4, out.dropped());
    }
}
