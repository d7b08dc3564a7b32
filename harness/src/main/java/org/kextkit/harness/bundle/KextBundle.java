package org.kextkit.harness.bundle;

import com.dd.plist.NSDictionary;
import com.dd.plist.NSNumber;
import com.dd.plist.NSObject;
import com.dd.plist.NSString;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.kextkit.harness.diagnostics.KextDiagnostics;
import org.kextkit.harness.version.KextVersion;
import org.kextkit.harness.version.VersionGrammar;

/**
 * Represent one kext bundle: its location, its parsed info dictionary, and the facts about it that
 * loading needs, read the way Apple's tools read them.
 *
 * <p>{@code OS*} and {@code IO*} keys are looked up with the host architecture first
 * ({@code OSBundleLibraries_x86_64}), then plain; {@code CFBundle*} keys never vary by architecture.
 * A bundle is immutable apart from its diagnostics, which validation and resolution append to, and
 * its executable, which is read once on first use.
 */
public final class KextBundle {
    /** The manifest attribute of the executable jar that names a generic kext's {@code KextModule}. */
    public static final String MODULE_CLASS_ATTRIBUTE = "Kext-Module-Class";

    private final Path path;
    private final Path infoPlistPath;
    private final NSDictionary info;
    private final String arch;
    private final VersionGrammar grammar;
    private final KextBundle parent;
    private final List<KextBundle> plugins = new ArrayList<>();
    private final KextDiagnostics diagnostics = new KextDiagnostics();
    private final long order;
    private final String identifier;
    private final KextVersion version;
    private final KextVersion compatibleVersion;
    private KextExecutable executable;
    private KextExecutableException executableFailure;
    private final boolean executableSupplied;
    // Whether any top-level key ends in _<arch>, the only keys the architecture rule can choose.
    private final boolean hasArchVariants;
    // The Info.plist bytes as the reader parsed them (null if not created by a reader), and their lines once asked for.
    private byte[] infoPlistSource;
    private Optional<List<String>> infoPlistLines;

    /**
     * Create a bundle from an already-parsed info dictionary.
     *
     * @param path the {@code .kext} directory (for built-in pseudo-kexts, a conventional path)
     * @param infoPlistPath the Info.plist file, used in messages
     * @param info the info dictionary
     * @param arch the host architecture used for {@code _<arch>} key variants ({@code x86_64}, {@code arm64})
     * @param grammar the version grammar in force
     * @param parent the kext whose {@code Contents/PlugIns} holds this one, or {@code null}
     * @param order a sequence number: among equal versions, the bundle created later wins
     */
    public KextBundle(Path path, Path infoPlistPath, NSDictionary info, String arch, VersionGrammar grammar,
                      KextBundle parent, long order) {
        this(path, infoPlistPath, info, arch, grammar, parent, order, null);
    }

    /**
     * Create a bundle whose executable is already in memory instead of at
     * {@code Contents/MacOS/<CFBundleExecutable>}: a build's classes, before it packages a jar. The
     * kernel validates, links, checks and instruments it exactly as a jar read from the bundle.
     *
     * @param executable the classes, or {@code null} to read the executable from the bundle as usual
     * @see KextExecutable#fromClassesDirectory
     */
    public KextBundle(Path path, Path infoPlistPath, NSDictionary info, String arch, VersionGrammar grammar,
                      KextBundle parent, long order, KextExecutable executable) {
        this.executable = executable;
        this.executableSupplied = executable != null;
        this.path = Objects.requireNonNull(path, "path");
        this.infoPlistPath = Objects.requireNonNull(infoPlistPath, "infoPlistPath");
        this.info = Objects.requireNonNull(info, "info");
        this.arch = Objects.requireNonNull(arch, "arch");
        this.grammar = Objects.requireNonNull(grammar, "grammar");
        this.parent = parent;
        this.order = order;
        String suffix = "_" + arch;
        boolean variants = false;
        for (String key : info.allKeys()) {
            variants |= key.endsWith(suffix);
        }
        this.hasArchVariants = variants;
        this.identifier = stringValue("CFBundleIdentifier");
        String versionString = stringValue("CFBundleVersion");
        this.version = versionString == null ? KextVersion.MISSING : KextVersion.parse(versionString, grammar);
        String compat = stringValue("OSBundleCompatibleVersion");
        this.compatibleVersion = compat == null ? KextVersion.MISSING : KextVersion.parse(compat, grammar);
        if (parent != null) {
            parent.plugins.add(this);
        }
    }

