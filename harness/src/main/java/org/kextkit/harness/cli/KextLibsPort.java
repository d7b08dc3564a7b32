package org.kextkit.harness.cli;

import java.util.List;
import org.kextkit.harness.bundle.KextBundle;

/**
 * Find the library kexts that define the symbols a kext's executable references, for kextlibs
 * ({@code OSKextFindLinkDependencies}).
 *
 * <p>The implementation is backed by the link checker. A searchable library is a kext in the catalog
 * that is a library and declares an executable; normally only {@code com.apple.kpi.*} libraries are
 * searched, not {@code com.apple.kernel.*}.
 */
public interface KextLibsPort {
    /**
     * Return one result per architecture of the kext's executable, in a stable order; an empty list
     * means the architectures could not be determined.
     *
     * @param catalog the kexts to search (repositories and the kext itself)
     * @param kext the kext whose references are looked up; it declares an executable
     * @param nonKpi search {@code com.apple.kernel.*} instead of the KPIs ({@code -non-kpi})
     * @param allowUnsupported also search {@code com.apple.kpi.unsupported}, {@code com.apple.kpi.private},
     *     {@code com.apple.kpi.dsep} and {@code com.apple.kernel.unsupported} ({@code -unsupported})
     */
    List<ArchLibraries> findLinkDependencies(KextCatalog catalog, KextBundle kext, boolean nonKpi,
                                             boolean allowUnsupported);
}
