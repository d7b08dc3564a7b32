package org.kextkit.harness.cli;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Format the loaded-kext table exactly as kextstat prints it on a 64-bit kernel.
 *
 * <p>A row is {@code %5d %4d %#-18llx %#-10x %#-10x}, the optional architecture column, then
 * {@code id (version) UUID} and {@code <tags>} with the linked-against tags sorted in descending
 * order. As in C's {@code %#x}, zero prints as {@code 0} without the {@code 0x} prefix. Rows are sorted
 * by load tag ({@code -s}: by load address), unknown values first; the kernel (tag 0) is never printed.
 * Instances are immutable; each {@code with...} method returns a configured copy.
 */
public final class KextstatFormatter {
    /** The header line on a 64-bit kernel, without its newline. */
    public static final String HEADER = "Index Refs Address            Size       Wired      Name (Version) UUID <Linked Against>";
    /** The header line with the {@code -a} architecture column, without its newline. */
    public static final String HEADER_WITH_ARCH =
            "Index Refs Address            Size       Wired      Architecture       Name (Version) UUID <Linked Against>";

    private static final String INVALID_SHORT = "??";
    private static final String INVALID_LONG = "????";

    private final boolean showArchitecture;
    private final boolean hideKernelComponents;
    private final boolean printHeader;
    private final boolean sortByLoadAddress;
    private final Set<String> bundleIds;

    /** Create a formatter with kextstat's defaults: header, all kexts, sorted by tag, no architecture. */
    public KextstatFormatter() {
        this(false, false, true, false, Set.of());
    }

    private KextstatFormatter(boolean showArchitecture, boolean hideKernelComponents, boolean printHeader,
                              boolean sortByLoadAddress, Set<String> bundleIds) {
        this.showArchitecture = showArchitecture;
        this.hideKernelComponents = hideKernelComponents;
        this.printHeader = printHeader;
        this.sortByLoadAddress = sortByLoadAddress;
        this.bundleIds = bundleIds;
    }

    /** Return a copy that adds the {@code Architecture} column ({@code -a}). */
    public KextstatFormatter withArchitecture(boolean show) {
        return new KextstatFormatter(show, hideKernelComponents, printHeader, sortByLoadAddress, bundleIds);
    }

    /** Return a copy that hides kernel components unless named by identifier ({@code -k}). */
    public KextstatFormatter withoutKernelComponents(boolean hide) {
        return new KextstatFormatter(showArchitecture, hide, printHeader, sortByLoadAddress, bundleIds);
    }

    /** Return a copy that prints or omits the header line ({@code -l} omits it). */
    public KextstatFormatter withHeader(boolean header) {
        return new KextstatFormatter(showArchitecture, hideKernelComponents, header, sortByLoadAddress, bundleIds);
    }

    /** Return a copy that sorts by load address instead of load tag ({@code -s}). */
    public KextstatFormatter sortedByLoadAddress(boolean byAddress) {
        return new KextstatFormatter(showArchitecture, hideKernelComponents, printHeader, byAddress, bundleIds);
    }

    /** Return a copy that prints only the kexts with these identifiers ({@code -b}); empty means all. */
    public KextstatFormatter onlyBundleIds(Collection<String> ids) {
        return new KextstatFormatter(showArchitecture, hideKernelComponents, printHeader, sortByLoadAddress,
                Set.copyOf(ids));
    }

    /** Return the header line for the current columns, with its newline. */
    public String header() {
        return (showArchitecture ? HEADER_WITH_ARCH : HEADER) + "\n";
    }

    /** Return the whole table for {@code rows}: the header unless omitted, then the selected rows. */
    public String format(Collection<KextstatRow> rows) {
        StringBuilder sb = new StringBuilder();
        if (printHeader) {
            sb.append(header());
        }
        for (KextstatRow row : select(rows)) {
            sb.append(row(row));
        }
        return sb.toString();
    }

    /** Return the rows that would be printed, in print order. */
    public List<KextstatRow> select(Collection<KextstatRow> rows) {
        List<KextstatRow> selected = new ArrayList<>();
        for (KextstatRow row : rows) {
            if (!bundleIds.isEmpty() && (row.bundleId() == null || !bundleIds.contains(row.bundleId()))) {
                continue;
            }
            if (hideKernelComponents && row.kernelComponent() && !bundleIds.contains(row.bundleId())) {
                continue;
            }
            if (row.tag() == 0) {
                continue;
            }
            selected.add(row);
        }
        // kextstat's comparators put unknown values first; List.sort is stable, so ties keep kernel order.
        Comparator<KextstatRow> order = sortByLoadAddress
                ? Comparator.comparing(KextstatRow::address, KextstatFormatter::compareUnknownFirst)
                : Comparator.comparing(r -> (long) r.tag(), KextstatFormatter::compareUnknownFirst);
        selected.sort(order);
        return selected;
    }

    private static int compareUnknownFirst(Long a, Long b) {
        boolean unknownA = a == KextstatRow.UNKNOWN;
        boolean unknownB = b == KextstatRow.UNKNOWN;
        if (unknownA || unknownB) {
            return Boolean.compare(!unknownA, !unknownB);
        }
        return Long.compareUnsigned(a, b);
    }

    /** Return one row with its newline. */
    public String row(KextstatRow row) {
        StringBuilder sb = new StringBuilder();
        sb.append(row.tag() == KextstatRow.UNKNOWN ? String.format("%5s", INVALID_SHORT) : String.format("%5d", row.tag()));
        sb.append(row.refs() == KextstatRow.UNKNOWN ? String.format(" %4s", INVALID_SHORT) : String.format(" %4d", row.refs()));
        sb.append(' ').append(alternateHex(row.address(), 18));
        sb.append(' ').append(alternateHex(row.size(), 10));
        sb.append(' ').append(alternateHex(row.wired(), 10));
        if (showArchitecture) {
            if (row.arch() == null) {
                sb.append(String.format(" %10s/%-7s", INVALID_LONG, INVALID_LONG));
            } else {
                sb.append(String.format(" %-18s", row.arch()));
            }
        }
        sb.append(' ').append(row.bundleId() == null ? INVALID_LONG : row.bundleId());
        sb.append(" (").append(row.version() == null ? INVALID_LONG : row.version()).append(')');
        sb.append(row.uuid() == null ? " no UUID" : " " + row.uuid().toUpperCase(Locale.ROOT));
        if (!row.linkedAgainst().isEmpty()) {
            List<Integer> tags = new ArrayList<>(row.linkedAgainst());
            // Descending, as kextstat's compareNumbers inverts CFNumberCompare; an unknown tag (-1) sorts last.
            tags.sort(Comparator.reverseOrder());
            sb.append(" <");
            for (int i = 0; i < tags.size(); i++) {
                if (i > 0) {
                    sb.append(' ');
                }
                int tag = tags.get(i);
                sb.append(tag == KextstatRow.UNKNOWN ? INVALID_SHORT : Integer.toString(tag));
            }
            sb.append('>');
        }
        sb.append('\n');
        return sb.toString();
    }

    /**
     * Render C's {@code %#-<width>llx}: {@code 0x} plus lower-case hex, left-justified, except that
     * zero prints as a bare {@code 0}; an unknown value prints {@code ????}.
     */
    static String alternateHex(long value, int width) {
        String text;
        if (value == KextstatRow.UNKNOWN) {
            text = INVALID_LONG;
        } else if (value == 0) {
            text = "0";
        } else {
            text = "0x" + Long.toHexString(value);
        }
        return String.format("%-" + width + "s", text);
    }
}