    /** Return the {@code .kext} directory. */
    public Path path() {
        return path;
    }

    /** Return the Info.plist file. */
    public Path infoPlistPath() {
        return infoPlistPath;
    }

    /** Return the whole info dictionary as parsed (architecture variants not applied). */
    public NSDictionary infoDictionary() {
        return info;
    }

    /** Return the architecture used for key variants. */
    public String arch() {
        return arch;
    }

    /** Return the version grammar this bundle's versions were parsed with. */
    public VersionGrammar grammar() {
        return grammar;
    }

    /** Return the creation sequence number (higher means created later). */
    public long order() {
        return order;
    }

    /** Return the kext containing this one as a plug-in, or {@code null}. */
    public KextBundle parent() {
        return parent;
    }

    /** Return the plug-ins found in {@code Contents/PlugIns}. */
    public List<KextBundle> plugins() {
        return Collections.unmodifiableList(plugins);
    }

    /** Return this bundle's diagnostics, to read or to append to. */
    public KextDiagnostics diagnostics() {
        return diagnostics;
    }

    /** Return {@code CFBundleIdentifier}, or {@code null} if absent or not a string. */
    public String identifier() {
        return identifier;
    }

    /** Return {@code CFBundleVersion} as written, or {@code null}. */
    public String versionString() {
        return stringValue("CFBundleVersion");
    }

    /** Return the parsed {@code CFBundleVersion}; {@link KextVersion#MISSING} if absent. */
    public KextVersion version() {
        return version;
    }

    /** Return the parsed {@code OSBundleCompatibleVersion}; {@link KextVersion#MISSING} if absent. */
    public KextVersion compatibleVersion() {
        return compatibleVersion;
    }

    /** Return true if other kexts may depend on this one (a valid compatible version). */
    public boolean isLibrary() {
        return compatibleVersion.isValid();
    }

    /** Return {@code CFBundleExecutable}, or {@code null} for a codeless kext. */
    public String executableName() {
        String name = stringValue("CFBundleExecutable");
        return name == null || name.isEmpty() ? null : name;
    }

    /** Return true if the kext declares an executable. */
    public boolean declaresExecutable() {
        return executableName() != null;
    }

    /**
     * Return {@code Contents/MacOS/<CFBundleExecutable>} (for a shallow bundle,
     * {@code <CFBundleExecutable>} beside its Info.plist; for a {@linkplain #hasSuppliedExecutable
     * supplied executable}, where its classes came from), or {@code null} for a codeless kext.
     */
    public Path executablePath() {
        String name = executableName();
        if (name == null) {
            return null;
        }
        if (executableSupplied) {
            return executable.path();
        }
        return isShallow() ? path.resolve(name) : path.resolve("Contents").resolve("MacOS").resolve(name);
    }

    /** Return true if the executable was given in memory (a build's classes) rather than read from the bundle. */
    public boolean hasSuppliedExecutable() {
        return executableSupplied;
    }

    /** Return true if the Info.plist sits at the top of the bundle (an iOS-style shallow bundle). */
    public boolean isShallow() {
        return path.equals(infoPlistPath.getParent());
    }

    /** Return the folder that holds Info.plist, MacOS and PlugIns: {@code Contents}, or the bundle itself if shallow. */
    public Path contentsPath() {
        return isShallow() ? path : path.resolve("Contents");
    }

    /**
     * Return the executable jar, read on first use and kept, so that validation, the link check and
     * the class loader all see the same bytes; {@code null} for a codeless kext. A failed read is
     * kept too and thrown again on every call.
     *
     * @throws KextExecutableException if the executable is missing, unreadable or not a jar
     */
    public synchronized KextExecutable executable() throws KextExecutableException {
        if (executableFailure != null) {
            throw executableFailure;
        }
        if (executable == null && declaresExecutable()) {
            try {
                executable = KextExecutable.read(executablePath());
            } catch (KextExecutableException e) {
                executableFailure = e;
                throw e;
            }
        }
        return executable;
    }

    /** Keep the bytes the Info.plist was parsed from, so that its text is never read from disk again. */
    void keepInfoPlistSource(byte[] bytes) {
        synchronized (this) {
            infoPlistSource = bytes;
        }
    }

