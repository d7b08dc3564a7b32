package org.kextkit.maven.internal;

import com.dd.plist.NSDictionary;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.kextkit.harness.bundle.InfoPlistException;
import org.kextkit.harness.bundle.InfoPlistReader;
import org.kextkit.harness.bundle.KextBundle;
import org.kextkit.harness.bundle.KextBundleValidator;
import org.kextkit.harness.bundle.ValidationMessages;
import org.kextkit.harness.cli.KextutilMessages;
import org.kextkit.harness.diagnostics.DiagnosticGroup;
import org.kextkit.harness.diagnostics.KextDiagnostics;
import org.kextkit.harness.version.VersionGrammar;

/**
 * Validate a filtered Info.plist before there is a bundle, with the harness's own reader and
 * validator, so the build reports the same diagnostics {@code kextutil} would.
 *
 * <p>The checks that need the executable (is it there, is it a jar, its module class, its packages)
 * are left to the {@code check} goal, which runs on the assembled bundle: in {@code process-resources}
 * nothing is compiled yet.
 */
public final class InfoPlistCheck {
    private static final List<String> NEED_THE_EXECUTABLE = List.of(ValidationMessages.EXECUTABLE_MISSING,
            ValidationMessages.EXECUTABLE_BAD, ValidationMessages.MODULE_CLASS_MISSING, ValidationMessages.RESERVED_PACKAGES);

    private InfoPlistCheck() {
    }

    /**
     * What the check found: the failure text (kextutil's {@code Diagnostics for ...} block, or the
     * reader's message naming the file and line) if the plist cannot be used, and the warnings.
     */
    public record Outcome(Optional<String> failure, Optional<String> warnings, String bundleIdentifier,
            String executable) {
    }

    /**
     * Read and validate {@code infoPlist} as the Info.plist of the bundle {@code bundlePath} will be
     * (the path only names the kext in messages).
     */
    public static Outcome check(Path infoPlist, Path bundlePath, String arch) {
        NSDictionary info;
        try {
            info = new InfoPlistReader().read(infoPlist);
        } catch (InfoPlistException e) {
            return new Outcome(Optional.of(e.getMessage()), Optional.empty(), null, null);
        }
        KextBundle bundle = new KextBundle(bundlePath, infoPlist, info, arch, VersionGrammar.MODERN, null, 1);
        KextDiagnostics diagnostics = new KextBundleValidator().validate(bundle);
        for (DiagnosticGroup group : DiagnosticGroup.values()) {
            NEED_THE_EXECUTABLE.forEach(message -> diagnostics.remove(group, message));
        }
        String identifier = bundle.identifier();
        String executable = bundle.executableName();
        Optional<String> warnings = diagnostics.has(DiagnosticGroup.WARNINGS)
                ? Optional.of(diagnostics.format(Set.of(DiagnosticGroup.WARNINGS)).strip())
                : Optional.empty();
        if (diagnostics.hasFailures()) {
            String text = KextutilMessages.diagnosticsFor(bundlePath.toString()) + "\n" + diagnostics.format().stripTrailing();
            return new Outcome(Optional.of(text), warnings, identifier, executable);
        }
        return new Outcome(Optional.empty(), warnings, identifier, executable);
    }
}
