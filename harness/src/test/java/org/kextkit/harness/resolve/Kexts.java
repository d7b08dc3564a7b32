package org.kextkit.harness.resolve;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.dd.plist.NSDictionary;
import com.dd.plist.PropertyListParser;
import java.nio.file.Path;
import java.util.List;
import org.kextkit.harness.bundle.KextBundle;
import org.kextkit.harness.diagnostics.DiagnosticGroup;
import org.kextkit.harness.repository.KextRepository;
import org.kextkit.harness.version.VersionGrammar;

/**
 * Build kext bundles in memory from the body of their Info.plist {@code <dict>}, so that a test shows
 * its whole input on one screen. Bundles are numbered in creation order, as a reader numbers them.
 */
public final class Kexts {
    private final String arch;
    private long seq;

    /** Build bundles for an x86_64 host. */
    public Kexts() {
        this("x86_64");
    }

    /** Build bundles for the given host architecture. */
    public Kexts(String arch) {
        this.arch = arch;
    }

    /** Build the kext at {@code path} whose Info.plist dictionary holds {@code dictBody}. */
    public KextBundle kext(String path, String dictBody) {
        return bundle(Path.of(path), dictBody, null);
    }

    /** Build a plug-in {@code name} inside {@code parent}'s {@code Contents/PlugIns}. */
    public KextBundle plugin(KextBundle parent, String name, String dictBody) {
        return bundle(parent.path().resolve("Contents/PlugIns").resolve(name), dictBody, parent);
    }

    /** Mark a bundle as having failed validation, as the bundle validator would. */
    public static KextBundle invalid(KextBundle kext) {
        kext.diagnostics().add(DiagnosticGroup.VALIDATION, "Info dictionary property value is illegal", "CFBundleVersion");
        return kext;
    }

    /** Return a repository of the default kernel plus {@code kexts}. */
    public static KextRepository repository(KextBundle... kexts) {
        return KextRepository.of(List.of(kexts));
    }

    /** Parse the body of an Info.plist {@code <dict>}. */
    public static NSDictionary parse(String dictBody) {
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n"
                + "<plist version=\"1.0\"><dict>\n" + dictBody + "\n</dict></plist>\n";
        try {
            return (NSDictionary) PropertyListParser.parse(xml.getBytes(UTF_8));
        } catch (Exception e) {
            throw new IllegalArgumentException("test Info.plist does not parse: " + e.getMessage() + "\n" + dictBody, e);
        }
    }

    private KextBundle bundle(Path dir, String dictBody, KextBundle parent) {
        return new KextBundle(dir, dir.resolve("Contents/Info.plist"), parse(dictBody), arch, VersionGrammar.MODERN,
                parent, seq++);
    }
}
