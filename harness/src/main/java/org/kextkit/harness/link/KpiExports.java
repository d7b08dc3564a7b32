package org.kextkit.harness.link;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.kextkit.kit.libkern.KextModule;

/**
 * Map the kit's packages to the kernel pseudo-kexts that export them: the Java form of xnu's
 * {@code config/*.exports} symbol lists.
 *
 * <p>A kext may use a class of {@code org.kextkit.kit.iokit} (or a subpackage) only if it declares
 * {@code com.apple.kpi.iokit} in {@code OSBundleLibraries}, exactly as a C kext may call
 * {@code IOLog} only if it links against that KPI. {@code org.kextkit.kit.internal} is the
 * harness's side of the kit and is exported to no kext. A new kit package becomes visible to kexts
 * by adding one row to {@link #TABLE}.
 */
public final class KpiExports {
    /** The version the link check suggests for a missing KPI, as third-party kexts conventionally declare it. */
    public static final String CONVENTIONAL_KPI_VERSION = "8.0.0";

    /** The package prefix under which every kit class lives. */
    public static final String KIT_PREFIX = "org.kextkit.kit.";

    /** The kit package that is exported to no kext. */
    public static final String KIT_INTERNAL_PACKAGE = "org.kextkit.kit.internal";

    // Package (and its subpackages) -> the bundle identifier of the pseudo-kext that exports it.
    private static final Map<String, String> TABLE;

    static {
        Map<String, String> table = new LinkedHashMap<>();
        table.put("org.kextkit.kit.libkern", "com.apple.kpi.libkern");
        table.put("org.kextkit.kit.iokit", "com.apple.kpi.iokit");
        table.put("org.kextkit.kit.mach", "com.apple.kpi.mach");
        table.put("org.kextkit.kit.bsd", "com.apple.kpi.bsd");
        TABLE = Collections.unmodifiableMap(table);
    }

    private static final ClassLoader KIT_LOADER = KextModule.class.getClassLoader();
    private static final Map<String, Boolean> KIT_CLASS_EXISTS = new ConcurrentHashMap<>();

    private KpiExports() {
    }

    /** Return the table: exported package (subpackages included) to exporting bundle identifier. */
    public static Map<String, String> table() {
        return TABLE;
    }

    /**
     * Return the identifier of the pseudo-kext that exports a class, or {@code null} if the class is
     * not in an exported kit package.
     *
     * @param binaryName a binary class name such as {@code org.kextkit.kit.iokit.IOLib}
     */
    public static String exporterOf(String binaryName) {
        if (!binaryName.startsWith(KIT_PREFIX)) {
            return null;
        }
        for (Map.Entry<String, String> e : TABLE.entrySet()) {
            String pkg = e.getKey();
            if (binaryName.startsWith(pkg) && binaryName.length() > pkg.length() && binaryName.charAt(pkg.length()) == '.') {
                return e.getValue();
            }
        }
        return null;
    }

    /** Return true if the class name lies under {@code org.kextkit.kit.}. */
    public static boolean isKitClass(String binaryName) {
        return binaryName.startsWith(KIT_PREFIX);
    }

    /** Return true if {@code bundleId} exports at least one kit package. */
    public static boolean exportsAnything(String bundleId) {
        return TABLE.containsValue(bundleId);
    }

    /**
     * Return true if the kit really has this class, without loading it; the answer is cached, since
     * the kit never changes while the JVM runs.
     */
    public static boolean kitHasClass(String binaryName) {
        Boolean known = KIT_CLASS_EXISTS.get(binaryName);
        if (known == null) {
            known = KIT_LOADER != null && KIT_LOADER.getResource(binaryName.replace('.', '/') + ".class") != null;
            KIT_CLASS_EXISTS.put(binaryName, known);
        }
        return known;
    }

    /** Return the class loader that defines the kit's classes. */
    public static ClassLoader kitLoader() {
        return KIT_LOADER;
    }
}
