package org.kextkit.harness.cli.kextfind;

import java.util.function.BiFunction;
import org.kextkit.harness.bundle.KextBundle;

/**
 * Give one column of a {@code -report}: its heading and its cell for a kext.
 */
interface ReportColumn {
    String heading();

    String cell(KextBundle kext, Evaluation evaluation);

    /** An Info.plist property, headed by its key. */
    record Property(String key) implements ReportColumn {
        @Override
        public String heading() {
            return key;
        }

        @Override
        public String cell(KextBundle kext, Evaluation evaluation) {
            return PropertyValues.cell(kext.archValue(key));
        }
    }

    /** A yes/no fact. */
    record FlagColumn(Flag flag) implements ReportColumn {
        @Override
        public String heading() {
            return flag.reportHeading;
        }

        @Override
        public String cell(KextBundle kext, Evaluation evaluation) {
            return evaluation.flag(kext, flag) ? "yes" : "no";
        }
    }

    /** Any other column, given by its heading and a cell function. */
    record Computed(String heading, BiFunction<KextBundle, Evaluation, String> function)
            implements ReportColumn {
        @Override
        public String cell(KextBundle kext, Evaluation evaluation) {
            return function.apply(kext, evaluation);
        }
    }
}
