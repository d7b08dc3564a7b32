package org.kextkit.harness.cli.kextfind;

import com.dd.plist.NSDictionary;
import com.dd.plist.NSObject;
import java.util.Locale;
import org.kextkit.harness.bundle.KextBundle;
import org.kextkit.harness.version.Compatibility;
import org.kextkit.harness.version.KextVersion;

/**
 * Hold kextfind's predicates that take arguments: property and personality matches, bundle names,
 * versions.
 */
final class Predicates {
    private Predicates() {
    }

    /**
     * Match an Info.plist key ({@code -property}, {@code -bundle-id}, the boot shorthands), or the same
     * key in any personality ({@code -match-property}); with {@code value == null}, test existence.
     */
    record Property(String key, String value, boolean inPersonalities, boolean exact, boolean caseInsensitive,
                    boolean substring) implements Expr {
        @Override
        public boolean evaluate(KextBundle kext, Evaluation evaluation) {
            if (!inPersonalities) {
                return test(kext.archValue(key), evaluation);
            }
            for (NSObject personality : kext.personalities().values()) {
                if (personality instanceof NSDictionary && test(((NSDictionary) personality).objectForKey(key), evaluation)) {
                    return true;
                }
            }
            return false;
        }

        private boolean test(NSObject found, Evaluation evaluation) {
            if (found == null) {
                return false;
            }
            if (value == null) {
                return true;
            }
            return PropertyValues.matches(found, value, exact, caseInsensitive || evaluation.caseInsensitive(),
                    substring || evaluation.substring(), substring);
        }
    }

    /** Match the bundle directory's name, such as {@code Foo.kext} ({@code -bundle-name}). */
    record BundleName(String name, boolean caseInsensitive, boolean substring) implements Expr {
        @Override
        public boolean evaluate(KextBundle kext, Evaluation evaluation) {
            String bundleName = String.valueOf(kext.path().getFileName());
            boolean ci = caseInsensitive || evaluation.caseInsensitive();
            if (substring || evaluation.substring()) {
                return ci ? bundleName.toLowerCase(Locale.ROOT).contains(name.toLowerCase(Locale.ROOT))
                        : bundleName.contains(name);
            }
            return ci ? bundleName.equalsIgnoreCase(name) : bundleName.equals(name);
        }
    }

    /** Compare {@code CFBundleVersion} ({@code -version}). */
    record Version(VersionOperator operator, long low, long high) implements Expr {
        @Override
        public boolean evaluate(KextBundle kext, Evaluation evaluation) {
            long v = kext.version().packed();
            switch (operator) {
                case EQUAL:
                    return v == low;
                case NOT_EQUAL:
                    return v != low;
                case GREATER:
                    return v > low;
                case GREATER_OR_EQUAL:
                    return v >= low;
                case LESS:
                    return v < low;
                case LESS_OR_EQUAL:
                    return v <= low;
                default:
                    return v >= low && v <= high;
            }
        }
    }

    /** Test that a library can satisfy a request for a version ({@code -compatible-with-version}). */
    record CompatibleWith(KextVersion requested) implements Expr {
        @Override
        public boolean evaluate(KextBundle kext, Evaluation evaluation) {
            return Compatibility.isCompatible(kext.version(), kext.compatibleVersion(), requested);
        }
    }

    /** The comparison of a {@code -version} argument. */
    enum VersionOperator { EQUAL, NOT_EQUAL, GREATER, GREATER_OR_EQUAL, LESS, LESS_OR_EQUAL, RANGE }
}
