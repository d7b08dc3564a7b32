package org.kextkit.harness.bundle;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Scan a repository folder for kexts the way {@code kextload -r} and {@code kextfind} do: the
 * {@code *.kext} entries directly inside it, each with its immediate plug-ins, never deeper.
 *
 * <p>One bad bundle never stops a scan: it becomes a {@link BundleProblem} and the scan goes on.
 * Entries are read in name order, so sequence numbers, and therefore the resolver's tie-breaks,
 * do not depend on the file system's listing order. When a validator is given, every bundle read
 * is validated too. Instances are thread-safe.
 */
public final class BundleScanner {
    private final KextBundleReader reader;
    private final KextBundleValidator validator;

    /** Create a scanner that only reads bundles. */
    public BundleScanner(KextBundleReader reader) {
        this(reader, null);
    }

    /** Create a scanner that reads bundles and validates each one with {@code validator} (may be {@code null}). */
    public BundleScanner(KextBundleReader reader, KextBundleValidator validator) {
        this.reader = Objects.requireNonNull(reader, "reader");
        this.validator = validator;
    }

    /** Scan one repository folder. */
    public ScanResult scan(Path repository) {
        List<KextBundle> bundles = new ArrayList<>();
        List<BundleProblem> problems = new ArrayList<>();
        if (!Files.isDirectory(repository)) {
            problems.add(new BundleProblem(repository, repository + (Files.exists(repository)
                    ? ": not a folder; a kext repository is a folder of .kext bundles"
                    : ": no such repository folder; check the path")));
            return new ScanResult(bundles, problems);
        }
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(repository, "*" + KextBundleReader.KEXT_EXTENSION)) {
            stream.forEach(entries::add);
        } catch (IOException | RuntimeException e) {
            problems.add(new BundleProblem(repository, repository + ": the repository can't be listed (" + e.getMessage() + ")"));
            return new ScanResult(bundles, problems);
        }
        entries.sort(null);
        for (Path entry : entries) {
            readKext(entry, bundles, problems);
        }
        return new ScanResult(bundles, problems);
    }

    /**
     * Read one search item as kextutil and kextload take them: a repository folder is scanned; anything
     * else is read as one {@code .kext} bundle with its plug-ins.
     */
    public ScanResult readItem(Path item) {
        Path name = item.getFileName();
        if (Files.isDirectory(item) && (name == null || !name.toString().endsWith(KextBundleReader.KEXT_EXTENSION))) {
            return scan(item);
        }
        List<KextBundle> bundles = new ArrayList<>();
        List<BundleProblem> problems = new ArrayList<>();
        readKext(item, bundles, problems);
        return new ScanResult(bundles, problems);
    }

    private void readKext(Path kext, List<KextBundle> bundles, List<BundleProblem> problems) {
        BundleReadResult result = reader.read(kext);
        problems.addAll(result.problems());
        for (KextBundle bundle : result.bundles()) {
            if (validate(bundle, problems)) {
                bundles.add(bundle);
            }
        }
    }

    /** Scan several repository folders in turn, as {@code kextload -r A -r B} does. */
    public ScanResult scan(List<Path> repositories) {
        List<KextBundle> bundles = new ArrayList<>();
        List<BundleProblem> problems = new ArrayList<>();
        for (Path repository : repositories) {
            ScanResult result = scan(repository);
            bundles.addAll(result.bundles());
            problems.addAll(result.problems());
        }
        return new ScanResult(bundles, problems);
    }

    private boolean validate(KextBundle bundle, List<BundleProblem> problems) {
        if (validator == null) {
            return true;
        }
        try {
            validator.validate(bundle);
            return true;
        } catch (RuntimeException e) {
            // A validator bug must not end the scan; the bundle is reported and left out.
            problems.add(new BundleProblem(bundle.path(), bundle.path() + ": validation stopped with an internal error ("
                    + e + "); please report this with the bundle's Info.plist"));
            return false;
        }
    }
}
