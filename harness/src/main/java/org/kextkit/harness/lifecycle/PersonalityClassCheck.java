package org.kextkit.harness.lifecycle;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.kextkit.harness.bundle.InfoPlistText;
import org.kextkit.harness.bundle.KextBundle;
import org.kextkit.harness.bundle.KextExecutableException;
import org.kextkit.harness.check.Checks;
import org.kextkit.harness.check.CodeSite;
import org.kextkit.harness.check.Finding;
import org.kextkit.harness.link.FamilyExports;
import org.kextkit.harness.repository.KextRepository;
import org.kextkit.kit.internal.MetaClassNames;
import org.kextkit.kit.iokit.IOService;

/**
 * Find personalities that name classes no code of this kernel has (checks PER-PROVIDER and
 * PER-CLASS). An {@code IOProviderClass} must be an I/O Kit class of the kit, of a family kextkit
 * simulates, or of the kext and the kexts it links against, or the personality never matches; an
 * {@code IOClass} must be a class of the kext (or, for a codeless personality, of the kext its
 * {@code CFBundleIdentifier} names), of its libraries, of a family or of the kit, or matching fails
 * with "Couldn't alloc class" and the driver never starts. On a Mac the cause is a typo, a renamed
 * class or a family the kext should declare.
 *
 * <p>Apple's kextutil does not look at these classes: this is kextkit's own diagnostic, reported as
 * findings so that kextutil, kextcheck, the Maven plugin and the JUnit extension all show it.
 */
final class PersonalityClassCheck {
    private static final String KIT_IOKIT = IOService.class.getPackageName();

    private final FamilyExports families;
    private final KextRepository repository;

    PersonalityClassCheck(FamilyExports families, KextRepository repository) {
        this.families = families;
        this.repository = repository;
    }

    /** Return one finding per unknown provider class and per unknown driver class in {@code kext}'s personalities. */
    List<Finding> check(KextBundle kext, Map<String, Map<String, Object>> personalities) {
        Set<String> kextClasses = null;
        List<Finding> findings = new java.util.ArrayList<>();
        for (Map.Entry<String, Map<String, Object>> personality : personalities.entrySet()) {
            Map<String, Object> keys = personality.getValue();
            // A missing or mistyped key is the validator's to report.
            if (keys.get("IOProviderClass") instanceof String provider && !provider.isEmpty() && !isKitClass(provider)
                    && !isFamilyClass(provider)) {
                if (kextClasses == null) {
                    kextClasses = ioKitClassesOf(kext);
                }
                if (!kextClasses.contains(provider)) {
                    findings.add(finding(Checks.PER_PROVIDER, kext, personality.getKey(), "IOProviderClass", provider,
                            String.format("Personality '%s' of %s names IOProviderClass '%s', which is not an I/O Kit "
                                    + "class of this kernel, of a family kextkit simulates (%s), or of the kext and the "
                                    + "kexts it declares in OSBundleLibraries: the personality can never match, so its "
                                    + "driver never starts. Check the class name, and declare the family that publishes "
                                    + "it.", personality.getKey(), kext.identifier(), provider, familyNames())));
                }
            }
            if (keys.get("IOClass") instanceof String driver && !driver.isEmpty() && !isKitClass(driver)
                    && !isFamilyClass(driver)) {
                Set<String> candidates = driverClassesFor(kext, keys.get("CFBundleIdentifier"));
                if (!candidates.contains(driver)) {
                    findings.add(finding(Checks.PER_CLASS, kext, personality.getKey(), "IOClass", driver,
                            String.format("Personality '%s' of %s names IOClass '%s', but no class of the kext%s, of "
                                    + "the kexts it declares in OSBundleLibraries, of a family or of the kit has that "
                                    + "name: when the personality matches, I/O Kit can't create the driver "
                                    + "(\"Couldn't alloc class\") and it never starts. Name the class by its Java "
                                    + "binary name or its I/O Kit name (the binary name with '.' and '$' as '_', such as "
                                    + "com_example_driver_FooDriver).",
                                    personality.getKey(), kext.identifier(), driver,
                                    kext.executableName() == null ? " (it has no executable)" : "")));
                }
            }
        }
        return findings;
    }

    private Finding finding(String check, KextBundle kext, String personality, String key, String value, String message) {
        return new Finding(check, Checks.get(check).severity(), kext.identifier(), kext.versionString(), message,
                site(kext, personality, key, value), List.of(), null);
    }

    /**
     * Return the I/O Kit names a personality's driver may have: classes of the kext and its
     * libraries, or, for a personality whose {@code CFBundleIdentifier} names another kext (a
     * codeless personality for a library's driver), of that kext and its libraries too.
     */
    private Set<String> driverClassesFor(KextBundle kext, Object personalityBundleId) {
        Set<String> names = new HashSet<>(ioKitClassesOf(kext));
        if (personalityBundleId instanceof String other && !other.equals(kext.identifier())) {
            KextBundle owner = repository.preferred(other);
            if (owner != null) {
                names.addAll(ioKitClassesOf(owner));
            }
        }
        return names;
    }

    private static boolean isKitClass(String name) {
        try {
            Class.forName(KIT_IOKIT + "." + name, false, IOService.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    private boolean isFamilyClass(String name) {
        for (FamilyExports.Family family : families.families()) {
            for (String pkg : family.packages()) {
                if (family.hasClass(pkg + "." + name)) {
                    return true;
                }
            }
        }
        return false;
    }

    private String familyNames() {
        return families.families().stream().map(FamilyExports.Family::bundleIdentifier).reduce((a, b) -> a + ", " + b)
                .orElse("none");
    }

    /** Return the I/O Kit and binary names of the classes of the kext, its plug-ins and the kexts it links against. */
    private Set<String> ioKitClassesOf(KextBundle kext) {
        Set<String> names = new HashSet<>();
        Set<String> seen = new HashSet<>();
        Deque<KextBundle> todo = new ArrayDeque<>();
        todo.add(kext);
        todo.addAll(kext.plugins());
        while (!todo.isEmpty()) {
            KextBundle next = todo.poll();
            if (next.identifier() == null || !seen.add(next.identifier() + " " + next.versionString())) {
                continue;
            }
            if (next.executableName() != null) {
                try {
                    for (String binaryName : next.executable().classNames()) {
                        // I/O Kit finds a driver class by either name, as the kernel's matching does.
                        names.add(MetaClassNames.ofBinaryName(binaryName));
                        names.add(binaryName);
                    }
                } catch (KextExecutableException e) {
                    // an unreadable executable is reported where the kext is loaded
                }
            }
            for (String library : next.libraries().keySet()) {
                KextBundle dependency = repository.preferred(library);
                if (dependency != null) {
                    todo.add(dependency);
                }
            }
        }
        return names;
    }

    /** Return the Info.plist line of the personality's {@code key} value (the file alone if not found). */
    private static CodeSite site(KextBundle kext, String personality, String key, String value) {
        Path infoPlist = kext.infoPlistPath();
        if (infoPlist == null) {
            return null;
        }
        // The text the bundle was read from, not the file again.
        int line = kext.infoPlistLines()
                .map(lines -> InfoPlistText.find(lines, List.of(personality, key), value).valueLine()).orElse(-1);
        return CodeSite.inPropertyList(infoPlist, "IOKitPersonalities." + personality + "." + key, line);
    }
}
