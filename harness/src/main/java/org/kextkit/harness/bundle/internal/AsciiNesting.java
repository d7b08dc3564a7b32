package org.kextkit.harness.bundle.internal;

/**
 * Measure how deeply an old-style ASCII property list nests its {@code ( )} and {@code { }} before
 * dd-plist parses it, because dd-plist's ASCII parser recurses once per level and would overflow
 * the stack on hostile input.
 *
 * <p>Quoted strings (with backslash escapes), {@code //} and {@code /* *}{@code /} comments and
 * {@code < >} data are skipped, so brackets inside them do not count.
 */
public final class AsciiNesting {
    private AsciiNesting() {
    }

    /** Return the offset of the first bracket that opens level {@code maxDepth + 1}, or -1. */
    public static int firstOffsetBeyond(PlistText text, int maxDepth) {
        int depth = 0;
        int n = text.length();
        int i = 0;
        while (i < n) {
            char c = text.charAt(i);
            if (c == '"') {
                i++;
                while (i < n && text.charAt(i) != '"') {
                    i += text.charAt(i) == '\\' ? 2 : 1;
                }
                i++;
            } else if (c == '/' && i + 1 < n && text.charAt(i + 1) == '/') {
                while (i < n && text.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '/' && i + 1 < n && text.charAt(i + 1) == '*') {
                int end = text.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            } else if (c == '<') {
                while (i < n && text.charAt(i) != '>') {
                    i++;
                }
                i++;
            } else {
                if (c == '(' || c == '{') {
                    if (++depth > maxDepth) {
                        return i;
                    }
                } else if (c == ')' || c == '}') {
                    depth--;
                }
                i++;
            }
        }
        return -1;
    }
}
