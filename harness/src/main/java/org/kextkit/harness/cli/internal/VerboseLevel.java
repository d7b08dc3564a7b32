package org.kextkit.harness.cli.internal;

import java.util.regex.Pattern;
import org.kextkit.harness.cli.LogLevel;

/**
 * Turn a {@code -v} argument into a log threshold: {@code 0}-{@code 6} as in kext_tools'
 * {@code _sLogSpecsForVerboseLevels}, or a {@code 0x} log spec whose low nibble is the level.
 */
public final class VerboseLevel {
    /** A bare {@code -v}: level 1, basic messages. */
    public static final String BARE = "1";

    private static final Pattern DIGIT = Pattern.compile("[0-6]");
    private static final Pattern HEX = Pattern.compile("0[xX][0-9a-fA-F]+");
    private static final int[] THRESHOLDS = {
        LogLevel.ERROR.value(), LogLevel.BASIC.value(), LogLevel.PROGRESS.value(), LogLevel.STEP.value(),
        LogLevel.DETAIL.value(), LogLevel.DEBUG.value(), LogLevel.DEBUG.value(),
    };

    private VerboseLevel() {
    }

    /** Return true if {@code text} is a level that {@code -v} may take as its argument. */
    public static boolean isLevel(String text) {
        return text != null && (DIGIT.matcher(text).matches() || HEX.matcher(text).matches());
    }

    /** Return true if {@code text} looks like a hex log spec, valid or not. */
    public static boolean looksHex(String text) {
        return text != null && text.length() >= 2 && text.charAt(0) == '0' && (text.charAt(1) == 'x' || text.charAt(1) == 'X');
    }

    /** Return the threshold for a level argument accepted by {@link #isLevel}. */
    public static int threshold(String level) {
        if (DIGIT.matcher(level).matches()) {
            return THRESHOLDS[level.charAt(0) - '0'];
        }
        if (HEX.matcher(level).matches()) {
            long spec = Long.parseLong(level.substring(2), 16);
            return (int) (spec & 0x7);
        }
        throw new IllegalArgumentException("not a verbose level: " + level);
    }
}
