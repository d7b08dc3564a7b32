package org.kextkit.harness.bundle;

import static org.kextkit.harness.bundle.ValidationMessages.BAD_SYSTEM_PROPERTY;
import static org.kextkit.harness.bundle.ValidationMessages.CODELESS_WITH_LIBRARIES;
import static org.kextkit.harness.bundle.ValidationMessages.COMPATIBLE_VERSION_LATER;
import static org.kextkit.harness.bundle.ValidationMessages.DEPRECATED_PROPERTY;
import static org.kextkit.harness.bundle.ValidationMessages.DRIVERKIT_REQUIRED;
import static org.kextkit.harness.bundle.ValidationMessages.EXECUTABLE_BAD;
import static org.kextkit.harness.bundle.ValidationMessages.EXECUTABLE_MISSING;
import static org.kextkit.harness.bundle.ValidationMessages.IDENTIFIER_OR_VERSION_TOO_LONG;
import static org.kextkit.harness.bundle.ValidationMessages.ILLEGAL_TYPE;
import static org.kextkit.harness.bundle.ValidationMessages.ILLEGAL_VALUE;
import static org.kextkit.harness.bundle.ValidationMessages.INCORRECT_TYPE_WARNING;
import static org.kextkit.harness.bundle.ValidationMessages.MISSING_PROPERTY;
import static org.kextkit.harness.bundle.ValidationMessages.MODULE_CLASS_MISSING;
import static org.kextkit.harness.bundle.ValidationMessages.NONUNIQUE_IORESOURCES_MATCH;
import static org.kextkit.harness.bundle.ValidationMessages.PERSONALITY_DIFFERENT_BUNDLE_IDENTIFIER;
import static org.kextkit.harness.bundle.ValidationMessages.PERSONALITY_NO_BUNDLE_IDENTIFIER;
import static org.kextkit.harness.bundle.ValidationMessages.RESERVED_PACKAGES;
import static org.kextkit.harness.bundle.ValidationMessages.UNBUILT_TEMPLATE;
import static org.kextkit.harness.diagnostics.DiagnosticGroup.VALIDATION;
import static org.kextkit.harness.diagnostics.DiagnosticGroup.WARNINGS;

import com.dd.plist.NSArray;
import com.dd.plist.NSDictionary;
import com.dd.plist.NSObject;
import com.dd.plist.NSSet;
import com.dd.plist.NSString;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.kextkit.harness.bundle.internal.PlistTypes;
import org.kextkit.harness.bundle.internal.TemplateText;
import org.kextkit.harness.diagnostics.KextDiagnostics;
import org.kextkit.harness.version.KextVersion;

/**
 * Check a kext bundle the way {@code kextutil} validates one, recording every problem at once in
 * the bundle's diagnostics with kextutil's groups, wording and key paths.
 *
 * <p>Covered: required keys and their types, {@code CFBundlePackageType}, the 63-character limits,
 * version strings, the executable jar and its {@code Kext-Module-Class}, reserved packages,
 * {@code OSBundleLibraries} (form only; resolving them is the resolver's job),
 * {@code OSBundleRequired}, personalities, deprecated keys, {@code <real>} values, and unbuilt
 * templates. A value that still holds a build variable is reported once, as template text, and the
 * checks of that value's content are skipped, since they would only repeat the same cause.
 * Ownership and permissions are not checked: a hosted kernel has no root:wheel to demand.
 * Instances are stateless and thread-safe.
 */
public final class KextBundleValidator {
    /** The values {@code OSBundleRequired} may take in a kext. */
    public static final Set<String> OS_BUNDLE_REQUIRED_VALUES = Set.of("Root", "Local-Root", "Network-Root", "Console", "Safe Boot");
    /** The package prefixes a kext's jar may not define classes in. */
    public static final List<String> RESERVED_PACKAGE_PREFIXES = List.of("java.", "javax.", "org.kextkit.");

    private static final int KMOD_MAX_NAME = 64;
    private static final List<String> BOOLEAN_KEYS = List.of("OSKernelResource", "OSBundleIsInterface",
            "OSBundleAllowUserLoad", "OSBundleAllowUserTerminate", "OSBundleRequireExplicitLoad", "OSBundleEnableKextLogging");
    private static final String VERSION_FORM = "expected major[.minor[.revision]] with an optional d, a, b or fc stage "
            + "and level, such as 1.0.2b3";
    private static final int MAX_WALK_DEPTH = 512;

    /** Create a validator. */
    public KextBundleValidator() {
    }