    /**
     * Return the text lines of the Info.plist (split as {@link java.io.BufferedReader#readLine}
     * splits them), for checks that point at a line: the parser keeps no line numbers. They come
     * from the bytes the bundle was read from; a bundle not created by {@link KextBundleReader}
     * reads its file once, on first use. Empty if the file is not UTF-8 text (a binary property
     * list) or can't be read.
     */
    public synchronized Optional<List<String>> infoPlistLines() {
        if (infoPlistLines == null) {
            infoPlistLines = linesOf(infoPlistSource);
            infoPlistSource = null; // the lines are kept instead
        }
        return infoPlistLines;
    }

    private Optional<List<String>> linesOf(byte[] source) {
        try {
            byte[] bytes = source != null ? source : java.nio.file.Files.readAllBytes(infoPlistPath);
            // Strict, as Files.readAllLines is: malformed UTF-8 (a binary plist) is not text.
            String text = java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
            return Optional.of(new java.io.BufferedReader(new java.io.StringReader(text)).lines().toList());
        } catch (java.io.IOException | java.io.UncheckedIOException | SecurityException e) {
            return Optional.empty();
        }
    }

    /** Return true if {@code OSKernelResource} is true: a built-in part of the kernel. */
    public boolean isKernelComponent() {
        return booleanValue("OSKernelResource");
    }

    /** Return true if the kext is an interface (symbol-set) kext or a kernel component. */
    public boolean isInterface() {
        return booleanValue("OSBundleIsInterface") || isKernelComponent();
    }

    /** Return {@code OSBundleRequired}, or {@code null}. */
    public String osBundleRequired() {
        return stringValue("OSBundleRequired");
    }

    /**
     * Return {@code OSBundleLibraries} (architecture variant first) as identifier to requested
     * version string, in the plist's order; entries whose value is not a string are left out
     * (validation reports them).
     */
    public Map<String, String> libraries() {
        NSObject value = archValue("OSBundleLibraries");
        Map<String, String> libraries = new LinkedHashMap<>();
        if (value instanceof NSDictionary) {
            for (Map.Entry<String, NSObject> e : ((NSDictionary) value).entrySet()) {
                if (e.getValue() instanceof NSString) {
                    libraries.put(e.getKey(), ((NSString) e.getValue()).getContent());
                }
            }
        }
        return libraries;
    }

    /** Return the key under which libraries were found ({@code OSBundleLibraries_x86_64} or plain). */
    public String librariesKey() {
        return archKey("OSBundleLibraries");
    }

    /** Return {@code IOKitPersonalities} (architecture variant first), or an empty dictionary. */
    public NSDictionary personalities() {
        NSObject value = archValue("IOKitPersonalities");
        return value instanceof NSDictionary ? (NSDictionary) value : new NSDictionary();
    }

    /**
     * Return the value of an info-dictionary key, applying the architecture rule: for keys starting
     * with {@code OS} or {@code IO}, {@code <key>_<arch>} wins over {@code <key>}.
     */
    public NSObject archValue(String key) {
        return info.objectForKey(archKey(key));
    }

    /** Return the key actually used for {@code key} after the architecture rule. */
    public String archKey(String key) {
        // Most bundles have no architecture variant at all: then no variant key is built and hashed.
        if (hasArchVariants && (key.startsWith("OS") || key.startsWith("IO")) && info.containsKey(key + "_" + arch)) {
            return key + "_" + arch;
        }
        return key;
    }

    /** Return a string-valued key, or {@code null} if absent or of another type. */
    public String stringValue(String key) {
        NSObject value = key.startsWith("CF") ? info.objectForKey(key) : archValue(key);
        return value instanceof NSString ? ((NSString) value).getContent() : null;
    }

    /** Return a boolean-valued key; absent or non-boolean is false. */
    public boolean booleanValue(String key) {
        NSObject value = archValue(key);
        return value instanceof NSNumber && ((NSNumber) value).isBoolean() && ((NSNumber) value).boolValue();
    }

    /** Return the identifier, or the path if the bundle has none; for messages. */
    public String displayName() {
        return identifier != null ? identifier : path.toString();
    }

    @Override
    public String toString() {
        return displayName() + " (" + versionString() + ") at " + path;
    }
}
