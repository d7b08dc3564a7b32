package org.kextkit.harness.version;

import java.util.Objects;

/**
 * Parse, pack, order and format kext version strings ("extended Mac OS 'vers'" format).
 *
 * <p>Grammar: {@code major[.minor[.revision]][stage level][whitespace anything]} with stages
 * {@code d a b f fc}. A version packs into a long ({@code major*10^12 + minor*10^8 + revision*10^4 +
 * stage*10^3 + level} under the modern grammar) and versions compare as those longs, so every
 * pre-release sorts below the release of the same number. {@link #INVALID} is the result of a failed
 * parse; {@link #MISSING} formats as {@code (missing)}.
 */
public final class KextVersion implements Comparable<KextVersion> {
    /** The packed value of an unparseable version string. */
    public static final long INVALID_VALUE = -1;

    /** The result of parsing an invalid string; formats as {@code (invalid)}. */
    public static final KextVersion INVALID = new KextVersion(INVALID_VALUE, VersionGrammar.MODERN, null);
    /** An absent version; formats as {@code (missing)}. */
    public static final KextVersion MISSING = new KextVersion(0, VersionGrammar.MODERN, null);

    private static final int STAGE_DEVELOPMENT = 1;
    private static final int STAGE_ALPHA = 3;
    private static final int STAGE_BETA = 5;
    private static final int STAGE_CANDIDATE = 7;
    private static final int STAGE_RELEASE = 9;
    private static final int MAX_LEVEL = 255;
    private static final int MAX_LEVEL_DIGITS = 3;
    private static final int MAX_MAJOR_DIGITS = 4;

    private final long packed;
    private final VersionGrammar grammar;
    private final String source;

    private KextVersion(long packed, VersionGrammar grammar, String source) {
        this.packed = packed;
        this.grammar = grammar;
        this.source = source;
    }

    /** Parse with the modern (macOS 10.14+) grammar. */
    public static KextVersion parse(String text) {
        return parse(text, VersionGrammar.MODERN);
    }

    /** Parse with the given grammar; never throws: an unparseable string yields an invalid version. */
    public static KextVersion parse(String text, VersionGrammar grammar) {
        long value = pack(text, grammar);
        return new KextVersion(value, grammar, text);
    }

    /** Return the packed value of {@code text}, or {@link #INVALID_VALUE}. */
    public static long pack(String text, VersionGrammar grammar) {
        Objects.requireNonNull(grammar, "grammar");
        if (text == null || text.isEmpty()) {
            return INVALID_VALUE;
        }
        Cursor c = new Cursor(text);
        if (!isAsciiDigit(c.peek())) {
            return INVALID_VALUE;
        }
        long[] components = new long[3];
        int component = 0;
        int maxDigits = MAX_MAJOR_DIGITS;
        while (true) {
            int digits = 0;
            long value = 0;
            while (isAsciiDigit(c.peek())) {
                if (++digits > maxDigits) {
                    return INVALID_VALUE;
                }
                value = value * 10 + (c.next() - '0');
            }
            if (component == 0 && digits == 0) {
                return INVALID_VALUE;
            }
            components[component] = value;
            if (c.peek() == '.') {
                c.next();
                component++;
                if (component > 2) {
                    return INVALID_VALUE; // a third '.'
                }
                maxDigits = grammar.minorRevisionDigits;
                continue;
            }
            break;
        }
        int stage = STAGE_RELEASE;
        long level = 0;
        if (!c.atEndOrWhitespace()) {
            char letter = c.next();
            switch (letter) {
                case 'd': stage = STAGE_DEVELOPMENT; break;
                case 'a': stage = STAGE_ALPHA; break;
                case 'b': stage = STAGE_BETA; break;
                case 'f':
                    stage = STAGE_CANDIDATE;
                    if (c.peek() == 'c') {
                        c.next();
                    }
                    break;
                default:
                    return INVALID_VALUE;
            }
            int digits = 0;
            while (isAsciiDigit(c.peek())) {
                if (++digits > MAX_LEVEL_DIGITS) {
                    return INVALID_VALUE;
                }
                level = level * 10 + (c.next() - '0');
            }
            if (digits == 0 || level > MAX_LEVEL) {
                return INVALID_VALUE;
            }
            if (stage == STAGE_CANDIDATE && level == 0) {
                return INVALID_VALUE;
            }
            if (!c.atEndOrWhitespace()) {
                return INVALID_VALUE;
            }
        }
        return components[0] * grammar.majorMultiplier()
                + components[1] * grammar.minorMultiplier
                + components[2] * grammar.revisionMultiplier
                + stage * 1000L
                + level;
    }

