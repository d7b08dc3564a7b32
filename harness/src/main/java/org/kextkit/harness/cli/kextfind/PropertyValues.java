package org.kextkit.harness.cli.kextfind;

import com.dd.plist.NSArray;
import com.dd.plist.NSData;
import com.dd.plist.NSDictionary;
import com.dd.plist.NSNumber;
import com.dd.plist.NSObject;
import com.dd.plist.NSString;
import java.util.Locale;

/**
 * Compare and render Info.plist values the way kextfind does in {@code -property} matches,
 * {@code -print-property} lines and report cells.
 */
final class PropertyValues {
    private static final int MAX_PRINTED_DATA = 36;
    private static final int BYTE_GROUP = 4;

    private PropertyValues() {
    }

    /**
     * Return true if {@code found} matches {@code query}: strings compare whole (or as a substring,
     * optionally ignoring case; {@code exact} overrides both); numbers compare numerically; booleans
     * match {@code true/yes/1} or {@code false/no/0}; a substring search never matches a number or
     * boolean when asked for on the predicate itself.
     */
    static boolean matches(NSObject found, String query, boolean exact, boolean caseInsensitive, boolean substring,
                           boolean elementSubstring) {
        if (found instanceof NSString) {
            String value = ((NSString) found).getContent();
            if (exact) {
                return value.equals(query);
            }
            if (substring) {
                return caseInsensitive
                        ? value.toLowerCase(Locale.ROOT).contains(query.toLowerCase(Locale.ROOT))
                        : value.contains(query);
            }
            return caseInsensitive ? value.equalsIgnoreCase(query) : value.equals(query);
        }
        if (found instanceof NSNumber) {
            NSNumber number = (NSNumber) found;
            if (elementSubstring) {
                return false;
            }
            if (number.isBoolean()) {
                return number.boolValue()
                        ? query.equals("true") || query.equals("yes") || query.equals("1")
                        : query.equals("false") || query.equals("no") || query.equals("0");
            }
            try {
                if (number.isInteger()) {
                    return number.longValue() == Long.parseLong(query.trim());
                }
                return number.doubleValue() == Double.parseDouble(query.trim());
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return false;
    }

    /**
     * Render {@code key = value} for {@code -print-property}: strings quoted, numbers and booleans
     * bare, data as grouped hex (the first 36 bytes), collections by size.
     */
    static String printed(String key, NSObject value) {
        if (value instanceof NSString) {
            return key + " = \"" + ((NSString) value).getContent() + "\"";
        }
        if (value instanceof NSNumber) {
            return key + " = " + number((NSNumber) value);
        }
        if (value instanceof NSData) {
            byte[] bytes = ((NSData) value).bytes();
            int shown = Math.min(bytes.length, MAX_PRINTED_DATA);
            StringBuilder hex = new StringBuilder();
            for (int i = 0; i < shown; i++) {
                if (i > 0 && i % BYTE_GROUP == 0) {
                    hex.append(' ');
                }
                hex.append(String.format("%02x", bytes[i] & 0xff));
            }
            return key + " = <data (" + bytes.length + " bytes): " + hex + (bytes.length > MAX_PRINTED_DATA ? "..." : "") + ">";
        }
        if (value instanceof NSDictionary) {
            return key + " = <dictionary of " + ((NSDictionary) value).count() + " items>";
        }
        if (value instanceof NSArray) {
            return key + " = <array of " + ((NSArray) value).count() + " items>";
        }
        return key + " = <value of unknown type>";
    }

    /** Render a report cell: strings bare, {@code <null>} for absent, collections and data by size. */
    static String cell(NSObject value) {
        if (value == null) {
            return "<null>";
        }
        if (value instanceof NSString) {
            return ((NSString) value).getContent();
        }
        if (value instanceof NSNumber) {
            NSNumber n = (NSNumber) value;
            return n.isBoolean() ? (n.boolValue() ? "true" : "false") : number(n);
        }
        if (value instanceof NSArray) {
            return "<array of " + ((NSArray) value).count() + ">";
        }
        if (value instanceof NSDictionary) {
            return "<dict of " + ((NSDictionary) value).count() + ">";
        }
        if (value instanceof NSData) {
            return "<data of " + ((NSData) value).bytes().length + ">";
        }
        return "<unknown CF type>";
    }

    private static String number(NSNumber n) {
        if (n.isBoolean()) {
            return n.boolValue() ? "true" : "false";
        }
        return n.isInteger() ? Long.toString(n.longValue()) : Double.toString(n.doubleValue());
    }
}
