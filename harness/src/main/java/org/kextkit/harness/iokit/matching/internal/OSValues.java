package org.kextkit.harness.iokit.matching.internal;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Equality, hashing, copying and printing of property values in their Java form (String, Number,
 * Boolean, byte[], List, Set, Map), the way the OS container classes compare them with
 * {@code isEqualTo}: numbers by value whatever their width, data by content, containers deeply,
 * and a string equal to data holding its bytes (with or without one trailing NUL).
 */
public final class OSValues {
    private OSValues() {
    }

    /** Return true if {@code value} is an integer number (an {@code OSNumber}). */
    public static boolean isInteger(Object value) {
        return value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte
                || value instanceof BigInteger;
    }

    /** Return true if {@code a} and {@code b} are equal as {@code OSObject::isEqualTo} decides. */
    public static boolean isEqualTo(Object a, Object b) {
        if (a == b) {
            return true;
        }
        if (a == null || b == null) {
            return false;
        }
        if (isInteger(a) && isInteger(b)) {
            return ((Number) a).longValue() == ((Number) b).longValue();
        }
        if (a instanceof byte[] && b instanceof byte[]) {
            return Arrays.equals((byte[]) a, (byte[]) b);
        }
        if (a instanceof String && b instanceof byte[]) {
            return stringEqualsData((String) a, (byte[]) b);
        }
        if (a instanceof byte[] && b instanceof String) {
            return stringEqualsData((String) b, (byte[]) a);
        }
        if (a instanceof Map && b instanceof Map) {
            Map<?, ?> ma = (Map<?, ?>) a;
            Map<?, ?> mb = (Map<?, ?>) b;
            if (ma.size() != mb.size()) {
                return false;
            }
            for (Map.Entry<?, ?> e : ma.entrySet()) {
                if (!isEqualTo(e.getValue(), mb.get(e.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof List && b instanceof List) {
            List<?> la = (List<?>) a;
            List<?> lb = (List<?>) b;
            if (la.size() != lb.size()) {
                return false;
            }
            Iterator<?> ib = lb.iterator();
            for (Object x : la) {
                if (!isEqualTo(x, ib.next())) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Set && b instanceof Set) {
            Set<?> sa = (Set<?>) a;
            Set<?> sb = (Set<?>) b;
            if (sa.size() != sb.size()) {
                return false;
            }
            outer:
            for (Object x : sa) {
                for (Object y : sb) {
                    if (isEqualTo(x, y)) {
                        continue outer;
                    }
                }
                return false;
            }
            return true;
        }
        return a.equals(b);
    }

    // OSString::isEqualTo(OSData): the data may carry the string's terminating NUL
    private static boolean stringEqualsData(String s, byte[] data) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        int length = data.length;
        if (length == bytes.length + 1 && data[length - 1] == 0) {
            length--;
        }
        return length == bytes.length && Arrays.equals(bytes, 0, length, data, 0, length);
    }

    /** Return a hash consistent with {@link #isEqualTo}. */
    public static int hash(Object value) {
        if (value == null) {
            return 0;
        }
        if (isInteger(value)) {
            return Long.hashCode(((Number) value).longValue());
        }
        if (value instanceof String) {
            return dataHash(((String) value).getBytes(StandardCharsets.UTF_8), -1);
        }
        if (value instanceof byte[]) {
            byte[] data = (byte[]) value;
            int length = data.length > 0 && data[data.length - 1] == 0 ? data.length - 1 : data.length;
            return dataHash(data, length);
        }
        if (value instanceof Map) {
            int h = 0x6d;
            for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                h += Objects.hashCode(e.getKey()) ^ hash(e.getValue());
            }
            return h;
        }
        if (value instanceof List) {
            int h = 1;
            for (Object x : (List<?>) value) {
                h = 31 * h + hash(x);
            }
            return h;
        }
        if (value instanceof Set) {
            int h = 0x5e;
            for (Object x : (Set<?>) value) {
                h += hash(x);
            }
            return h;
        }
        return value.hashCode();
    }

    private static int dataHash(byte[] data, int length) {
        int end = length < 0 ? data.length : length;
        int h = 1;
        for (int i = 0; i < end; i++) {
            h = 31 * h + data[i];
        }
        return h;
    }

    /** Return a deep, unmodifiable copy of a property value (containers copied, leaves shared; data cloned). */
    public static Object frozenCopy(Object value) {
        if (value instanceof Map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                copy.put(String.valueOf(e.getKey()), frozenCopy(e.getValue()));
            }
            return Collections.unmodifiableMap(copy);
        }
        if (value instanceof List) {
            List<Object> copy = new ArrayList<>();
            for (Object x : (List<?>) value) {
                copy.add(frozenCopy(x));
            }
            return Collections.unmodifiableList(copy);
        }
        if (value instanceof Set) {
            Set<Object> copy = new LinkedHashSet<>();
            for (Object x : (Set<?>) value) {
                copy.add(frozenCopy(x));
            }
            return Collections.unmodifiableSet(copy);
        }
        if (value instanceof byte[]) {
            return ((byte[]) value).clone();
        }
        return value;
    }

    /** Return a deep copy whose containers can be changed: the table a driver is initialised with. */
    public static Object mutableCopy(Object value) {
        if (value instanceof Map) {
            return mutableTable((Map<?, ?>) value);
        }
        if (value instanceof List) {
            List<Object> copy = new ArrayList<>(((List<?>) value).size());
            for (Object x : (List<?>) value) {
                copy.add(mutableCopy(x));
            }
            return copy;
        }
        if (value instanceof Set) {
            Set<Object> copy = new LinkedHashSet<>();
            for (Object x : (Set<?>) value) {
                copy.add(mutableCopy(x));
            }
            return copy;
        }
        if (value instanceof byte[]) {
            return ((byte[]) value).clone();
        }
        return value;
    }

    /** Return a deep mutable copy of a dictionary, in its order. */
    public static Map<String, Object> mutableTable(Map<?, ?> table) {
        Map<String, Object> copy = new LinkedHashMap<>(Math.max(16, table.size() * 2));
        for (Map.Entry<?, ?> e : table.entrySet()) {
            copy.put(String.valueOf(e.getKey()), mutableCopy(e.getValue()));
        }
        return copy;
    }

    /** Return the type of a value the way a plist names it: "a string", "an integer", "a dictionary", ... */
    public static String typeName(Object value) {
        if (value == null) {
            return "nothing";
        }
        if (value instanceof String) {
            return "a string";
        }
        if (isInteger(value)) {
            return "an integer";
        }
        if (value instanceof Number) {
            return "a real";
        }
        if (value instanceof Boolean) {
            return "a boolean";
        }
        if (value instanceof byte[]) {
            return "data";
        }
        if (value instanceof Map) {
            return "a dictionary";
        }
        if (value instanceof List) {
            return "an array";
        }
        if (value instanceof Set) {
            return "a set";
        }
        if (value instanceof Collection) {
            return "a collection";
        }
        return "a " + value.getClass().getSimpleName();
    }

    /** Return the type and value, for messages: {@code the string "1000"}, {@code the integer 5}. */
    public static String typeAndValue(Object value) {
        String type = typeName(value);
        String article = type.startsWith("an ") ? "an " : type.startsWith("a ") ? "a " : "";
        return "the " + type.substring(article.length()) + " " + describe(value);
    }

    /**
     * Print a value compactly, close to ioreg's notation: strings quoted, numbers in decimal (and hex
     * when large), data in angle brackets, arrays in parentheses, dictionaries in braces.
     */
    public static String describe(Object value) {
        StringBuilder out = new StringBuilder();
        describe(value, out);
        return out.toString();
    }

    private static void describe(Object value, StringBuilder out) {
        if (value == null) {
            out.append("(none)");
        } else if (value instanceof String) {
            out.append('"').append(value).append('"');
        } else if (isInteger(value)) {
            long n = ((Number) value).longValue();
            out.append(n);
            if (n > 9 || n < -9) {
                out.append(" (0x").append(Long.toHexString(n)).append(')');
            }
        } else if (value instanceof Boolean) {
            out.append(((Boolean) value) ? "Yes" : "No");
        } else if (value instanceof byte[]) {
            byte[] data = (byte[]) value;
            out.append('<');
            for (byte b : data) {
                out.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
            }
            out.append('>');
            String text = printable(data);
            if (text != null) {
                out.append(" (\"").append(text).append("\")");
            }
        } else if (value instanceof Map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                out.append(first ? "" : ", ").append('"').append(e.getKey()).append("\"=");
                describe(e.getValue(), out);
                first = false;
            }
            out.append('}');
        } else if (value instanceof Collection) {
            out.append('(');
            boolean first = true;
            for (Object x : (Collection<?>) value) {
                out.append(first ? "" : ", ");
                describe(x, out);
                first = false;
            }
            out.append(')');
        } else {
            out.append(value);
        }
    }

    // device-tree data is usually NUL-separated strings; show it as text when it is
    private static String printable(byte[] data) {
        if (data.length == 0) {
            return null;
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < data.length; i++) {
            int c = data[i] & 0xff;
            if (c == 0) {
                if (i != data.length - 1) {
                    text.append("\\0");
                }
            } else if (c >= 0x20 && c < 0x7f) {
                text.append((char) c);
            } else {
                return null;
            }
        }
        return text.toString();
    }
}
