package org.kextkit.harness.check;

import java.util.Locale;
import java.util.Objects;

/**
 * A decision, with its written reason, that findings of one check are known and accepted: all of
 * them, only those of one kext, or only those whose primary site is in one class or one method.
 * Suppressed findings are not dropped; reports list them apart with the reason.
 *
 * <p>Written {@code ID[:KEXT][@CLASS[#METHOD]]=REASON}, for example
 * {@code LCK-HELD:com.example.driver@com.example.Driver#start=the caller releases it in stop}.
 *
 * @param checkId the check id, as in {@link Checks}
 * @param bundleId the kext's bundle identifier, or {@code null} for every kext
 * @param className the binary name of the class of the primary site, or {@code null} for any class;
 *     nested classes of it match too
 * @param methodName the method of the primary site, or {@code null} for any method (only with a class)
 * @param reason why the finding is accepted; never blank
 */
public record Suppression(String checkId, String bundleId, String className, String methodName, String reason) {
    /** The grammar of one suppression, for messages. */
    public static final String GRAMMAR = "ID[:KEXT][@CLASS[#METHOD]]=REASON";
    /** An example suppression, for messages. */
    public static final String EXAMPLE = "LCK-HELD:com.example.driver@com.example.Driver#start=stop releases it";

    /** Check the parts. */
    public Suppression {
        Objects.requireNonNull(checkId, "checkId");
        Objects.requireNonNull(reason, "reason");
        if (reason.isBlank()) {
            throw new IllegalArgumentException("a suppression of " + checkId + " needs a reason");
        }
        if (methodName != null && className == null) {
            throw new IllegalArgumentException("a suppression naming method " + methodName + " must name its class");
        }
    }

    /**
     * Parse one suppression written {@code ID[:KEXT][@CLASS[#METHOD]]=REASON}; white space around the
     * parts is ignored and the id may be in any case.
     *
     * @throws CheckSettingsException naming the entry, what is wrong and what was expected
     */
    public static Suppression parse(String entry) {
        String text = entry.strip();
        int eq = text.indexOf('=');
        if (eq < 0 || text.substring(eq + 1).isBlank()) {
            throw new CheckSettingsException(entry, "suppression \"" + text + "\" has no reason: expected " + GRAMMAR
                    + ", such as " + EXAMPLE + " (every suppression says why it is acceptable)");
        }
        String pattern = text.substring(0, eq).strip();
        String reason = text.substring(eq + 1).strip();
        String where = null;
        int at = pattern.indexOf('@');
        if (at >= 0) {
            where = pattern.substring(at + 1).strip();
            pattern = pattern.substring(0, at).strip();
        }
        String kext = null;
        int colon = pattern.indexOf(':');
        if (colon >= 0) {
            kext = pattern.substring(colon + 1).strip();
            pattern = pattern.substring(0, colon).strip();
            if (kext.isEmpty() || !kext.matches("[A-Za-z0-9_.-]+")) {
                throw malformed(entry, text, "a bundle identifier such as com.example.driver after ':'",
                        kext.isEmpty() ? "nothing" : "\"" + kext + "\"");
            }
        }
        String id = Checks.canonicalId(pattern, entry);
        String cls = null;
        String method = null;
        if (where != null) {
            int hash = where.indexOf('#');
            cls = hash >= 0 ? where.substring(0, hash).strip() : where;
            if (hash >= 0) {
                method = where.substring(hash + 1).strip();
                if (!method.matches("[\\p{javaJavaIdentifierStart}<][\\p{javaJavaIdentifierPart}>]*")) {
                    throw malformed(entry, text, "a method name such as start after '#'",
                            method.isEmpty() ? "nothing" : "\"" + method + "\"");
                }
            }
            if (!cls.matches("[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}.$]*")) {
                throw malformed(entry, text, "a class name such as com.example.Driver after '@'",
                        cls.isEmpty() ? "nothing" : "\"" + cls + "\"");
            }
        }
        return new Suppression(id, kext, cls, method, reason);
    }

    private static CheckSettingsException malformed(String entry, String text, String expected, String found) {
        return new CheckSettingsException(entry, "suppression \"" + text + "\" is malformed: expected " + expected
                + " (" + GRAMMAR + "), found " + found);
    }

    /** Return true if this suppression covers {@code finding}. */
    public boolean matches(Finding finding) {
        if (!checkId.equals(finding.checkId())) {
            return false;
        }
        if (bundleId != null && !bundleId.equals(finding.bundleId())) {
            return false;
        }
        if (className == null) {
            return true;
        }
        CodeSite site = finding.primarySite();
        if (site == null) {
            return false;
        }
        String cls = site.className();
        if (!cls.equals(className) && !cls.startsWith(className + "$")) {
            return false;
        }
        return methodName == null || methodName.equals(site.methodName());
    }

    /** Return what this suppression covers, {@code ID[:KEXT][@CLASS[#METHOD]]}, without the reason. */
    public String pattern() {
        StringBuilder sb = new StringBuilder(checkId);
        if (bundleId != null) {
            sb.append(':').append(bundleId);
        }
        if (className != null) {
            sb.append('@').append(className);
            if (methodName != null) {
                sb.append('#').append(methodName);
            }
        }
        return sb.toString();
    }

    /** Return the suppression as it is written, {@code pattern=reason}. */
    @Override
    public String toString() {
        return pattern() + "=" + reason;
    }

    static String upper(String s) {
        return s.toUpperCase(Locale.ROOT);
    }
}
