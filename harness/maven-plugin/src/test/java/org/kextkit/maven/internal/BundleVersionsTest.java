package org.kextkit.maven.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class BundleVersionsTest {
    @ParameterizedTest
    @CsvSource({"1.2.3, 1.2.3", "1.2.3-SNAPSHOT, 1.2.3d1", "2, 2", "2.1-SNAPSHOT, 2.1d1", "9999.99.99, 9999.99.99"})
    void releaseVersionsPassAndSnapshotsBecomeDevelopmentPreReleases(String project, String kext) {
        assertEquals(Optional.of(kext), BundleVersions.fromProjectVersion(project));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.0.0-beta-2", "1.0.0.Final", "1.2.3.4", "v1.0", "1.0-RC1", "100000.0.0", "-SNAPSHOT", ""})
    void versionsWithoutAKextEquivalentAreRefused(String project) {
        assertEquals(Optional.empty(), BundleVersions.fromProjectVersion(project));
    }

    @Test
    void aSnapshotSortsBeforeItsRelease() {
        assertTrue(org.kextkit.harness.version.KextVersion.parse("1.2.3d1")
                .compareTo(org.kextkit.harness.version.KextVersion.parse("1.2.3")) < 0);
    }

    @Test
    void explicitVersionsAreCheckedAgainstApplesGrammar() {
        assertTrue(BundleVersions.isKextVersion("1.0.2b3"));
        assertFalse(BundleVersions.isKextVersion("1.0-SNAPSHOT"));
    }
}
