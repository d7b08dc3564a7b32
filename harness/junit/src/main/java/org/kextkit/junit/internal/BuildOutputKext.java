package org.kextkit.junit.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.kextkit.harness.bundle.KextBundle;
import org.kextkit.harness.bundle.KextExecutable;
import org.kextkit.harness.bundle.KextExecutableException;
import org.kextkit.harness.lifecycle.HostedKernel;

/**
 * The module's own kext, straight from its build, with no packaging step: the classes in
 * {@code target/classes} and the Info.plist the kext plugin's {@code info-plist} goal writes to
 * {@code target/kext/Info.plist} in {@code process-resources}, else {@code src/main/kext/Info.plist}
 * as written.
 */
public final class BuildOutputKext implements KextSource {
    /** Where the kext plugin writes the filtered Info.plist, relative to the module. */
    public static final String FILTERED_INFO_PLIST = "target/kext/Info.plist";
    /** Where a kext project keeps its Info.plist, relative to the module. */
    public static final String SOURCE_INFO_PLIST = "src/main/kext/Info.plist";
    /** The compiled classes, relative to the module. */
    public static final String CLASSES = "target/classes";

    private static final Pattern UNRESOLVED = Pattern.compile("\\$\\{[^}]*}");
    private static final Pattern EXECUTABLE_NAME =
            Pattern.compile("<key>CFBundleExecutable</key>\\s*<string>([^<]+)</string>");
    // A test JVM reads its module's classes once; every kernel defines them again from these bytes.
    private static final ConcurrentMap<Path, KextExecutable> EXECUTABLES = new ConcurrentHashMap<>();

    private final Path module;

    /** The build output of the module in {@code module}. */
    public BuildOutputKext(Path module) {
        this.module = module.toAbsolutePath().normalize();
    }

    /** The build output of the module the tests run in (Maven's {@code basedir}, else the working folder). */
    public static BuildOutputKext ofCurrentModule() {
        return new BuildOutputKext(Path.of(System.getProperty("basedir", System.getProperty("user.dir"))));
    }

    @Override
    public KextBundle addTo(HostedKernel kernel) {
        Path filtered = module.resolve(FILTERED_INFO_PLIST);
        Path source = module.resolve(SOURCE_INFO_PLIST);
        Path infoPlist = Files.isRegularFile(filtered) ? filtered : source;
        if (!Files.isRegularFile(infoPlist)) {
            throw new ExtensionConfigurationException("kextkit found no kext in the build output of " + module
                    + ": neither " + FILTERED_INFO_PLIST + " nor " + SOURCE_INFO_PLIST + " exists. Put the kext's"
                    + " Info.plist in " + SOURCE_INFO_PLIST + ", or name the kext under test with"
                    + " KernelExtension.builder().kext(...)");
        }
        String text = read(infoPlist);
        Set<String> unresolved = new LinkedHashSet<>();
        Matcher m = UNRESOLVED.matcher(text);
        while (m.find()) {
            unresolved.add(m.group());
        }
        if (!unresolved.isEmpty()) {
            throw new ExtensionConfigurationException(infoPlist + " still has unresolved " + String.join(", ", unresolved)
                    + (infoPlist == source
                            ? ". Run the tests through Maven (mvn test), whose process-resources phase writes "
                                    + FILTERED_INFO_PLIST + " with them resolved by the kext plugin's info-plist goal,"
                                    + " or write the values into " + SOURCE_INFO_PLIST
                            : ". Define those properties in the pom, or write the values into " + SOURCE_INFO_PLIST));
        }
        Path classes = module.resolve(CLASSES);
        KextExecutable executable = EXECUTABLES.computeIfAbsent(classes, BuildOutputKext::readClasses);
        Matcher name = EXECUTABLE_NAME.matcher(text);
        String bundleName = (name.find() ? name.group(1).strip() : module.getFileName().toString()) + ".kext";
        return KextSource.validated(kernel.addKext(module.resolve("target").resolve(bundleName), infoPlist,
                text.getBytes(java.nio.charset.StandardCharsets.UTF_8), executable), "from " + infoPlist + " and " + classes);
    }

    private static KextExecutable readClasses(Path classes) {
        try {
            return KextExecutable.fromClassesDirectory(classes);
        } catch (KextExecutableException e) {
            throw new ExtensionConfigurationException("kextkit can't read the kext's classes: " + e.getMessage()
                    + "; compile them first (mvn test compiles before it tests)", e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new ExtensionConfigurationException("kextkit can't read " + file + " (" + e.getMessage() + ")", e);
        }
    }
}
