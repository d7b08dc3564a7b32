package org.kextkit.harness.iokit.matching;

import java.util.List;
import java.util.Map;

/**
 * Implemented by nub classes whose family matching ({@code matchPropertyTable}) checks keys of its
 * own (IOPCIDevice: {@code IOPCIMatch}, {@code IOPCIClassMatch}, ...), so that a match explanation
 * can say which family key failed and what it compared, not only that the family said no.
 */
public interface ExplainsFamilyMatch {
    /** Return the verdict on each family key present in {@code table}, in the order the family checks them. */
    List<MatchExplanation.KeyVerdict> explainFamilyMatch(Map<String, Object> table);
}