    /** Validate {@code bundle}, appending to its diagnostics, and return those diagnostics. */
    public KextDiagnostics validate(KextBundle bundle) {
        new Run(bundle).run();
        return bundle.diagnostics();
    }

    /** One validation pass over one bundle. */
    private static final class Run {
        private final KextBundle bundle;
        private final NSDictionary info;
        private final KextDiagnostics diagnostics;
        private final Map<String, String> templates = new LinkedHashMap<>();
        private final List<String> reals = new ArrayList<>();
        private final Set<String> typeReported = new HashSet<>();

        Run(KextBundle bundle) {
            this.bundle = bundle;
            this.info = bundle.infoDictionary();
            this.diagnostics = bundle.diagnostics();
        }

        void run() {
            walk(info, "", Context.TOP, 0);
            templates.forEach((path, text) -> diagnostics.add(VALIDATION, UNBUILT_TEMPLATE, path, text));
            checkIdentifier();
            checkVersion();
            checkPackageType();
            checkCompatibleVersion();
            checkExecutable();
            checkLibraries();
            checkOSBundleRequired();
            checkBooleans();
            checkPersonalities();
            checkDeprecated();
            for (String path : reals) {
                if (!typeReported.contains(path)) {
                    diagnostics.add(VALIDATION, ILLEGAL_TYPE, path, "should be " + PlistTypes.INTEGER_NOT_REAL);
                }
            }
        }

        // ---- the whole-tree pass: template text and <real> values ----

        private enum Context { TOP, LIBRARIES, PERSONALITIES, PERSONALITY, OTHER }

        private void walk(NSObject value, String path, Context context, int depth) {
            if (depth > MAX_WALK_DEPTH) {
                return;
            }
            if (value instanceof NSDictionary) {
                for (Map.Entry<String, NSObject> entry : ((NSDictionary) value).entrySet()) {
                    String key = entry.getKey();
                    String childPath = path.isEmpty() ? key : path + "." + key;
                    if (TemplateText.explicitVariable(key) != null
                            || (context == Context.LIBRARIES && TemplateText.isBareMacro(key))) {
                        templates.put(childPath, key);
                    }
                    NSObject child = entry.getValue();
                    if (child instanceof NSString) {
                        String text = ((NSString) child).getContent();
                        if (TemplateText.explicitVariable(text) != null
                                || (holdsVersionOrIdentifier(context, key) && TemplateText.isBareMacro(text))) {
                            templates.put(childPath, text);
                        }
                    } else {
                        walk(child, childPath, childContext(context, key), depth + 1);
                    }
                }
            } else if (value instanceof NSArray || value instanceof NSSet) {
                NSObject[] items = value instanceof NSArray ? ((NSArray) value).getArray() : ((NSSet) value).allObjects();
                for (int i = 0; i < items.length; i++) {
                    String childPath = path + "[" + i + "]";
                    if (items[i] instanceof NSString) {
                        String text = ((NSString) items[i]).getContent();
                        if (TemplateText.explicitVariable(text) != null) {
                            templates.put(childPath, text);
                        }
                    } else {
                        walk(items[i], childPath, Context.OTHER, depth + 1);
                    }
                }
            } else if (PlistTypes.isReal(value)) {
                reals.add(path);
            }
        }

        private static Context childContext(Context context, String key) {
            switch (context) {
                case TOP:
                    if (key.startsWith("OSBundleLibraries")) {
                        return Context.LIBRARIES;
                    }
                    return key.startsWith("IOKitPersonalities") ? Context.PERSONALITIES : Context.OTHER;
                case PERSONALITIES:
                    return Context.PERSONALITY;
                default:
                    return Context.OTHER;
            }
        }

        /** Bare macros are recognised only where a version or an identifier belongs. */
        private static boolean holdsVersionOrIdentifier(Context context, String key) {
            switch (context) {
                case TOP:
                    return key.equals("CFBundleIdentifier") || key.equals("CFBundleVersion")
                            || key.equals("CFBundleShortVersionString") || key.startsWith("OSBundleCompatibleVersion");
                case LIBRARIES:
                    return true;
                case PERSONALITY:
                    return key.equals("CFBundleIdentifier");
                default:
                    return false;
            }
        }

        private boolean isTemplate(String path) {
            return templates.containsKey(path);
        }

        // ---- identity ----

