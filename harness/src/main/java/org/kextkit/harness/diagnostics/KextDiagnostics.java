package org.kextkit.harness.diagnostics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Collect the diagnostics of one kext the way kextutil stores them: per {@link DiagnosticGroup}, a
 * message mapped either to {@code true} (no values) or to a de-duplicated list of values such as key
 * paths or library identifiers, each optionally carrying a note as {@code value - note}.
 *
 * <p>Insertion order is kept so that output is stable. Not thread-safe.
 */
public final class KextDiagnostics {
    private final Map<DiagnosticGroup, Map<String, Set<String>>> groups = new EnumMap<>(DiagnosticGroup.class);

    /** Record a message that carries no values (printed as a bare line). */
    public KextDiagnostics add(DiagnosticGroup group, String message) {
        groups.computeIfAbsent(group, g -> new LinkedHashMap<>()).computeIfAbsent(message, m -> new LinkedHashSet<>());
        return this;
    }

    /** Record a message with one value (a key path, a library identifier, ...). */
    public KextDiagnostics add(DiagnosticGroup group, String message, String value) {
        groups.computeIfAbsent(group, g -> new LinkedHashMap<>())
                .computeIfAbsent(message, m -> new LinkedHashSet<>())
                .add(value);
        return this;
    }

    /** Record a message with a value and an explanatory note, printed as {@code value - note}. */
    public KextDiagnostics add(DiagnosticGroup group, String message, String value, String note) {
        return add(group, message, note == null || note.isEmpty() ? value : value + " - " + note);
    }

    /** Copy every diagnostic of {@code other} into this one. */
    public KextDiagnostics addAll(KextDiagnostics other) {
        other.groups.forEach((group, messages) -> messages.forEach((message, values) -> {
            add(group, message);
            values.forEach(v -> add(group, message, v));
        }));
        return this;
    }

    /**
     * Forget every diagnostic of {@code group}, as Apple's resolver flushes a kext's dependency
     * diagnostics before resolving it again.
     */
    public KextDiagnostics clear(DiagnosticGroup group) {
        groups.remove(group);
        return this;
    }

    /** Forget one message of {@code group} together with its values. */
    public KextDiagnostics remove(DiagnosticGroup group, String message) {
        Map<String, Set<String>> messages = groups.get(group);
        if (messages != null) {
            messages.remove(message);
        }
        return this;
    }

    /** Return true if any diagnostic makes the kext unloadable (validation, authentication, dependencies). */
    public boolean hasFailures() {
        for (DiagnosticGroup group : groups.keySet()) {
            if (group.isFailure() && !groups.get(group).isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /** Return true if there is anything in {@code group}. */
    public boolean has(DiagnosticGroup group) {
        Map<String, Set<String>> messages = groups.get(group);
        return messages != null && !messages.isEmpty();
    }

    /** Return true if {@code group} holds {@code message}. */
    public boolean has(DiagnosticGroup group, String message) {
        Map<String, Set<String>> messages = groups.get(group);
        return messages != null && messages.containsKey(message);
    }

    /** Return true if there is nothing at all. */
    public boolean isEmpty() {
        return groups.values().stream().allMatch(Map::isEmpty);
    }

    /** Return the messages of a group in insertion order (empty if none). */
    public List<String> messages(DiagnosticGroup group) {
        Map<String, Set<String>> messages = groups.get(group);
        return messages == null ? List.of() : List.copyOf(messages.keySet());
    }

    /** Return the values recorded under a message (empty if it has none or is absent). */
    public List<String> values(DiagnosticGroup group, String message) {
        Map<String, Set<String>> messages = groups.get(group);
        if (messages == null || !messages.containsKey(message)) {
            return List.of();
        }
        return List.copyOf(messages.get(message));
    }

    /** Return every group that holds something, in kextutil's order. */
    public Set<DiagnosticGroup> groups() {
        Set<DiagnosticGroup> present = new LinkedHashSet<>();
        for (DiagnosticGroup group : DiagnosticGroup.values()) {
            if (has(group)) {
                present.add(group);
            }
        }
        return Collections.unmodifiableSet(present);
    }

    /**
     * Format the given groups in kextutil's diagnostics style: top-level headings followed by
     * {@code ": "}, nested lines indented four spaces per level, a message without values printed
     * bare, a blank line between groups, nothing quoted.
     */
    public String format(Set<DiagnosticGroup> which) {
        List<String> blocks = new ArrayList<>();
        for (DiagnosticGroup group : DiagnosticGroup.values()) {
            if (!which.contains(group) || !has(group)) {
                continue;
            }
            StringBuilder sb = new StringBuilder();
            sb.append(group.heading()).append(": \n");
            groups.get(group).forEach((message, values) -> {
                if (values.isEmpty()) {
                    sb.append("    ").append(message).append('\n');
                } else {
                    sb.append("    ").append(message).append(": \n");
                    for (String value : values) {
                        sb.append("        ").append(value).append('\n');
                    }
                }
            });
            blocks.add(sb.toString());
        }
        return String.join("\n", blocks);
    }

    /** Format every group. */
    public String format() {
        return format(groups());
    }

    @Override
    public String toString() {
        return format();
    }
}
