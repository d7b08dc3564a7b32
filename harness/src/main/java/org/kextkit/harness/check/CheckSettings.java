package org.kextkit.harness.check;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which checks run and which of their findings are accepted: the disabled check ids and the
 * suppressions, each with its reason. Immutable; {@link #defaults()} enables every check and
 * suppresses nothing.
 *
 * <p>Configuration sets these with {@code kextkit.checks.disable} and {@code kextkit.checks.suppress};
 * kextutil adds {@code --disable-check} and {@code --suppress} (see docs/checks.md).
 */
public final class CheckSettings {
    /** The separator between suppressions in {@code kextkit.checks.suppress}. */
    public static final char SUPPRESSION_SEPARATOR = ';';

    private static final CheckSettings DEFAULTS = new CheckSettings(Set.of(), List.of());

    private final Set<String> disabled;
    private final List<Suppression> suppressions;

    private CheckSettings(Collection<String> disabled, List<Suppression> suppressions) {
        this.disabled = Collections.unmodifiableSet(new LinkedHashSet<>(disabled));
        this.suppressions = List.copyOf(suppressions);
    }

    /** Return the settings that enable every check and suppress nothing. */
    public static CheckSettings defaults() {
        return DEFAULTS;
    }

    /**
     * Return settings disabling {@code disabledIds} and applying {@code suppressions}.
     *
     * @throws CheckSettingsException if an id is not a check id
     */
    public static CheckSettings of(Collection<String> disabledIds, List<Suppression> suppressions) {
        List<String> ids = new ArrayList<>();
        for (String id : disabledIds) {
            ids.add(Checks.canonicalId(id, id));
        }
        return new CheckSettings(ids, suppressions);
    }

    /**
     * Parse {@code kextkit.checks.disable}: check ids separated by commas (white space and empty items
     * are ignored).
     *
     * @throws CheckSettingsException naming the first unknown id and its near matches
     */
    public static Set<String> parseDisabled(String text) {
        Set<String> out = new LinkedHashSet<>();
        for (String part : text.split(",")) {
            if (!part.isBlank()) {
                out.add(Checks.canonicalId(part, part));
            }
        }
        return out;
    }

    /**
     * Parse {@code kextkit.checks.suppress}: suppressions {@code ID[:KEXT][@CLASS[#METHOD]]=REASON}
     * separated by semicolons (so that reasons may contain commas).
     *
     * @throws CheckSettingsException naming the first bad entry and what was expected
     */
    public static List<Suppression> parseSuppressions(String text) {
        List<Suppression> out = new ArrayList<>();
        for (String part : text.split(String.valueOf(SUPPRESSION_SEPARATOR))) {
            if (!part.isBlank()) {
                out.add(Suppression.parse(part));
            }
        }
        return out;
    }

    /** Return true unless the check {@code checkId} is disabled. Checks may skip their work when false. */
    public boolean isEnabled(String checkId) {
        return !disabled.contains(checkId);
    }

    /** Return the disabled check ids, in the order they were given. */
    public Set<String> disabled() {
        return disabled;
    }

    /** Return the suppressions, in the order they were given. */
    public List<Suppression> suppressions() {
        return suppressions;
    }

    /** Return the first suppression that covers {@code finding}, if any. */
    public Optional<Suppression> suppressionFor(Finding finding) {
        for (Suppression s : suppressions) {
            if (s.matches(finding)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /** Return settings that disable and suppress what these do and what {@code more} does. */
    public CheckSettings plus(CheckSettings more) {
        Set<String> ids = new LinkedHashSet<>(disabled);
        ids.addAll(more.disabled);
        List<Suppression> all = new ArrayList<>(suppressions);
        for (Suppression s : more.suppressions) {
            if (!all.contains(s)) {
                all.add(s);
            }
        }
        return new CheckSettings(ids, all);
    }

    /** Return the disabled ids as {@code kextkit.checks.disable} writes them. */
    public String disabledText() {
        return String.join(",", disabled);
    }

    /** Return the suppressions as {@code kextkit.checks.suppress} writes them. */
    public String suppressionsText() {
        StringBuilder sb = new StringBuilder();
        for (Suppression s : suppressions) {
            if (sb.length() > 0) {
                sb.append(SUPPRESSION_SEPARATOR);
            }
            sb.append(s);
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CheckSettings other && disabled.equals(other.disabled) && suppressions.equals(other.suppressions);
    }

    @Override
    public int hashCode() {
        return disabled.hashCode() * 31 + suppressions.hashCode();
    }

    @Override
    public String toString() {
        return "disabled [" + disabledText() + "], suppressed [" + suppressionsText() + "]";
    }
}
