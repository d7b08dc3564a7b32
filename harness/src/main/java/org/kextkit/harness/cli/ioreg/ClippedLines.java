package org.kextkit.harness.cli.ioreg;

/**
 * Collect ioreg's output line by line, clipping each line to a width as ioreg does: a line of
 * {@code width} characters or more keeps its first {@code width - 1} and ends with {@code $}, so no
 * line is longer than the width. While clipping, newlines inside a value become spaces, keeping one
 * object or property a line. Terminal attributes (bold) take no columns.
 */
final class ClippedLines {
    private final StringBuilder out = new StringBuilder();
    private final int width;
    private int used;
    private boolean clipped;

    /** Collect lines clipped to {@code width}; 0 is unlimited. */
    ClippedLines(int width) {
        this.width = width;
    }

    /** Append text to the current line. */
    ClippedLines print(String text) {
        if (width == 0) {
            out.append(text);
            return this;
        }
        int room = width - 1 - used;
        int shown = Math.min(text.length(), room);
        out.append(text, 0, shown);
        for (int i = out.length() - shown; i < out.length(); i++) {
            if (out.charAt(i) == '\n') {
                out.setCharAt(i, ' ');
            }
        }
        used += shown;
        if (text.length() > room) {
            clipped = true;
        }
        return this;
    }

    /** Append a terminal control sequence, which takes no columns and is never clipped. */
    ClippedLines control(String sequence) {
        out.append(sequence);
        return this;
    }

    /** Append text and end the line. */
    ClippedLines println(String text) {
        print(text);
        if (clipped) {
            out.append('$');
        }
        out.append('\n');
        used = 0;
        clipped = false;
        return this;
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
