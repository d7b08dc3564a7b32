package org.kextkit.harness.bundle;

import java.util.List;

/**
 * Find where a value stands in the XML text of an Info.plist. The property-list parser keeps no line
 * numbers, so findings about a plist value (a bundle identifier, a personality's class) locate it in
 * the text the bundle was read from.
 */
public final class InfoPlistText {
    /**
     * Where a key and its string value stand, as 1-based line numbers.
     *
     * @param keyLine the line of the key, or -1 if it was not found
     * @param valueLine the line of the value, or -1 if it was not found
     */
    public record Location(int keyLine, int valueLine) {
        /** Return the value's line, else the key's, else -1. */
        public int bestLine() {
            return valueLine >= 0 ? valueLine : keyLine;
        }
    }

    private InfoPlistText() {
    }

    /**
     * Locate the string {@code value} of the key {@code keyPath}'s last element: each earlier element
     * is a key the search starts after (such as a personality's name), so a key of that name elsewhere
     * is not taken. The value must be within two lines of its key, as in any XML plist.
     */
    public static Location find(List<String> lines, List<String> keyPath, String value) {
        int start = 0;
        for (String key : keyPath.subList(0, keyPath.size() - 1)) {
            for (int i = start; i < lines.size(); i++) {
                if (lines.get(i).contains(keyElement(key))) {
                    start = i;
                    break;
                }
            }
        }
        String lastKey = keyElement(keyPath.get(keyPath.size() - 1));
        String string = "<string>" + value.replace("&", "&amp;").replace("<", "&lt;") + "</string>";
        int firstKey = -1;
        for (int i = start; i < lines.size(); i++) {
            if (!lines.get(i).contains(lastKey)) {
                continue;
            }
            if (firstKey < 0) {
                firstKey = i + 1;
            }
            for (int j = i; j < Math.min(lines.size(), i + 3); j++) {
                if (lines.get(j).contains(string)) {
                    return new Location(i + 1, j + 1);
                }
            }
        }
        return new Location(firstKey, -1);
    }

    private static String keyElement(String key) {
        return "<key>" + key + "</key>";
    }
}