    private static boolean isAsciiDigit(char ch) {
        return ch >= '0' && ch <= '9';
    }

    /** Return true unless this is {@link #INVALID} or {@link #MISSING}. */
    public boolean isValid() {
        return packed > 0;
    }

    /** Return the packed value: negative for invalid, 0 for missing. */
    public long packed() {
        return packed;
    }

    /** Return the string this version was parsed from, or {@code null} for the constants. */
    public String source() {
        return source;
    }

    /** Return the grammar this version was parsed with. */
    public VersionGrammar grammar() {
        return grammar;
    }

    /** Return the major component, or -1 for an invalid version. */
    public int major() {
        return packed <= 0 ? -1 : (int) (packed / grammar.majorMultiplier());
    }

    /** Return the minor component, or -1 for an invalid version. */
    public int minor() {
        return packed <= 0 ? -1 : (int) (packed / grammar.minorMultiplier % (grammar.maxComponent() + 1L));
    }

    /** Return the revision component, or -1 for an invalid version. */
    public int revision() {
        return packed <= 0 ? -1 : (int) (packed / grammar.revisionMultiplier % (grammar.maxComponent() + 1L));
    }

    /**
     * Format canonically, as {@code OSKextVersionGetString} does: always {@code major.minor}, the
     * revision only if non-zero, {@code f} for any candidate stage, the level only for pre-releases;
     * {@code (invalid)} and {@code (missing)} for the special values.
     */
    public String canonical() {
        if (packed < 0) {
            return "(invalid)";
        }
        if (packed == 0) {
            return "(missing)";
        }
        StringBuilder sb = new StringBuilder();
        sb.append(major()).append('.').append(minor());
        if (revision() != 0) {
            sb.append('.').append(revision());
        }
        int stage = (int) (packed / 1000 % 10);
        int level = (int) (packed % 1000);
        switch (stage) {
            case STAGE_DEVELOPMENT: sb.append('d').append(level); break;
            case STAGE_ALPHA: sb.append('a').append(level); break;
            case STAGE_BETA: sb.append('b').append(level); break;
            case STAGE_CANDIDATE: sb.append('f').append(level); break;
            default: break;
        }
        return sb.toString();
    }

    /** Compare packed values: plain integer order, invalid lowest. */
    @Override
    public int compareTo(KextVersion other) {
        return Long.compare(packed, other.packed);
    }

    /** Return true if this version is at or above {@code other}. */
    public boolean isAtLeast(KextVersion other) {
        return packed >= other.packed;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KextVersion && ((KextVersion) o).packed == packed;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(packed);
    }

    /** Return the original string when there is one, else the canonical form. */
    @Override
    public String toString() {
        return source != null && isValid() ? source : canonical();
    }

    private static final class Cursor {
        private final String text;
        private int pos;

        Cursor(String text) {
            this.text = text;
        }

        char peek() {
            return pos < text.length() ? text.charAt(pos) : '\0';
        }

        char next() {
            return text.charAt(pos++);
        }

        boolean atEndOrWhitespace() {
            char ch = peek();
            return pos >= text.length() || ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
        }
    }
}