        private void checkIdentifier() {
            String id = requiredString(info, "", "CFBundleIdentifier");
            if (id != null && !isTemplate("CFBundleIdentifier") && id.length() >= KMOD_MAX_NAME) {
                diagnostics.add(VALIDATION, IDENTIFIER_OR_VERSION_TOO_LONG, "CFBundleIdentifier", id.length() + " characters");
            }
        }

        private void checkVersion() {
            String version = requiredString(info, "", "CFBundleVersion");
            if (version == null || isTemplate("CFBundleVersion")) {
                return;
            }
            if (version.length() >= KMOD_MAX_NAME) {
                diagnostics.add(VALIDATION, IDENTIFIER_OR_VERSION_TOO_LONG, "CFBundleVersion", version.length() + " characters");
            }
            if (!bundle.version().isValid()) {
                diagnostics.add(VALIDATION, ILLEGAL_VALUE, "CFBundleVersion",
                        "'" + version + "' is not a kext version; " + VERSION_FORM);
            }
        }

        private void checkPackageType() {
            String type = requiredString(info, "", "CFBundlePackageType");
            if (type == null || isTemplate("CFBundlePackageType") || type.equals("KEXT")) {
                return;
            }
            String note = "should be KEXT, found " + type;
            if (type.equals("DEXT")) {
                note += " (kextkit loads kexts, not DriverKit extensions)";
            }
            diagnostics.add(VALIDATION, ILLEGAL_VALUE, "CFBundlePackageType", note);
        }

        private void checkCompatibleVersion() {
            String key = bundle.archKey("OSBundleCompatibleVersion");
            NSObject value = info.objectForKey(key);
            if (value == null || isTemplate(key)) {
                return;
            }
            if (!(value instanceof NSString)) {
                illegalType(key, PlistTypes.STRING, value);
                return;
            }
            String text = ((NSString) value).getContent();
            KextVersion compatible = bundle.compatibleVersion();
            if (text.isEmpty()) {
                diagnostics.add(VALIDATION, ILLEGAL_VALUE, key, "empty string; give a version, or remove the key if the kext is not a library");
            } else if (!compatible.isValid()) {
                diagnostics.add(VALIDATION, ILLEGAL_VALUE, key, "'" + text + "' is not a kext version; " + VERSION_FORM);
            } else if (bundle.version().isValid() && !isTemplate("CFBundleVersion")
                    && compatible.compareTo(bundle.version()) > 0) {
                diagnostics.add(VALIDATION, COMPATIBLE_VERSION_LATER, key,
                        text + " is later than CFBundleVersion " + bundle.versionString());
            }
        }

        // ---- the executable jar ----

        private void checkExecutable() {
            NSObject value = info.objectForKey("CFBundleExecutable");
            if (value == null) {
                return;
            }
            if (!(value instanceof NSString)) {
                illegalType("CFBundleExecutable", PlistTypes.STRING, value);
                return;
            }
            String name = ((NSString) value).getContent();
            if (name.isEmpty() || isTemplate("CFBundleExecutable")) {
                return;
            }
            if (name.contains("/") || name.contains("\\") || name.equals(".") || name.equals("..")) {
                diagnostics.add(VALIDATION, ILLEGAL_VALUE, "CFBundleExecutable",
                        "should be a file name in " + (bundle.isShallow() ? "the bundle" : "Contents/MacOS") + ", found '" + name + "'");
                return;
            }
            Path file = bundle.executablePath();
            String shown = bundle.hasSuppliedExecutable() ? file.toString() : bundle.path().relativize(file).toString();
            boolean present = bundle.hasSuppliedExecutable() || Files.isRegularFile(file);
            if (!present) {
                // Kernel components are prelinked into the kernel: no file is expected.
                if (!bundle.isKernelComponent()) {
                    diagnostics.add(VALIDATION, EXECUTABLE_MISSING, shown,
                            Files.isDirectory(file) ? "a directory, not a jar" : "no such file");
                }
                return;
            }
            KextExecutable executable;
            try {
                executable = bundle.executable();
            } catch (KextExecutableException e) {
                diagnostics.add(VALIDATION, EXECUTABLE_BAD, shown, e.problem());
                return;
            }
            if (!executable.hasKernelCode()) {
                diagnostics.add(VALIDATION, EXECUTABLE_BAD, shown, "the jar holds no .class files");
                return;
            }
            String moduleClass = executable.moduleClass();
            if (moduleClass != null) {
                if (moduleClass.isEmpty()) {
                    diagnostics.add(VALIDATION, MODULE_CLASS_MISSING, shown, KextBundle.MODULE_CLASS_ATTRIBUTE
                            + " is empty; name the class implementing KextModule, or remove the attribute");
                } else if (executable.classBytes(moduleClass) == null) {
                    diagnostics.add(VALIDATION, MODULE_CLASS_MISSING, shown, KextBundle.MODULE_CLASS_ATTRIBUTE
                            + ": " + moduleClass + " is not in the jar");
                }
            }
            Map<String, Integer> reserved = new TreeMap<>();
            for (String className : executable.classNames()) {
                for (String prefix : RESERVED_PACKAGE_PREFIXES) {
                    if (className.startsWith(prefix)) {
                        int dot = className.lastIndexOf('.');
                        reserved.merge(className.substring(0, dot), 1, Integer::sum);
                        break;
                    }
                }
            }
            reserved.forEach((pkg, count) -> diagnostics.add(VALIDATION, RESERVED_PACKAGES, pkg,
                    count + (count == 1 ? " class" : " classes")));
        }

