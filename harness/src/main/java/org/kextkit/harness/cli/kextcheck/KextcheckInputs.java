package org.kextkit.harness.cli.kextcheck;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.kextkit.harness.cli.KextChecker;
import org.kextkit.harness.cli.KextChecker.Result;
import org.kextkit.harness.cli.KextChecker.Target;

/**
 * The kexts {@code kextcheck} was given: bundles, folders of them, and {@code .kext.zip} archives
 * (named, or lying in a folder named), each archive unpacked with {@link KextArchive} into a private
 * folder that {@link #close()} removes. An archive that cannot be used becomes a {@link Target} with
 * its problem, so the run reports it and carries on. Messages that name a file inside an unpacked
 * archive name it as {@code Foo.kext.zip!/Foo.kext/...}, not by the private folder.
 */
public final class KextcheckInputs implements AutoCloseable {
    private final KextChecker checker;
    private final ArchiveLimits limits;
    private final Set<Path> searchItems = new LinkedHashSet<>();
    /** Each unpacked archive's folder (absolute) and the archive it came from. */
    private final Map<Path, Path> unpacked = new LinkedHashMap<>();
    private Path workFolder;

    /** Read inputs with {@code checker}'s bundle reader, unpacking archives within {@code limits}. */
    public KextcheckInputs(KextChecker checker, ArchiveLimits limits) {
        this.checker = checker;
        this.limits = limits;
    }

    /**
     * Return the kexts in {@code items} (absolute paths), in order: a folder's kexts and archives by
     * name, each kext followed by its plug-ins, as {@link KextChecker#find} reads bundles.
     *
     * @throws UncheckedIOException if the private folder for archives cannot be made
     */
    public List<Target> find(List<Path> items) {
        Map<Path, Target> found = new LinkedHashMap<>();
        for (Path item : items) {
            // Sorted by where each came from, so an archive lies among the bundles by its name.
            Map<Path, List<Target>> bySource = new java.util.TreeMap<>();
            if (Files.isDirectory(item) && !isKextFolder(item)) {
                for (Path folder : foldersWithKexts(item)) {
                    searchItems.add(folder);
                    for (Target t : checker.find(List.of(folder))) {
                        bySource.computeIfAbsent(t.path(), p -> new ArrayList<>()).add(t);
                    }
                    for (Path archive : archivesIn(folder)) {
                        bySource.put(archive, unpack(archive));
                    }
                }
            } else if (KextArchive.isArchiveName(item) && !Files.isDirectory(item)) {
                bySource.put(item, unpack(item));
            } else {
                searchItems.add(item);
                bySource.put(item, checker.find(List.of(item)));
            }
            bySource.values().forEach(list -> list.forEach(t -> found.putIfAbsent(t.path(), relabel(t))));
        }
        return new ArrayList<>(found.values());
    }

    /** Return the paths dependencies resolve against: the bundles and folders named, and the unpacked archives' folders. */
    public List<Path> searchItems() {
        return List.copyOf(searchItems);
    }

    /** How deep below a folder named on the command line kexts are looked for. */
    static final int MAX_DEPTH = 8;

    /**
     * Return {@code root} and every folder below it (at most {@link #MAX_DEPTH} levels, hidden
     * folders and symbolic links not followed, never inside a {@code .kext}) that holds a kext bundle
     * or a {@code .kext.zip}, by path; {@code root} itself always, so that an empty or unreadable
     * folder is still reported.
     */
    static List<Path> foldersWithKexts(Path root) {
        Set<Path> folders = new java.util.TreeSet<>();
        folders.add(root);
        try {
            Files.walkFileTree(root, Set.of(), MAX_DEPTH, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    if (!dir.equals(root)) {
                        Path name = dir.getFileName();
                        if (name != null && name.toString().startsWith(".")) {
                            return FileVisitResult.SKIP_SUBTREE;
                        }
                        if (isKextFolder(dir)) {
                            folders.add(dir.getParent());
                            return FileVisitResult.SKIP_SUBTREE;
                        }
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isDirectory() && isKextFolder(file)) {
                        folders.add(file.getParent()); // a bundle at the depth limit
                    } else if (attrs.isRegularFile() && KextArchive.isArchiveName(file)) {
                        folders.add(file.getParent());
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE; // an unreadable corner is skipped; the rest is checked
                }
            });
        } catch (IOException e) {
            // the bundle reader reports an unreadable root itself
        }
        return new ArrayList<>(folders);
    }

    private static boolean isKextFolder(Path item) {
        Path name = item.getFileName();
        return name != null && name.toString().endsWith(".kext");
    }

    private static List<Path> archivesIn(Path folder) {
        List<Path> archives = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
            for (Path entry : entries) {
                if (KextArchive.isArchiveName(entry) && Files.isRegularFile(entry)) {
                    archives.add(entry.toAbsolutePath().normalize());
                }
            }
        } catch (IOException e) {
            // The bundle reader reports an unreadable folder itself.
        }
        return archives;
    }

    /** Unpack one archive and return its kexts, or one target saying why it cannot be used. */
    private List<Target> unpack(Path archive) {
        Path folder;
        try {
            if (workFolder == null) {
                workFolder = Files.createTempDirectory("kextcheck-");
            }
            folder = Files.createDirectory(workFolder.resolve(Integer.toString(unpacked.size() + 1))).toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        unpacked.put(folder, archive);
        try {
            Path kext = KextArchive.extract(archive, folder, limits);
            searchItems.add(folder);
            return checker.find(List.of(kext));
        } catch (ArchiveException e) {
            return List.of(new Target(archive, null, null, e.getMessage()));
        }
    }

    /** Return {@code t} with the private folder in its path-naming problem replaced by its archive's name. */
    private Target relabel(Target t) {
        return new Target(t.path(), t.bundleId(), t.version(), relabel(t.problem()));
    }

    /** Return {@code result} with paths into unpacked archives written as {@code Foo.kext.zip!/...}. */
    public Result relabel(Result result) {
        if (unpacked.isEmpty()) {
            return result;
        }
        List<String> details = result.details().stream().map(this::relabel).toList();
        return new Result(result.outcome(), relabel(result.reason()), details, result.findings(), result.driversStarted());
    }

    private String relabel(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (Map.Entry<Path, Path> e : unpacked.entrySet()) {
            out = out.replace(e.getKey() + "/", e.getValue() + "!/");
        }
        return out;
    }

    /** Remove the unpacked archives. */
    @Override
    public void close() {
        if (workFolder == null) {
            return;
        }
        try {
            Files.walkFileTree(workFolder, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    Files.delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // Left in the temporary folder, which the system cleans; the results stand.
        }
        workFolder = null;
    }
}
