package org.kextkit.harness.cli.whymatch;

import java.util.List;
import org.kextkit.harness.iokit.MatchOutcome;
import org.kextkit.harness.iokit.matching.MatchExplanation;
import org.kextkit.harness.iokit.matching.MatchExplanationFormatter;

/**
 * Print what {@code whymatch} answers: the catalogue's explanation of the asked personalities (see
 * {@link MatchExplanationFormatter}), then what the nub's last matching did with each candidate.
 */
final class WhymatchFormatter {
    private WhymatchFormatter() {
    }

    static String format(MatchExplainer.Answer answer, List<MatchExplanation.Entry> entries, String personality) {
        StringBuilder out = new StringBuilder();
        MatchExplanation explanation = answer.report().explanation();
        out.append("Kext: ").append(answer.bundleIdentifier()).append('\n');
        if (entries.isEmpty()) {
            out.append("Nub: ").append(explanation.nubDescription()).append('\n');
            out.append('\n').append(personality != null ? "Personality \"" + personality + "\"" : "No personality of "
                    + answer.bundleIdentifier()).append(" is in the catalogue for this nub");
            out.append(answer.personalities().isEmpty() ? " (the kernel has none of the kext's personalities;"
                    + " load the kext or name its .kext path).\n" : ".\n");
        } else {
            out.append(new MatchExplanationFormatter().format(new MatchExplanation(explanation.nubDescription(), entries)));
        }
        List<MatchOutcome> outcomes = answer.report().lastMatching();
        out.append('\n');
        if (outcomes.isEmpty()) {
            out.append(answer.report().nubMatched()
                    ? "The nub's last matching found no personality that matches it: no driver was probed.\n"
                    : "The nub has not been matched yet (it is not registered, or matching is still running).\n");
            return out.toString();
        }
        out.append("Last matching of the nub:\n");
        for (MatchOutcome o : outcomes) {
            boolean mine = o.bundleIdentifier().equals(answer.bundleIdentifier())
                    && (personality == null || personality.equals(o.personalityName()));
            out.append(mine ? "* " : "  ").append(o.bundleIdentifier()).append(" \"").append(o.personalityName())
                    .append("\" ").append(o.ioClass()).append(" (").append(o.category()).append(", score ")
                    .append(o.score()).append("): ").append(o.result().label()).append(" - ").append(o.detail()).append('\n');
        }
        return out.toString();
    }
}
