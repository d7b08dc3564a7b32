package org.kextkit.maven.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Substitute Maven-style {@code ${name}} expressions in an Info.plist's text.
 *
 * <p>Only {@code ${...}} is touched: Xcode's {@code $(...)} build settings and Ant's {@code @...@}
 * tokens pass through unchanged, since a kext's Info.plist often carries them for other tools. A
 * value is XML-escaped as it goes in, so a project name with {@code &} stays a valid plist. An
 * expression the resolver does not know is left as written and reported, so that the bundle reader
 * names the key that still holds it. {@code $${name}} writes a literal {@code ${name}}.
 */
public final class InfoPlistFilter {
    private final Function<String, Optional<String>> resolver;

    /** A filter that looks each expression's name up with {@code resolver}. */
    public InfoPlistFilter(Function<String, Optional<String>> resolver) {
        this.resolver = Objects.requireNonNull(resolver, "resolver");
    }

    /** The filtered text and the expressions that were left as written, each with its line. */
    public record Result(String text, List<Unresolved> unresolved) {
        /** Copy the list. */
        public Result {
            unresolved = List.copyOf(unresolved);
        }
    }

    /** An expression the resolver did not know, and the 1-based line it is on. */
    public record Unresolved(String expression, int line) {
    }

    /** Filter {@code text}. */
    public Result filter(String text) {
        StringBuilder out = new StringBuilder(text.length());
        List<Unresolved> unresolved = new ArrayList<>();
        int line = 1;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '$' && text.startsWith("$${", i)) {
                int end = text.indexOf('}', i + 3);
                if (end > 0) {
                    out.append(text, i + 1, end + 1);
                    i = end + 1;
                    continue;
                }
            }
            if (c == '$' && text.startsWith("${", i)) {
                int end = closing(text, i + 2);
                if (end > 0) {
                    String name = text.substring(i + 2, end);
                    Optional<String> value = name.isBlank() ? Optional.empty() : resolver.apply(name.strip());
                    if (value.isPresent()) {
                        out.append(escapeXml(value.get()));
                    } else {
                        out.append(text, i, end + 1);
                        unresolved.add(new Unresolved(text.substring(i, end + 1), line));
                    }
                    i = end + 1;
                    continue;
                }
            }
            if (c == '\n') {
                line++;
            }
            out.append(c);
            i++;
        }
        return new Result(out.toString(), unresolved);
    }

    /** Return the index of the '}' closing an expression started before {@code from}, or -1 (none on this line). */
    private static int closing(String text, int from) {
        for (int j = from; j < text.length(); j++) {
            char c = text.charAt(j);
            if (c == '}') {
                return j;
            }
            if (c == '\n' || c == '<' || c == '$' || c == '{') {
                return -1;
            }
        }
        return -1;
    }

    static String escapeXml(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (char c : value.toCharArray()) {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
