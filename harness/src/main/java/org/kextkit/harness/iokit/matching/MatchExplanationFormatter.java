package org.kextkit.harness.iokit.matching;

import java.util.List;

/**
 * Print a {@link MatchExplanation} as plain text for a driver author (what {@code whymatch}
 * prints): a heading naming the nub, then one block per personality, winners first, each with its
 * outcome and one line per key:
 *
 * <pre>
 * Matching for ethernet@1 (IOPCIDevice : IOService) at IOService:/SimMachine/pci@0/ethernet@1, id 0x100000105
 * 2 personalities considered, 1 matched.
 *
 * com.example.driver.FooEthernet "FooEthernet"
 *   matched, score 0 -&gt; 1000, rank 1 of 1 in category IODefaultMatchCategory (starts first)
 *     pass  IOProviderClass  IOPCIDevice: the nub is an IOPCIDevice (IOPCIDevice : IOService)
 *     pass  family matching (IOPCIDevice.matchPropertyTable)  accepted, score 0 -&gt; 1000
 * </pre>
 */
public final class MatchExplanationFormatter {
    private static final int KEY_COLUMN_LIMIT = 24;

    private final boolean showPassingKeys;

    /** Create a formatter that shows every key. */
    public MatchExplanationFormatter() {
        this(true);
    }

    private MatchExplanationFormatter(boolean showPassingKeys) {
        this.showPassingKeys = showPassingKeys;
    }

    /** Return a formatter that shows, under each personality, only the keys that failed. */
    public MatchExplanationFormatter failuresOnly() {
        return new MatchExplanationFormatter(false);
    }

    /** Return the explanation as text, each line ending with a newline. */
    public String format(MatchExplanation explanation) {
        StringBuilder out = new StringBuilder();
        out.append("Matching for ").append(explanation.nubDescription()).append('\n');
        List<MatchExplanation.Entry> entries = explanation.entries();
        long matched = entries.stream().filter(MatchExplanation.Entry::matched).count();
        if (entries.isEmpty()) {
            out.append("No personality in the catalogue names this nub's class or a superclass as IOProviderClass.\n");
            return out.toString();
        }
        out.append(entries.size()).append(entries.size() == 1 ? " personality" : " personalities")
                .append(" considered, ").append(matched).append(" matched.\n");
        for (MatchExplanation.Entry entry : entries) {
            out.append('\n');
            out.append(entry.bundleIdentifier()).append(" \"").append(entry.personalityName()).append("\"\n");
            out.append("  ").append(entry.outcome()).append('\n');
            int width = 0;
            for (MatchExplanation.KeyVerdict verdict : entry.keys()) {
                if (shown(verdict) && verdict.key().length() <= KEY_COLUMN_LIMIT) {
                    width = Math.max(width, verdict.key().length());
                }
            }
            for (MatchExplanation.KeyVerdict verdict : entry.keys()) {
                if (!shown(verdict)) {
                    continue;
                }
                out.append("    ").append(verdict.passed() ? "pass  " : "FAIL  ").append(verdict.key());
                for (int pad = verdict.key().length(); pad < width; pad++) {
                    out.append(' ');
                }
                out.append("  ").append(verdict.detail()).append('\n');
            }
        }
        return out.toString();
    }

    private boolean shown(MatchExplanation.KeyVerdict verdict) {
        return showPassingKeys || !verdict.passed();
    }
}
