package org.kextkit.harness.lifecycle;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * Find personalities whose {@code IOProviderClass} no class of this kernel can ever be: not an I/O Kit
 * class of the kit, not one a simulated family exports, not one of the kext's own classes or of the
 * kexts it links against (check PER-PROVIDER). Such a personality never matches, so its driver never
 * starts; on a Mac the usual cause is a family the kext should declare or a typo.
 *
 * <p>Apple's kextutil does not look at provider classes: this is kextkit's own diagnostic, reported as
 * a finding so that kextutil, kextcheck, the Maven plugin and the JUnit extension all show it.
 */
final class ProviderClassCheck {
    private static final String KIT_IOKIT = IOService.class.getPackageName();

    private final FamilyExports families;
    private final KextRepository repository;

    ProviderClassCheck(FamilyExports families, KextRepository repository) {
        this.families = families;
        this.repository = repository;
    }

    /** Return one finding per personality of {@code kext} whose provider class is unknown. */
    List<Finding> check(KextBundle kext, Map<String, Map<String, Object>> personalities) {
        Set<String> kextClasses = null;
        List<Finding> findings = new java.util.ArrayList<>();
        for (Map.Entry<String, Map<String, Object>> personality : personalities.entrySet()) {
            if (!(personality.getValue().get("IOProviderClass") instanceof String provider) || provider.isEmpty()) {
                continue; // a missing or mistyped key is the validator's to report
            }
            if (isKitClass(provider) || isFamilyClass(provider)) {
                continue;
            }
            if (kextClasses == null) {
                kextClasses = ioKitClassesOf(kext);
            }
            if (kextClasses.contains(provider)) {
                continue;
            }
            String message = String.format("Personality '%s' of %s names IOProviderClass '%s', which is not an I/O Kit "
                    + "class of this kernel, of a family kextkit simulates (%s), or of the kext and the kexts it "
                    + "declares in OSBundleLibraries: the personality can never match, so its driver never starts. "
                    + "Check the class name, and declare the family that publishes it.", personality.getKey(),
                    kext.identifier(), provider, familyNames());
            findings.add(new Finding(Checks.PER_PROVIDER, Checks.get(Checks.PER_PROVIDER).severity(), kext.identifier(),
                    kext.versionString(), message, providerSite(kext, personality.getKey(), provider),
                    List.of(), null));
        }
        return findings;
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

    /** Return the I/O Kit names of the classes of the kext, its plug-ins and the kexts it links against. */
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
                        names.add(MetaClassNames.ofBinaryName(binaryName));
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

    /**
     * Return the Info.plist line of the personality's {@code IOProviderClass} value, found in the XML
     * text after the personality's key (the parser keeps no line numbers); the file alone if not found.
     */
    private static CodeSite providerSite(KextBundle kext, String personality, String provider) {
        Path infoPlist = kext.infoPlistPath();
        if (infoPlist == null) {
            return null;
        }
        int line = -1;
        try {
            // The text the bundle was read from, not the file again.
            List<String> lines = kext.infoPlistLines().orElse(List.of());
            int start = 0;
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).contains("<key>" + personality + "</key>")) {
                    start = i;
                    break;
                }
            }
            for (int i = start; i < lines.size() && line < 0; i++) {
                if (lines.get(i).contains("<key>IOProviderClass</key>")) {
                    for (int j = i; j < Math.min(lines.size(), i + 3); j++) {
                        if (lines.get(j).contains("<string>" + provider + "</string>")) {
                            line = j + 1;
                            break;
                        }
                    }
                }
            }
        } catch (RuntimeException e) {
            // the site stays without a line
        }
        return CodeSite.inPropertyList(infoPlist, "IOKitPersonalities." + personality + ".IOProviderClass", line);
    }
}
