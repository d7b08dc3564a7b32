package org.kextkit.harness.bundle;

import com.dd.plist.NSDictionary;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.kextkit.harness.version.VersionGrammar;

/**
 * Read a {@code Foo.kext} folder into a {@link KextBundle}, together with the plug-ins in its
 * {@code Contents/PlugIns}.
 *
 * <p>Layout: {@code Foo.kext/Contents/Info.plist} (the macOS layout), or {@code Foo.kext/Info.plist}
 * (a shallow, iOS-style bundle, whose executable and {@code PlugIns} also sit at the top). Plug-ins
 * are read one level deep only, as {@code OSKextCopyPlugins} does; a kext that is itself inside
 * another {@code .kext} is a plug-in, and its own {@code PlugIns} are not read. Reading never
 * throws for a bad bundle: problems come back in the {@link BundleReadResult}. Each bundle read
 * takes the next number from the shared sequence, which the resolver uses to prefer the bundle
 * created later among equal versions. Instances are thread-safe.
 */
public final class KextBundleReader {
    /** The extension a kext folder's name must end in. */
    public static final String KEXT_EXTENSION = ".kext";

    private final String arch;
    private final VersionGrammar grammar;
    private final AtomicLong sequence;
    private final InfoPlistReader plistReader;

    /**
     * Create a reader with the default {@link InfoPlistReader} limits.
     *
     * @param arch the host architecture for {@code _<arch>} key variants, such as {@code x86_64}
     * @param grammar the version grammar to parse versions with
     * @param sequence the counter shared by every reader of one kernel, for {@link KextBundle#order()}
     */
    public KextBundleReader(String arch, VersionGrammar grammar, AtomicLong sequence) {
        this(arch, grammar, sequence, new InfoPlistReader());
    }

    /** Create a reader that parses Info.plist files with {@code plistReader}. */
    public KextBundleReader(String arch, VersionGrammar grammar, AtomicLong sequence, InfoPlistReader plistReader) {
        this.arch = Objects.requireNonNull(arch, "arch");
        if (arch.isBlank()) {
            throw new IllegalArgumentException("arch must name an architecture such as x86_64 or arm64");
        }
        this.grammar = Objects.requireNonNull(grammar, "grammar");
        this.sequence = Objects.requireNonNull(sequence, "sequence");
        this.plistReader = Objects.requireNonNull(plistReader, "plistReader");
    }

    /** Return the architecture used for key variants. */
    public String arch() {
        return arch;
    }

    /** Return the version grammar. */
    public VersionGrammar grammar() {
        return grammar;
    }

    /** Read the kext at {@code path} and its plug-ins. */
    public BundleReadResult read(Path path) {
        List<BundleProblem> problems = new ArrayList<>();
        List<KextBundle> bundles = new ArrayList<>();
        KextBundle bundle = readOne(path, null, problems);
        if (bundle != null) {
            bundles.add(bundle);
            if (!isInsideKext(path)) {
                readPlugIns(bundle, bundles, problems);
            }
        }
        return new BundleReadResult(Optional.ofNullable(bundle), bundles, problems);
    }

    /**
     * Read a kext that a build has not packaged yet: its Info.plist (the file at {@code infoPlist},
     * or {@code infoPlistBytes} if given, with {@code infoPlist} naming it in messages) and its
     * classes, already in memory, as the bundle at {@code bundlePath}, which need not exist.
     */
    public BundleReadResult readUnpackaged(Path bundlePath, Path infoPlist, byte[] infoPlistBytes, KextExecutable executable) {
        Objects.requireNonNull(executable, "executable");
        NSDictionary info;
        byte[] source;
        try {
            source = infoPlistBytes == null ? plistReader.readBytes(infoPlist) : infoPlistBytes.clone();
            info = plistReader.parse(source, infoPlist);
        } catch (InfoPlistException e) {
            return new BundleReadResult(Optional.empty(), List.of(), List.of(new BundleProblem(bundlePath, e.getMessage())));
        }
        KextBundle bundle = new KextBundle(bundlePath, infoPlist, info, arch, grammar, null, sequence.incrementAndGet(),
                executable);
        bundle.keepInfoPlistSource(source);
        return new BundleReadResult(Optional.of(bundle), List.of(bundle), List.of());
    }

    private KextBundle readOne(Path path, KextBundle parent, List<BundleProblem> problems) {
        Path name = path.getFileName();
        if (name == null || !name.toString().endsWith(KEXT_EXTENSION)) {
            problems.add(new BundleProblem(path, path + ": not a kext bundle: the folder name must end in .kext"
                    + (name == null ? "" : " (found '" + name + "')") + "; point at the Foo.kext folder itself"));
            return null;
        }
        if (!Files.exists(path)) {
            problems.add(new BundleProblem(path, path + ": no such kext; check the path"));
            return null;
        }
        if (!Files.isDirectory(path)) {
            problems.add(new BundleProblem(path, path + ": not a kext bundle: a kext is a folder holding "
                    + "Contents/Info.plist, but this is a file"));
            return null;
        }
        Path infoPlist = path.resolve("Contents").resolve("Info.plist");
        if (!Files.exists(infoPlist)) {
            Path shallow = path.resolve("Info.plist");
            if (Files.exists(shallow) && !Files.isDirectory(path.resolve("Contents"))) {
                infoPlist = shallow;
            } else {
                problems.add(new BundleProblem(path, path + ": missing Contents/Info.plist; every kext needs its "
                        + "info dictionary at Foo.kext/Contents/Info.plist (or Foo.kext/Info.plist for a shallow bundle)"));
                return null;
            }
        }
        NSDictionary info;
        byte[] source;
        try {
            source = plistReader.readBytes(infoPlist);
            info = plistReader.parse(source, infoPlist);
        } catch (InfoPlistException e) {
            problems.add(new BundleProblem(path, e.getMessage()));
            return null;
        }
        KextBundle bundle = new KextBundle(path, infoPlist, info, arch, grammar, parent, sequence.incrementAndGet());
        bundle.keepInfoPlistSource(source);
        return bundle;
    }

    private void readPlugIns(KextBundle parent, List<KextBundle> bundles, List<BundleProblem> problems) {
        Path plugIns = parent.contentsPath().resolve("PlugIns");
        if (!Files.isDirectory(plugIns)) {
            return;
        }
        List<Path> candidates = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(plugIns, "*" + KEXT_EXTENSION)) {
            entries.forEach(candidates::add);
        } catch (IOException | RuntimeException e) {
            problems.add(new BundleProblem(plugIns, plugIns + ": the PlugIns folder can't be listed ("
                    + e.getMessage() + "); its plug-ins were skipped"));
            return;
        }
        candidates.sort(null);
        for (Path candidate : candidates) {
            KextBundle plugIn = readOne(candidate, parent, problems);
            if (plugIn != null) {
                bundles.add(plugIn);
            }
        }
    }

    /** Return true if some folder above {@code path} is a kext, which makes {@code path} a plug-in. */
    static boolean isInsideKext(Path path) {
        Path parent = path.toAbsolutePath().normalize().getParent();
        return parent != null && parent.toString().contains(KEXT_EXTENSION);
    }
}
