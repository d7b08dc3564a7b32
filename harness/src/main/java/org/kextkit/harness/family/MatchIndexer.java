package org.kextkit.harness.family;

import java.util.Map;
import java.util.Set;
import org.kextkit.kit.iokit.IOService;

/**
 * Index the personalities of one nub class so that matching a nub looks only at personalities that
 * can match it, instead of every personality with that provider class.
 *
 * <p>Contract: if {@link #personalityKeys} returns a non-empty set for a personality, that
 * personality can only match nubs whose {@link #nubKeys} share at least one key with it. Return an
 * empty set when a personality cannot be indexed (it is then checked against every nub).
 */
public interface MatchIndexer {
    /** Return the index keys of a personality, or an empty set if it cannot be indexed. */
    Set<String> personalityKeys(Map<String, Object> personality);

    /** Return the keys under which a nub's candidate personalities may be filed. */
    Set<String> nubKeys(IOService nub);
}
