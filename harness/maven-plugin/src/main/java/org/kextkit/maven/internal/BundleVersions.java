package org.kextkit.maven.internal;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.kextkit.harness.version.KextVersion;
import org.kextkit.harness.version.VersionGrammar;

/**
 * Derive a kext's {@code CFBundleVersion} from a Maven project version.
 *
 * <p>{@code X[.Y[.Z]]} is used as it is; {@code X[.Y[.Z]]-SNAPSHOT} becomes {@code X[.Y[.Z]]d1}, the
 * first development pre-release of that version in Apple's grammar, so a snapshot sorts before the
 * release it leads to, as in Maven. Anything else (qualifiers such as {@code -beta-2} or
 * {@code .Final}, or numbers beyond Apple's limits) has no faithful kext version, and the caller
 * must ask the user to set one.
 */
public final class BundleVersions {
    private static final Pattern NUMERIC = Pattern.compile("(\\d+(?:\\.\\d+){0,2})(-SNAPSHOT)?");

    private BundleVersions() {
    }

    /** Return the kext version for {@code projectVersion}, or empty if it has none. */
    public static Optional<String> fromProjectVersion(String projectVersion) {
        Matcher m = NUMERIC.matcher(projectVersion);
        if (!m.matches()) {
            return Optional.empty();
        }
        String version = m.group(1) + (m.group(2) == null ? "" : "d1");
        return isKextVersion(version) ? Optional.of(version) : Optional.empty();
    }

    /** Return whether {@code version} is a valid {@code CFBundleVersion} in the modern grammar. */
    public static boolean isKextVersion(String version) {
        return KextVersion.parse(version, VersionGrammar.MODERN).isValid();
    }
}
