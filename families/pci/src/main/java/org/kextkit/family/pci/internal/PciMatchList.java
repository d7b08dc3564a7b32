package org.kextkit.family.pci.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * One PCI match key's value, parsed the way Apple's family reads it: a list of {@code VALUE[&MASK]}
 * items separated by white space, read until the first item that does not parse.
 *
 * <p>Apple's loop reads one item at a time with {@code strtoul} and stops at the first match or at
 * the first position where no number can be read; items after that position are never looked at.
 * Parsing the whole list up to that position and then testing the items in order gives the same
 * answer, which is what {@link #matches} does.
 *
 * @param key the key the value belongs to
 * @param text the value as written
 * @param items the items read before parsing stopped, in order
 * @param stoppedAt the index where parsing stopped with text left over, or -1 if it read to the end
 * @param problems what a driver author should hear about this value (empty for a clean value)
 */
public record PciMatchList(PciMatchKey key, String text, List<Item> items, int stoppedAt, List<String> problems) {
    /** Copy the lists. */
    public PciMatchList {
        items = List.copyOf(items);
        problems = List.copyOf(problems);
    }

    /**
     * One {@code VALUE[&MASK]} item.
     *
     * @param value the value, truncated to 32 bits as the family stores it
     * @param mask the mask, or the key's default mask when none was written
     * @param text the item as written, for explanations
     */
    public record Item(int value, int mask, String text) {
        /** Return true if this item matches the 32-bit register value {@code register}. */
        public boolean matches(int register) {
            return (value & mask) == (register & mask);
        }
    }

    /** Parse {@code text} as the value of {@code key}. */
    public static PciMatchList parse(PciMatchKey key, String text) {
        List<Item> items = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        int pos = 0;
        int n = text.length();
        int stoppedAt = -1;
        int typoEnd = -1;
        while (true) {
            HexScan value = HexScan.scan(text, pos);
            if (!value.converted()) {
                int rest = pos;
                while (rest < n && HexScan.isSpace(text.charAt(rest))) {
                    rest++;
                }
                if (rest < n) {
                    stoppedAt = rest;
                }
                break;
            }
            int p = value.end();
            // Apple's loop skips only spaces (not tabs) between a value and its '&'.
            while (p < n && text.charAt(p) == ' ') {
                p++;
            }
            int mask;
            int itemEnd;
            String maskProblem = null;
            if (p < n && text.charAt(p) == '&') {
                HexScan m = HexScan.scan(text, p + 1);
                mask = (int) m.value();
                itemEnd = m.converted() ? m.end() : p + 1;
                if (!m.converted()) {
                    maskProblem = "has no hexadecimal digits after '&', so the mask reads as 0";
                } else if (mask == 0 && m.end() < n && (text.charAt(m.end()) == 'x' || text.charAt(m.end()) == 'X')) {
                    typoEnd = m.end();
                    maskProblem = "has the mask '" + text.substring(p + 1, nextSpace(text, p + 1))
                            + "': strtoul stops at its second 'x' (the '0x0x' typo in Apple's header), so the mask reads as 0";
                } else if (mask == 0) {
                    maskProblem = "has the mask 0";
                } else if (m.overflowed() || (m.value() >>> 32) != 0 && m.value() >= 0) {
                    maskProblem = "has a mask wider than 32 bits; only its low 32 bits (0x"
                            + String.format("%08x", mask) + ") are used";
                }
            } else {
                mask = key.defaultMask();
                itemEnd = value.end();
            }
            String itemText = text.substring(skipSpace(text, pos), typoEnd == itemEnd ? nextSpace(text, itemEnd) : itemEnd);
            if (maskProblem != null) {
                problems.add("item '" + itemText + "' " + maskProblem
                        + (mask == 0 ? "; a zero mask matches every device (Apple's family reads it the same way)" : ""));
            }
            if (value.overflowed() || (value.value() >>> 32) != 0 && value.value() >= 0) {
                problems.add("item '" + itemText + "' has a value wider than 32 bits; only its low 32 bits (0x"
                        + String.format("%08x", (int) value.value()) + ") are compared");
            }
            items.add(new Item((int) value.value(), mask, itemText));
            pos = itemEnd;
        }
        // After the '0x0x' typo the stop is part of the same mistake, already reported.
        if (stoppedAt >= 0 && stoppedAt != typoEnd) {
            String rest = text.substring(stoppedAt);
            problems.add("parsing stops at '" + abbreviate(rest) + "' (character " + (stoppedAt + 1)
                    + "): it is not a hexadecimal item, so it and everything after it are ignored, as Apple's family"
                    + " ignores them (separate items with spaces only)");
        }
        if (items.isEmpty()) {
            problems.add(text.isBlank() ? "is empty, so the personality never matches"
                    : "has no item the family can read, so the personality never matches");
        }
        return new PciMatchList(key, text, items, stoppedAt, problems);
    }

    /** Return the first item that matches {@code register}, or {@code null}. */
    public Item firstMatch(int register) {
        for (Item item : items) {
            if (item.matches(register)) {
                return item;
            }
        }
        return null;
    }

    /** Return true if any item matches {@code register}. */
    public boolean matches(int register) {
        return firstMatch(register) != null;
    }

    private static int skipSpace(String text, int pos) {
        while (pos < text.length() && HexScan.isSpace(text.charAt(pos))) {
            pos++;
        }
        return pos;
    }

    private static int nextSpace(String text, int pos) {
        while (pos < text.length() && !HexScan.isSpace(text.charAt(pos))) {
            pos++;
        }
        return pos;
    }

    private static String abbreviate(String rest) {
        return rest.length() <= 24 ? rest : rest.substring(0, 21) + "...";
    }
}
