package org.kextkit.harness.cli;

import java.nio.file.Path;
import java.util.List;

/**
 * Read kexts from disk for the commands that examine kexts without loading them: kextutil,
 * kextfind, kextlibs, and kextunload (to learn a kext's identifier from its path).
 *
 * <p>The implementation is backed by the bundle reader, validator and resolver; see
 * {@link KextCatalog} for what it must provide.
 */
public interface KextInspector {
    /**
     * Read every kext in {@code searchItems} and return them as one catalog.
     *
     * <p>An item is a {@code .kext} bundle or a repository directory; a repository is scanned for
     * {@code *.kext} directly inside it (not recursively), and every kext read contributes its
     * {@code Contents/PlugIns} kexts. Items that cannot be read are logged at {@link LogLevel#ERROR}
     * through {@code log} (for example {@code Can't open /tmp/Foo.kext - no Info.plist.}) and skipped.
     *
     * @param searchItems absolute paths, in increasing priority (see {@link LoadRequest#searchPaths()})
     * @param arch the architecture whose {@code _<arch>} Info.plist keys apply ({@code x86_64}, {@code arm64})
     * @param log where reading, validation and resolution messages go
     */
    KextCatalog open(List<Path> searchItems, String arch, KextLog log);
}
