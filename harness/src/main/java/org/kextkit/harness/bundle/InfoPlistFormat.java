package org.kextkit.harness.bundle;

/**
 * Name the three property-list encodings an Info.plist may use.
 *
 * <p>Detection follows the first bytes, as CoreFoundation does: {@code bplist} means binary, a
 * {@code <} after an optional byte-order mark and whitespace means XML, and anything else is read
 * as the old-style ASCII (OpenStep, with GNUstep's typed {@code <*I5>} extensions).
 */
public enum InfoPlistFormat {
    /** Apple's XML property list ({@code plutil -convert xml1}). */
    XML,
    /** Apple's binary property list, version 0 ({@code bplist00}). */
    BINARY,
    /** The OpenStep/GNUstep text format ({@code { key = value; }}). */
    ASCII;

    /** Return the format of {@code bytes}; an empty array counts as ASCII. */
    public static InfoPlistFormat detect(byte[] bytes) {
        if (startsWith(bytes, 0, "bplist")) {
            return BINARY;
        }
        if (bytes.length >= 2 && bytes[0] == 0 && bytes[1] == '<') {
            return XML; // UTF-16BE without a byte-order mark
        }
        int i = 0;
        int step = 1;
        int firstCharOffset = 0;
        if (bytes.length >= 3 && (bytes[0] & 0xff) == 0xEF && (bytes[1] & 0xff) == 0xBB && (bytes[2] & 0xff) == 0xBF) {
            i = 3;
        } else if (bytes.length >= 2 && (bytes[0] & 0xff) == 0xFE && (bytes[1] & 0xff) == 0xFF) {
            i = 2;
            step = 2;
            firstCharOffset = 1; // UTF-16BE: the ASCII byte is the second of each pair
        } else if (bytes.length >= 2 && (bytes[0] & 0xff) == 0xFF && (bytes[1] & 0xff) == 0xFE) {
            i = 2;
            step = 2;
        }
        for (; i + firstCharOffset < bytes.length; i += step) {
            int c = bytes[i + firstCharOffset] & 0xff;
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                continue;
            }
            return c == '<' ? XML : ASCII;
        }
        return ASCII;
    }

    private static boolean startsWith(byte[] bytes, int offset, String prefix) {
        if (bytes.length - offset < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (bytes[offset + i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