        // ---- OSBundleLibraries ----

        private void checkLibraries() {
            String key = bundle.librariesKey();
            NSObject value = info.objectForKey(key);
            if (bundle.isKernelComponent()) {
                if (value != null) {
                    diagnostics.add(VALIDATION, BAD_SYSTEM_PROPERTY, key,
                            "kernel components are part of the kernel and have no libraries");
                }
                return;
            }
            boolean declaresExecutable = bundle.declaresExecutable();
            if (value == null) {
                if (declaresExecutable) {
                    diagnostics.add(VALIDATION, MISSING_PROPERTY, key,
                            "a kext with an executable must declare the libraries it links against");
                }
                return;
            }
            if (!(value instanceof NSDictionary)) {
                illegalType(key, PlistTypes.DICT, value);
                return;
            }
            NSDictionary libraries = (NSDictionary) value;
            if (libraries.isEmpty()) {
                if (declaresExecutable) {
                    diagnostics.add(VALIDATION, MISSING_PROPERTY, key,
                            "the <dict> is empty, but a kext with an executable must declare its libraries");
                }
                return;
            }
            String compatibleKey = bundle.archKey("OSBundleCompatibleVersion");
            if (!declaresExecutable && !bundle.isLibrary() && !isTemplate(compatibleKey)) {
                diagnostics.add(WARNINGS, CODELESS_WITH_LIBRARIES);
            }
            for (Map.Entry<String, NSObject> entry : libraries.entrySet()) {
                String path = key + "." + entry.getKey();
                NSObject requested = entry.getValue();
                if (isTemplate(path)) {
                    continue;
                }
                if (entry.getKey().isEmpty()) {
                    diagnostics.add(VALIDATION, ILLEGAL_VALUE, path, "the library identifier is an empty string");
                    continue;
                }
                if (!(requested instanceof NSString)) {
                    illegalType(path, PlistTypes.STRING, requested);
                    continue;
                }
                String text = ((NSString) requested).getContent();
                if (text.isEmpty()) {
                    diagnostics.add(VALIDATION, ILLEGAL_VALUE, path, "empty string; give the version needed, such as 8.0.0");
                } else if (!KextVersion.parse(text, bundle.grammar()).isValid()) {
                    diagnostics.add(VALIDATION, ILLEGAL_VALUE, path, "'" + text + "' is not a kext version; " + VERSION_FORM);
                }
            }
        }

        // ---- OSBundleRequired and boolean keys ----

        private void checkOSBundleRequired() {
            String key = bundle.archKey("OSBundleRequired");
            NSObject value = info.objectForKey(key);
            if (value == null || isTemplate(key)) {
                return;
            }
            if (!(value instanceof NSString)) {
                illegalType(key, PlistTypes.STRING, value);
                return;
            }
            String text = ((NSString) value).getContent();
            if (text.equals("DriverKit")) {
                diagnostics.add(VALIDATION, DRIVERKIT_REQUIRED, key);
            } else if (!OS_BUNDLE_REQUIRED_VALUES.contains(text)) {
                diagnostics.add(VALIDATION, ILLEGAL_VALUE, key,
                        "should be one of Root, Local-Root, Network-Root, Console or Safe Boot, found '" + text + "'");
            }
        }

        private void checkBooleans() {
            for (String name : BOOLEAN_KEYS) {
                String key = bundle.archKey(name);
                NSObject value = info.objectForKey(key);
                if (value != null && !PlistTypes.isBoolean(value)) {
                    illegalType(key, PlistTypes.BOOLEAN, value);
                }
            }
        }

        // ---- IOKitPersonalities ----

