package org.kextkit.harness.link;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Java packages that built-in family kexts (such as {@code com.apple.iokit.IOPCIFamily}) export
 * to kexts: the family form of {@link KpiExports}. A kext may use a class of a family's exported
 * package (or subpackage) only if it declares that family in {@code OSBundleLibraries}, as a C kext
 * may call {@code IOPCIDevice} methods only if it links against IOPCIFamily.
 */
public final class FamilyExports {
    /** No families: kexts see the kit's KPI packages and their own libraries only. */
    public static final FamilyExports NONE = new FamilyExports(List.of());

    /**
     * One family kext and what it exports.
     *
     * @param bundleIdentifier the family's identifier, such as {@code com.apple.iokit.IOPCIFamily}
     * @param version its {@code CFBundleVersion}, suggested when a kext must declare it
     * @param loader the loader that defines the family's classes
     * @param packages the exported packages, subpackages included
     */
    public record Family(String bundleIdentifier, String version, ClassLoader loader, List<String> packages) {
        /** Check the parts and copy the package list. */
        public Family {
            Objects.requireNonNull(bundleIdentifier, "bundleIdentifier");
            Objects.requireNonNull(loader, "loader");
            packages = List.copyOf(packages);
        }

        /**
         * Return true if the class with this binary name lies in one of the exported packages or their
         * subpackages, except {@code ...internal} ones, which a family keeps to itself as the kit does.
         */
        public boolean exports(String binaryName) {
            for (String pkg : packages) {
                if (binaryName.startsWith(pkg) && binaryName.length() > pkg.length() && binaryName.charAt(pkg.length()) == '.') {
                    return !binaryName.substring(pkg.length()).contains(".internal.");
                }
            }
            return false;
        }

        /** Return true if the family really has this class, without loading it. */
        public boolean hasClass(String binaryName) {
            return loader.getResource(binaryName.replace('.', '/') + ".class") != null;
        }
    }

    private final List<Family> families;
    private final ConcurrentHashMap<String, Family> byId = new ConcurrentHashMap<>();

    /** Create the exports of these families. */
    public FamilyExports(List<Family> families) {
        this.families = List.copyOf(families);
        for (Family family : this.families) {
            byId.put(family.bundleIdentifier(), family);
        }
    }

    /** Return every family. */
    public List<Family> families() {
        return families;
    }

    /** Return the family with this identifier, or {@code null}. */
    public Family family(String bundleIdentifier) {
        return bundleIdentifier == null ? null : byId.get(bundleIdentifier);
    }

    /** Return the family that exports the class with this binary name, or {@code null}. */
    public Family exporterOf(String binaryName) {
        for (Family family : families) {
            if (family.exports(binaryName)) {
                return family;
            }
        }
        return null;
    }

    /** Return the one of {@code declared} that exports the class, or {@code null}. */
    static Family exporterAmong(List<Family> declared, String binaryName) {
        for (Family family : declared) {
            if (family.exports(binaryName)) {
                return family;
            }
        }
        return null;
    }
}
