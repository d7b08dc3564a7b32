package org.kextkit.harness.bundle.internal;

import java.nio.charset.StandardCharsets;

/**
 * View the bytes of a text property list as characters for the structural scans that run before
 * parsing, and turn character offsets into line and column numbers for messages.
 *
 * <p>For UTF-8 and the other ASCII-compatible encodings the view is the bytes read as ISO-8859-1,
 * without copying: every character the scans look for ({@code < ! [ > " ( {}) is ASCII, and no
 * byte of a multi-byte UTF-8 sequence is. UTF-16 text is decoded first.
 */
public final class PlistText implements CharSequence {
    private final byte[] bytes;
    private final String decoded;

    private PlistText(byte[] bytes, String decoded) {
        this.bytes = bytes;
        this.decoded = decoded;
    }

    /** Return a character view of {@code bytes}. */
    public static PlistText of(byte[] bytes) {
        if (bytes.length >= 2) {
            int b0 = bytes[0] & 0xff;
            int b1 = bytes[1] & 0xff;
            if (b0 == 0xFE && b1 == 0xFF) {
                return new PlistText(null, new String(bytes, 2, bytes.length - 2, StandardCharsets.UTF_16BE));
            }
            if (b0 == 0xFF && b1 == 0xFE) {
                return new PlistText(null, new String(bytes, 2, bytes.length - 2, StandardCharsets.UTF_16LE));
            }
            if (b0 == 0 && b1 != 0) {
                return new PlistText(null, new String(bytes, StandardCharsets.UTF_16BE));
            }
            if (b0 != 0 && b1 == 0) {
                return new PlistText(null, new String(bytes, StandardCharsets.UTF_16LE));
            }
        }
        return new PlistText(bytes, null);
    }

    @Override
    public int length() {
        return decoded != null ? decoded.length() : bytes.length;
    }

    @Override
    public char charAt(int index) {
        return decoded != null ? decoded.charAt(index) : (char) (bytes[index] & 0xff);
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        StringBuilder sb = new StringBuilder(end - start);
        for (int i = start; i < end; i++) {
            sb.append(charAt(i));
        }
        return sb;
    }

    /** Return true if the text has {@code prefix} at {@code offset}. */
    public boolean startsWith(String prefix, int offset) {
        if (offset < 0 || offset + prefix.length() > length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (charAt(offset + i) != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Return the index of {@code needle} at or after {@code from}, or -1. */
    public int indexOf(String needle, int from) {
        int last = length() - needle.length();
        for (int i = Math.max(0, from); i <= last; i++) {
            if (startsWith(needle, i)) {
                return i;
            }
        }
        return -1;
    }

    /** Return the offset where line {@code line} (from 1) starts, or the length if there are fewer lines. */
    public int offsetOfLine(int line) {
        int current = 1;
        for (int i = 0; i < length(); i++) {
            if (current >= line) {
                return i;
            }
            if (charAt(i) == '\n') {
                current++;
            }
        }
        return length();
    }

    /** Return {@code line L, column C} (both from 1) for a character offset. */
    public String lineAndColumn(int offset) {
        int line = 1;
        int lineStart = 0;
        int end = Math.min(offset, length());
        for (int i = 0; i < end; i++) {
            if (charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return "line " + line + ", column " + (end - lineStart + 1);
    }

    @Override
    public String toString() {
        return decoded != null ? decoded : new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
