package org.kextkit.harness.family;

import java.util.List;
import java.util.Map;

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
}
