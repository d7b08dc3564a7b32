package org.kextkit.harness.resolve.internal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.kextkit.harness.bundle.KextBundle;

/**
 * Decide whether a kext counts as Apple's for {@code com.apple.kpi.private}: its identifier starts
 * with {@code com.apple.} and its {@code CFBundleGetInfoString} or {@code NSHumanReadableCopyright}
 * holds an Apple copyright notice.
 *
 * <p>A notice is "Copyright", an optional © or (c), one or more years or year ranges separated by
 * commas, then "Apple Inc." or "Apple Computer, Inc." and "All rights reserved" — the shape kxld's
 * check accepts. kextkit is a little more forgiving than kxld about spacing and the letter case of
 * "All rights reserved", because Apple's own plists vary in both.
 */
public final class AppleCopyright {
    private static final String YEARS = "\\d{4}(?:\\s*-\\s*\\d{4})?";
    private static final Pattern NOTICE = Pattern.compile(
            "Copyright\\s*(?:©|\\([cC]\\))?\\s*(" + YEARS + "(?:\\s*,\\s*" + YEARS + ")*)\\s*,?\\s*"
                    + "Apple (?:Inc\\.|Computer, Inc\\.)\\s*All rights reserved",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern RANGE = Pattern.compile("(\\d{4})\\s*-\\s*(\\d{4})");

    private AppleCopyright() {
    }

    /** Return true if {@code text} contains an Apple copyright notice with plausible years. */
    public static boolean isValidNotice(String text) {
        if (text == null) {
            return false;
        }
        Matcher notice = NOTICE.matcher(text);
        while (notice.find()) {
            if (rangesAscend(notice.group(1))) {
                return true;
            }
        }
        return false;
    }

    /** Return true if {@code kext} may link against {@code com.apple.kpi.private}. */
    public static boolean mayUsePrivateKpi(KextBundle kext) {
        String id = kext.identifier();
        return id != null && id.startsWith("com.apple.")
                && (isValidNotice(kext.stringValue("CFBundleGetInfoString"))
                        || isValidNotice(kext.stringValue("NSHumanReadableCopyright")));
    }

    private static boolean rangesAscend(String years) {
        Matcher range = RANGE.matcher(years);
        while (range.find()) {
            if (Integer.parseInt(range.group(1)) > Integer.parseInt(range.group(2))) {
                return false;
            }
        }
        return true;
    }
}
