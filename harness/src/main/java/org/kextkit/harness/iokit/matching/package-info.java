/**
 * Driver matching: the catalogue of every known kext's personalities ({@link
 * org.kextkit.harness.iokit.matching.IOCatalogue}), the passive and family matching that turns a
 * registered nub into an ordered list of candidates, and the explanation of why each personality
 * did or did not match a nub ({@link org.kextkit.harness.iokit.matching.MatchExplanation}, printed
 * by {@link org.kextkit.harness.iokit.matching.MatchExplanationFormatter}).
 *
 * <p>Probing, starting and the start-time {@code IOResourceMatch} wait ({@link
 * org.kextkit.harness.iokit.matching.ResourceWait}) belong to the registry, which uses this package
 * through {@link org.kextkit.harness.iokit.matching.DriverCatalogue}.
 */
package org.kextkit.harness.iokit.matching;
