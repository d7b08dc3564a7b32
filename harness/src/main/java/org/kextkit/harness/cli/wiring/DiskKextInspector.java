package org.kextkit.harness.cli.wiring;

import java.nio.file.Path;
import java.util.List;
import org.kextkit.harness.cli.KextCatalog;
import org.kextkit.harness.cli.KextInspector;
import org.kextkit.harness.cli.KextLog;
import org.kextkit.harness.version.VersionGrammar;

/** Read kexts from disk into a {@link DiskKextCatalog} for kextutil, kextfind, kextlibs and kextunload. */
public final class DiskKextInspector implements KextInspector {
    private final String kernelVersion;
    private final VersionGrammar grammar;

    /** Inspect kexts as a kernel of {@code kernelVersion} with {@code grammar} would. */
    public DiskKextInspector(String kernelVersion, VersionGrammar grammar) {
        this.kernelVersion = kernelVersion;
        this.grammar = grammar;
    }

    @Override
    public KextCatalog open(List<Path> searchItems, String arch, KextLog log) {
        return new DiskKextCatalog(searchItems, arch, kernelVersion, grammar, log);
    }
}
