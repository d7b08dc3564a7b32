package org.kextkit.harness.bundle.internal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recognise build variables that a build was supposed to substitute: the sign that an Info.plist
 * is a source template rather than the info dictionary of a built kext.
 *
 * <p>Two kinds are recognised. <em>Explicit</em> variables carry their own syntax and are found
 * anywhere in any string: Xcode's {@code $(NAME)}, {@code $(NAME:modifier)}, {@code ${NAME}} and
 * {@code $NAME}, autoconf/kBuild's {@code @NAME@}, Makefile {@code @@NAME@@}, and xnu's
 * {@code ###NAME###}. <em>Bare</em> C-preprocessor macros ({@code IOUSBFAMILY_VERSION}) look like
 * ordinary words, so they are recognised only where a version or an identifier belongs and the
 * whole value is one upper-case word with an underscore: no real version starts with a letter and
 * no real bundle identifier lacks a dot.
 */
public final class TemplateText {
    private static final Pattern EXPLICIT = Pattern.compile(
            "\\$\\([A-Za-z_][^()]*\\)"
            + "|\\$\\{[A-Za-z_][^{}]*\\}"
            + "|\\$[A-Za-z_][A-Za-z0-9_]*"
            + "|@@[A-Za-z_][A-Za-z0-9_]*@@"
            + "|@[A-Za-z_][A-Za-z0-9_]*@"
            + "|#{2,}[A-Za-z_][A-Za-z0-9_]*#{2,}");
    private static final Pattern BARE_MACRO = Pattern.compile("[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+");

    private TemplateText() {
    }

    /** Return the first explicit build variable in {@code text}, or {@code null}. */
    public static String explicitVariable(String text) {
        if (text == null || (text.indexOf('$') < 0 && text.indexOf('@') < 0 && !text.contains("##"))) {
            return null;
        }
        Matcher m = EXPLICIT.matcher(text);
        return m.find() ? m.group() : null;
    }

    /** Return true if the whole of {@code text} is a bare C-preprocessor macro name. */
    public static boolean isBareMacro(String text) {
        return text != null && BARE_MACRO.matcher(text.strip()).matches();
    }
}