        private void checkPersonalities() {
            String key = bundle.archKey("IOKitPersonalities");
            NSObject value = info.objectForKey(key);
            if (value == null) {
                return;
            }
            if (!(value instanceof NSDictionary)) {
                illegalType(key, PlistTypes.DICT, value);
                return;
            }
            for (Map.Entry<String, NSObject> entry : ((NSDictionary) value).entrySet()) {
                String path = key + "." + entry.getKey();
                if (!(entry.getValue() instanceof NSDictionary)) {
                    illegalType(path, PlistTypes.DICT, entry.getValue());
                    continue;
                }
                checkPersonality((NSDictionary) entry.getValue(), path);
            }
        }

        private void checkPersonality(NSDictionary personality, String path) {
            String ioClass = requiredString(personality, path, "IOClass");
            String provider = requiredString(personality, path, "IOProviderClass");

            NSObject debug = personality.objectForKey("IOKitDebug");
            if (debug != null && !PlistTypes.isInteger(debug)) {
                illegalType(path + ".IOKitDebug", PlistTypes.INTEGER, debug);
            }
            NSObject score = personality.objectForKey("IOProbeScore");
            if (score != null && !PlistTypes.isInteger(score)) {
                if (PlistTypes.isReal(score)) {
                    illegalType(path + ".IOProbeScore", PlistTypes.INTEGER, score);
                } else {
                    diagnostics.add(WARNINGS, INCORRECT_TYPE_WARNING, path + ".IOProbeScore",
                            "should be " + PlistTypes.INTEGER + ", found " + PlistTypes.typeName(score));
                }
            }

            String idPath = path + ".CFBundleIdentifier";
            NSObject id = personality.objectForKey("CFBundleIdentifier");
            if (id == null || (id instanceof NSString && ((NSString) id).getContent().isEmpty())) {
                diagnostics.add(WARNINGS, PERSONALITY_NO_BUNDLE_IDENTIFIER, path);
            } else if (!(id instanceof NSString)) {
                illegalType(idPath, PlistTypes.STRING, id);
            } else {
                String named = ((NSString) id).getContent();
                String own = bundle.identifier();
                if (own != null && !own.isEmpty() && !named.equals(own)
                        && !isTemplate(idPath) && !isTemplate("CFBundleIdentifier")) {
                    diagnostics.add(WARNINGS, PERSONALITY_DIFFERENT_BUNDLE_IDENTIFIER, idPath,
                            named + " (the kext is " + own + ")");
                }
            }

            if ("IOResources".equals(provider) && ioClass != null && !isTemplate(path + ".IOClass")
                    && !isTemplate(path + ".IOMatchCategory")) {
                NSObject category = personality.objectForKey("IOMatchCategory");
                if (!(category instanceof NSString) || !((NSString) category).getContent().equals(ioClass)) {
                    diagnostics.add(WARNINGS, NONUNIQUE_IORESOURCES_MATCH, path);
                }
            }
        }

        // ---- deprecated keys ----

        private void checkDeprecated() {
            String key = bundle.archKey("OSBundleDebugLevel");
            if (info.containsKey(key)) {
                diagnostics.add(WARNINGS, DEPRECATED_PROPERTY, key);
            }
        }

        // ---- helpers ----

        /**
         * Return the non-empty string at {@code dict[key]}, recording a missing or wrongly typed
         * value; a template value is returned as it is, having been reported already.
         */
        private String requiredString(NSDictionary dict, String parentPath, String key) {
            String path = parentPath.isEmpty() ? key : parentPath + "." + key;
            NSObject value = dict.objectForKey(key);
            if (value == null) {
                diagnostics.add(VALIDATION, MISSING_PROPERTY, path);
                return null;
            }
            if (!(value instanceof NSString)) {
                illegalType(path, PlistTypes.STRING, value);
                return null;
            }
            String text = ((NSString) value).getContent();
            if (text.isEmpty()) {
                diagnostics.add(VALIDATION, MISSING_PROPERTY, path, "empty string");
                return null;
            }
            return text;
        }

        private void illegalType(String path, String expected, NSObject found) {
            typeReported.add(path);
            if (PlistTypes.INTEGER.equals(expected) && PlistTypes.isReal(found)) {
                diagnostics.add(VALIDATION, ILLEGAL_TYPE, path, "should be " + PlistTypes.INTEGER_NOT_REAL);
                return;
            }
            diagnostics.add(VALIDATION, ILLEGAL_TYPE, path, "should be " + expected + ", found " + PlistTypes.typeName(found));
        }
    }
}
