package org.kextkit.harness.link;

import java.io.IOException;
import java.io.InputStream;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decide which JDK classes kernel code may use: the {@code java.*} packages of the {@code java.base}
 * module, and nothing else.
 *
 * <p>Kernel code has no desktop, no SQL, no scripting and no JDK internals, so {@code java.desktop},
 * {@code java.sql}, every {@code javax.*} package (even the ones in {@code java.base}, such as
 * {@code javax.crypto}), {@code sun.*}, {@code com.sun.*} and {@code jdk.*} are out of reach, both to
 * the link check and to a kext's class loader. This class is the one place that rule lives; the set
 * of packages is read from the running JDK, so it follows the JDK's own module layout.
 */
public final class JdkAllowList {
    private static final Module JAVA_BASE = Object.class.getModule();
    private static final Set<String> AVAILABLE_PACKAGES;
    private static final Map<String, String> MODULE_OF_PACKAGE;
    private static final Map<String, Boolean> CLASS_EXISTS = new ConcurrentHashMap<>();

    static {
        Set<String> available = new TreeSet<>();
        for (String pkg : JAVA_BASE.getPackages()) {
            if (pkg.startsWith("java.")) {
                available.add(pkg);
            }
        }
        AVAILABLE_PACKAGES = Collections.unmodifiableSet(available);
        Map<String, String> modules = new HashMap<>();
        for (Module module : ModuleLayer.boot().modules()) {
            // Only the JDK's own modules; an application run from the module path is not "the JDK".
            if (!module.getName().startsWith("java.") && !module.getName().startsWith("jdk.")) {
                continue;
            }
            for (String pkg : module.getPackages()) {
                modules.put(pkg, module.getName());
            }
        }
        MODULE_OF_PACKAGE = Collections.unmodifiableMap(modules);
    }

    private JdkAllowList() {
    }

    /** Return the packages kernel code may use: every {@code java.*} package of {@code java.base}. */
    public static Set<String> availablePackages() {
        return AVAILABLE_PACKAGES;
    }

    /** Return true if classes of {@code packageName} are available to kernel code. */
    public static boolean isAvailablePackage(String packageName) {
        return AVAILABLE_PACKAGES.contains(packageName);
    }

    /** Return true if the class is in an available package (whether or not the JDK has it). */
    public static boolean isInAvailablePackage(String binaryName) {
        return binaryName.startsWith("java.") && AVAILABLE_PACKAGES.contains(packageOf(binaryName));
    }

    /**
     * Return true if the class is in an available package and this JDK really has it; a kext
     * compiled against a newer JDK may name a class the running one lacks. Cached.
     */
    public static boolean hasClass(String binaryName) {
        if (!isInAvailablePackage(binaryName)) {
            return false;
        }
        Boolean known = CLASS_EXISTS.get(binaryName);
        if (known == null) {
            // Class files are never encapsulated, so this finds any class of java.base without loading it.
            try (InputStream in = JAVA_BASE.getResourceAsStream(binaryName.replace('.', '/') + ".class")) {
                known = in != null;
            } catch (IOException e) {
                known = false;
            }
            CLASS_EXISTS.put(binaryName, known);
        }
        return known;
    }

    /**
     * Return the name of the JDK module that holds a package, or {@code null} if no module of the
     * running JDK has it.
     */
    public static String jdkModuleOf(String packageName) {
        return MODULE_OF_PACKAGE.get(packageName);
    }

    /** Return the package of a binary class name ({@code ""} for the unnamed package). */
    public static String packageOf(String binaryName) {
        int dot = binaryName.lastIndexOf('.');
        return dot < 0 ? "" : binaryName.substring(0, dot);
    }
}
