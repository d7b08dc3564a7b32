package org.kextkit.harness.family;

import com.dd.plist.NSDictionary;
import com.dd.plist.NSObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.kextkit.harness.bundle.KextBundle;
import org.kextkit.harness.version.VersionGrammar;

/**
 * A family kext that comes with kextkit rather than from a bundle on disk: its Info.plist as a
 * dictionary, the loader its classes come from, and the Java packages it exports to kexts that
 * declare it in {@code OSBundleLibraries} (the Java form of the symbols a family exports).
 *
 * @param infoPlist the Info.plist dictionary: {@code CFBundleIdentifier}, {@code CFBundleVersion},
 *     {@code OSBundleCompatibleVersion}, {@code OSBundleLibraries}, {@code IOKitPersonalities}, ...
 * @param classLoader the loader that defines the family's classes
 * @param exportedPackages packages (with their subpackages) a declaring kext may use
 */
public record BuiltInKext(Map<String, Object> infoPlist, ClassLoader classLoader, List<String> exportedPackages) {
    /** Copy the lists and maps so the record cannot change later. */
    public BuiltInKext {
        infoPlist = Map.copyOf(infoPlist);
        exportedPackages = List.copyOf(exportedPackages);
    }

    /** Return the bundle identifier. */
    public String bundleIdentifier() {
        return (String) infoPlist.get("CFBundleIdentifier");
    }

    /**
     * Return the in-memory bundle of this kext at its conventional place in the system folder
     * ({@code /System/Library/Extensions/<last part of the identifier>.kext}), with no executable: what
     * a kernel's repository and the kext tools' catalogues hold for it.
     *
     * @param order the bundle's position among equal versions (built-ins come before kexts read from disk)
     */
    public KextBundle bundle(String arch, VersionGrammar grammar, long order) {
        NSDictionary info = (NSDictionary) NSObject.fromJavaObject(infoPlist);
        String id = bundleIdentifier();
        String name = id == null ? "Family" : id.substring(id.lastIndexOf('.') + 1);
        Path path = Path.of("/System/Library/Extensions", name + ".kext");
        return new KextBundle(path, path.resolve("Contents/Info.plist"), info, arch, grammar, null, order);
    }
}
