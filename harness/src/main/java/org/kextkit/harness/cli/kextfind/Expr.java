package org.kextkit.harness.cli.kextfind;

import org.kextkit.harness.bundle.KextBundle;

/**
 * Evaluate one node of a kextfind query for one kext; commands print and evaluate to true.
 */
interface Expr {
    boolean evaluate(KextBundle kext, Evaluation evaluation);

    /** Evaluate the right side only if the left is true. */
    record And(Expr left, Expr right) implements Expr {
        @Override
        public boolean evaluate(KextBundle kext, Evaluation evaluation) {
            return left.evaluate(kext, evaluation) && right.evaluate(kext, evaluation);
        }
    }

    /** Evaluate the right side only if the left is false. */
    record Or(Expr left, Expr right) implements Expr {
        @Override
        public boolean evaluate(KextBundle kext, Evaluation evaluation) {
            return left.evaluate(kext, evaluation) || right.evaluate(kext, evaluation);
        }
    }

    /** Negate. */
    record Not(Expr operand) implements Expr {
        @Override
        public boolean evaluate(KextBundle kext, Evaluation evaluation) {
            return !operand.evaluate(kext, evaluation);
        }
    }

    /** Test a yes/no fact. */
    record FlagTest(Flag flag) implements Expr {
        @Override
        public boolean evaluate(KextBundle kext, Evaluation evaluation) {
            return evaluation.flag(kext, flag);
        }
    }

    /** Never match; what {@code -integrity} has done since integrity states were retired. */
    record Never() implements Expr {
        @Override
        public boolean evaluate(KextBundle kext, Evaluation evaluation) {
            return false;
        }
    }
}
