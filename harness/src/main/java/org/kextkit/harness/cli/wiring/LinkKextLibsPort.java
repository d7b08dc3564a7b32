package org.kextkit.harness.cli.wiring;

import java.util.ArrayList;
import java.util.List;
import org.kextkit.harness.bundle.KextBundle;
import org.kextkit.harness.cli.ArchLibraries;
import org.kextkit.harness.cli.KextCatalog;
import org.kextkit.harness.cli.KextLibsPort;
import org.kextkit.harness.link.ClassIndex;
import org.kextkit.harness.link.FamilyExports;
import org.kextkit.harness.link.KextLibs;
import org.kextkit.harness.link.KextLibsOptions;
import org.kextkit.harness.link.KextLibsResult;

/**
 * Answer kextlibs from the kext's bytecode with {@link KextLibs}: one "architecture", the JVM's,
 * printed as {@code For all architectures:}.
 */
public final class LinkKextLibsPort implements KextLibsPort {
    @Override
    public List<ArchLibraries> findLinkDependencies(KextCatalog catalog, KextBundle kext, boolean nonKpi, boolean allowUnsupported) {
        List<KextBundle> libraries = new ArrayList<>();
        ClassIndex index;
        FamilyExports families = FamilyExports.NONE;
        if (catalog instanceof DiskKextCatalog) {
            DiskKextCatalog disk = (DiskKextCatalog) catalog;
            libraries.addAll(disk.repository().all());
            index = disk.classIndex();
            families = disk.familyExports();
        } else {
            libraries.addAll(catalog.kexts());
            index = ClassIndex.of(libraries);
        }
        KextLibsOptions options = KextLibsOptions.defaults().withNonKpi(nonKpi).withUnsupported(allowUnsupported);
        KextLibsResult result = new KextLibs(index, families).find(kext, libraries, options);
        if (result.failure() != null) {
            return List.of();
        }
        return List.of(ArchLibraries.of(kext.arch(), result.libraries(), result.undefinedSymbols(), result.onedefSymbols(),
                result.multdefSymbols(), result.multdefLibraries()));
    }
}
