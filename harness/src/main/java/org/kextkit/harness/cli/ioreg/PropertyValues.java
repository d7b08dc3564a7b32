package org.kextkit.harness.cli.ioreg;

import java.math.BigInteger;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.kextkit.kit.internal.MetaClassNames;
import org.kextkit.kit.libkern.SInt32;

/**
 * Render property values the way ioreg prints them, from the Java forms of the OS containers that
 * {@code IORegistryEntry} documents.
 *
 * <p>Numbers are {@code OSNumber}s: a value keeps the bits of its Java type (an {@code Integer} of -1
 * is the 32-bit number 0xffffffff) and prints unsigned, in decimal or, with {@code -x}, as
 * {@code 0x} and lower-case hex. Any other object is not serializable; the kernel shows it as the
 * string {@code "<class> is not serializable"}, and so does kextkit.
 */
final class PropertyValues {
    private PropertyValues() {
    }

    /** Return the 64 bits of an integral number property, or {@code null} if {@code value} is not one. */
    static Long numberBits(Object value) {
        if (value instanceof Long || value instanceof AtomicLong) {
            return ((Number) value).longValue();
        }
        if (value instanceof Integer || value instanceof AtomicInteger) {
            return ((Number) value).intValue() & 0xffff_ffffL;
        }
        if (value instanceof Short) {
            return ((Short) value) & 0xffffL;
        }
        if (value instanceof Byte) {
            return ((Byte) value) & 0xffL;
        }
        if (value instanceof SInt32) {
            return ((SInt32) value).value & 0xffff_ffffL;
        }
        if (value instanceof BigInteger) {
            return ((BigInteger) value).longValue();
        }
        return null;
    }

    /** Return the string a non-serializable object stands for. */
    static String notSerializable(Object value) {
        return MetaClassNames.of(value.getClass()) + " is not serializable";
    }

    /** Return ioreg's text for {@code value}: {@code "s"}, {@code 12}, {@code Yes}, {@code <00ff>}, {@code (a,b)}, ... */
    static String text(Object value, boolean hex) {
        StringBuilder sb = new StringBuilder();
        append(sb, value, hex);
        return sb.toString();
    }

    private static void append(StringBuilder sb, Object value, boolean hex) {
        Long bits = numberBits(value);
        if (bits != null) {
            sb.append(hex ? "0x" + Long.toHexString(bits) : Long.toUnsignedString(bits));
        } else if (value instanceof String) {
            sb.append('"').append((String) value).append('"');
        } else if (value instanceof Boolean) {
            sb.append((Boolean) value ? "Yes" : "No");
        } else if (value instanceof byte[]) {
            appendData(sb, (byte[]) value, hex);
        } else if (value instanceof Map) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                append(sb, entry.getKey(), hex);
                sb.append('=');
                append(sb, entry.getValue(), hex);
            }
            sb.append('}');
        } else if (value instanceof Set) {
            appendAll(sb, (Set<?>) value, '[', ']', hex);
        } else if (value instanceof Collection) {
            appendAll(sb, (Collection<?>) value, '(', ')', hex);
        } else if (value instanceof Object[]) {
            appendAll(sb, List.of((Object[]) value), '(', ')', hex);
        } else {
            sb.append('"').append(notSerializable(value)).append('"');
        }
    }

    private static void appendAll(StringBuilder sb, Collection<?> values, char open, char close, boolean hex) {
        sb.append(open);
        boolean first = true;
        for (Object element : values) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            append(sb, element, hex);
        }
        sb.append(close);
    }

    /**
     * Append data as {@code <"text">} when it is one or more printable strings, each ended by one NUL
     * (the last may lack it), with at least 80% of characters plain ASCII; otherwise, or with
     * {@code -x}, or for a single byte, as {@code <hex>}. Several strings print as {@code <"a","b">}.
     */
    static void appendData(StringBuilder sb, byte[] bytes, boolean hex) {
        sb.append('<');
        if (!hex && looksLikeText(bytes)) {
            boolean quoted = false;
            for (int i = 0; i < bytes.length; i++) {
                int b = bytes[i] & 0xff;
                if (b != 0) {
                    if (!quoted) {
                        sb.append(i == 0 ? "\"" : ",\"");
                        quoted = true;
                    }
                    sb.append((char) b);
                } else if (quoted) {
                    sb.append('"');
                    quoted = false;
                } else {
                    break;
                }
            }
            if (quoted) {
                sb.append('"');
            }
        } else {
            for (byte b : bytes) {
                sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
            }
        }
        sb.append('>');
    }

    private static boolean looksLikeText(byte[] bytes) {
        if (bytes.length <= 1) {
            return false;
        }
        int plain = 0;
        int high = 0;
        int i = 0;
        while (i < bytes.length) {
            if (bytes[i] == 0) {
                // a NUL where a string should start: padding or binary, either way not text
                return false;
            }
            while (i < bytes.length) {
                int b = bytes[i] & 0xff;
                if (b >= 0x20 && b <= 0x7e) {
                    plain++;
                } else if (b >= 0x80 && b <= 0xfe) {
                    high++;
                } else {
                    break;
                }
                i++;
            }
            if (i < bytes.length && bytes[i] == 0) {
                i++; // the string's terminator; the next string (if any) starts after it
            } else if (i < bytes.length) {
                return false; // an unprintable byte inside a string
            }
        }
        return plain > 0 && (plain >> 2) >= high;
    }
}
