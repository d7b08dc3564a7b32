package org.kextkit.harness.cli.ioreg;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Print live-instance counts the way {@code ioclasscount} does.
 *
 * <p>With no class named, every known class prints as {@code Class = N}, one a line, sorted by name
 * ignoring case. With classes named, they print on one line in the order given, separated by
 * {@code ", "}: {@code IOService = 412, IOPCIDevice = 37}; a class the kernel does not know prints
 * {@code Name = <no such class>}.
 */
public final class ClassCountFormatter {
    /** What an unknown class's count reads as. */
    public static final String NO_SUCH_CLASS = "<no such class>";

    private static final Comparator<String> BY_NAME =
            String.CASE_INSENSITIVE_ORDER.thenComparing(Comparator.naturalOrder());

    private ClassCountFormatter() {
    }

    /** Return every class of {@code counts} with its count, one a line, sorted by name ignoring case. */
    public static String format(Map<String, Integer> counts) {
        return format(counts, List.of());
    }

    /**
     * Return the counts of {@code classes} on one line in the given order, or of every class (as
     * {@link #format(Map)}) when {@code classes} is empty.
     *
     * @param counts live instances by I/O Kit class name, for every class the kernel knows
     */
    public static String format(Map<String, Integer> counts, List<String> classes) {
        StringBuilder sb = new StringBuilder();
        if (classes.isEmpty()) {
            List<String> names = new ArrayList<>(counts.keySet());
            names.sort(BY_NAME);
            for (String name : names) {
                sb.append(name).append(" = ").append(Integer.toUnsignedString(counts.get(name))).append('\n');
            }
            return sb.toString();
        }
        for (int i = 0; i < classes.size(); i++) {
            String name = classes.get(i);
            Integer count = counts.get(name);
            sb.append(name).append(" = ").append(count == null ? NO_SUCH_CLASS : Integer.toUnsignedString(count));
            sb.append(i + 1 < classes.size() ? ", " : "\n");
        }
        return sb.toString();
    }
}
