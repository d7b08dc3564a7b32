package org.kextkit.harness.cli.ioreg;

import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Write a property list as the XML that Core Foundation writes and {@code ioreg -a} prints: tab
 * indentation, dictionary keys sorted, {@code <dict/>} and {@code <array/>} when empty, data in
 * base-64 lines of at most 76 columns counting the indentation (which stops growing at 8 tabs).
 *
 * <p>Plists have no sets: a set is written as an array. A value of any other type is written as the
 * string the kernel serializes it to ({@code "<class> is not serializable"}).
 */
final class PlistXml {
    private static final String HEADER = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n"
            + "<plist version=\"1.0\">\n";
    private static final int DATA_LINE = 76;
    private static final int MAX_DATA_INDENT = 8;

    private PlistXml() {
    }

    /** Return the whole document for {@code root}. */
    static String document(Object root) {
        StringBuilder sb = new StringBuilder(HEADER);
        append(sb, root, 0);
        sb.append("</plist>\n");
        return sb.toString();
    }

    private static void append(StringBuilder sb, Object value, int indent) {
        tabs(sb, indent);
        Long bits = PropertyValues.numberBits(value);
        if (bits != null) {
            sb.append("<integer>").append(bits).append("</integer>\n");
        } else if (value instanceof String) {
            sb.append("<string>");
            escape(sb, (String) value);
            sb.append("</string>\n");
        } else if (value instanceof Boolean) {
            sb.append((Boolean) value ? "<true/>\n" : "<false/>\n");
        } else if (value instanceof byte[]) {
            sb.append("<data>\n");
            appendBase64(sb, (byte[]) value, Math.min(indent, MAX_DATA_INDENT));
            tabs(sb, indent);
            sb.append("</data>\n");
        } else if (value instanceof Map) {
            Map<String, Object> sorted = new TreeMap<>();
            ((Map<?, ?>) value).forEach((k, v) -> sorted.put(String.valueOf(k), v));
            if (sorted.isEmpty()) {
                sb.append("<dict/>\n");
                return;
            }
            sb.append("<dict>\n");
            for (Map.Entry<String, Object> entry : sorted.entrySet()) {
                tabs(sb, indent + 1);
                sb.append("<key>");
                escape(sb, entry.getKey());
                sb.append("</key>\n");
                append(sb, entry.getValue(), indent + 1);
            }
            tabs(sb, indent);
            sb.append("</dict>\n");
        } else if (value instanceof Collection || value instanceof Object[]) {
            List<?> elements = value instanceof Object[] ? List.of((Object[]) value) : new ArrayList<>((Collection<?>) value);
            if (elements.isEmpty()) {
                sb.append("<array/>\n");
                return;
            }
            sb.append("<array>\n");
            for (Object element : elements) {
                append(sb, element, indent + 1);
            }
            tabs(sb, indent);
            sb.append("</array>\n");
        } else {
            sb.append("<string>");
            escape(sb, PropertyValues.notSerializable(value));
            sb.append("</string>\n");
        }
    }

    /**
     * Append base-64 lines: a line ends once it holds {@code 76 - 8 * indent} characters or more,
     * checked after each input byte (one byte adds one or two characters), as Core Foundation does.
     */
    private static void appendBase64(StringBuilder sb, byte[] bytes, int indent) {
        String encoded = Base64.getEncoder().encodeToString(bytes);
        int limit = DATA_LINE - 8 * indent;
        StringBuilder line = new StringBuilder();
        int next = 0;
        for (int i = 0; i < bytes.length; i++) {
            int count = i % 3 == 2 ? 2 : 1;
            line.append(encoded, next, next + count);
            next += count;
            if (line.length() >= limit) {
                tabs(sb, indent);
                sb.append(line).append('\n');
                line.setLength(0);
            }
        }
        line.append(encoded, next, encoded.length()); // the last partial group and its padding
        if (line.length() > 0) {
            tabs(sb, indent);
            sb.append(line).append('\n');
        }
    }

    private static void tabs(StringBuilder sb, int count) {
        for (int i = 0; i < count; i++) {
            sb.append('\t');
        }
    }

    private static void escape(StringBuilder sb, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                default -> sb.append(c);
            }
        }
    }
}
