package org.kextkit.maven;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;
import org.kextkit.maven.internal.InfoPlistCheck;
import org.kextkit.maven.internal.KextZip;
import org.kextkit.maven.internal.ModuleClassManifest;

/**
 * Assemble {@code target/<kextName>.kext} (Info.plist, the module jar as the executable, nested kexts
 * in PlugIns), zip it to {@code target/<finalName>.kext.zip} and make that the project's artifact,
 * which {@code install} and {@code deploy} then publish.
 */
@Mojo(name = "bundle", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true,
        requiresDependencyResolution = ResolutionScope.RUNTIME)
public class BundleMojo extends AbstractKextMojo {
    /** The jar that becomes {@code Contents/MacOS/<CFBundleExecutable>}; by default the one the jar goal made. */
    @Parameter(property = "kext.executableJar")
    private File executableJar;

    /** A folder of nested kexts ({@code Foo.kext} folders or {@code Foo.kext.zip} files) for {@code Contents/PlugIns}. */
    @Parameter(property = "kext.plugIns", defaultValue = "${project.basedir}/src/main/kext/PlugIns")
    private File plugInsDirectory;

    /** The zip's name without {@code .kext.zip}. */
    @Parameter(defaultValue = "${project.build.finalName}", readonly = true, required = true)
    private String finalName;

    /** The time written into every zip entry, for reproducible builds; unset: the build's time. */
    @Parameter(defaultValue = "${project.build.outputTimestamp}")
    private String outputTimestamp;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        Path info = filteredInfoPlist();
        if (!Files.isRegularFile(info)) {
            throw new MojoFailureException("No filtered Info.plist at " + info + ": the kext:info-plist goal writes it "
                    + "in process-resources; run the build through the package phase.");
        }
        Path bundle = bundlePath();
        InfoPlistCheck.Outcome outcome = InfoPlistCheck.check(info, bundle, config().arch().archName());
        if (outcome.failure().isPresent()) {
            throw new MojoFailureException(outcome.failure().get());
        }
        Instant time;
        try {
            time = KextZip.parseOutputTimestamp(outputTimestamp).orElseGet(Instant::now);
        } catch (IllegalArgumentException e) {
            throw new MojoFailureException(e.getMessage());
        }
        Path zip = buildDirectory.toPath().resolve(finalName + ".kext.zip");
        try {
            deleteTree(bundle);
            Path contents = Files.createDirectories(bundle.resolve("Contents"));
            Files.copy(info, contents.resolve("Info.plist"));
            if (outcome.executable() != null) {
                if (outcome.executable().contains("/") || outcome.executable().contains("\\")
                        || outcome.executable().startsWith(".")) {
                    throw new MojoFailureException(info + ": CFBundleExecutable '" + outcome.executable()
                            + "': expected a file name in Contents/MacOS, such as " + kextName + ".");
                }
                Path jar = executable();
                Path macOs = Files.createDirectories(contents.resolve("MacOS"));
                Path copied = macOs.resolve(outcome.executable());
                if (moduleClass != null && !moduleClass.isBlank()) {
                    String conflict = ModuleClassManifest.copyWithModuleClass(jar, copied, moduleClass.strip());
                    if (conflict != null) {
                        throw new MojoFailureException(jar + ": its manifest names Kext-Module-Class " + conflict
                                + " but the plugin's <moduleClass> is " + moduleClass.strip() + "; name it in one place.");
                    }
                } else {
                    Files.copy(jar, copied, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
            int plugIns = addPlugIns(contents.resolve("PlugIns"));
            KextZip.write(bundle, zip, time);
            getLog().info("Kext bundle " + bundle + (plugIns == 0 ? "" : " with " + plugIns + " plug-in(s)")
                    + ", packed to " + zip.getFileName());
        } catch (IOException e) {
            throw new MojoExecutionException("Can't assemble " + bundle + ": " + e.getMessage(), e);
        }
        project.getArtifact().setFile(zip.toFile());
    }

    private Path executable() throws MojoFailureException {
        File jar = executableJar;
        if (jar == null) {
            File built = project.getArtifact().getFile();
            jar = built != null && built.getName().endsWith(".jar") ? built
                    : new File(buildDirectory, finalName + ".jar");
        }
        if (!jar.isFile()) {
            throw new MojoFailureException("Info.plist names an executable (CFBundleExecutable) but there is no jar at "
                    + jar + ": the jar goal makes it in the package phase, or name one with <executableJar>.");
        }
        return jar.toPath();
    }

    /** Copy or unpack the configured folder's kexts and the kext dependencies; return how many. */
    private int addPlugIns(Path plugIns) throws IOException, MojoFailureException {
        List<Path> sources = new ArrayList<>();
        if (plugInsDirectory != null && plugInsDirectory.isDirectory()) {
            try (Stream<Path> entries = Files.list(plugInsDirectory.toPath())) {
                entries.filter(p -> p.getFileName().toString().endsWith(".kext")
                        || p.getFileName().toString().endsWith(".kext.zip")).sorted().forEach(sources::add);
            }
        }
        for (Artifact artifact : project.getArtifacts()) {
            if ("kext".equals(artifact.getType()) && artifact.getFile() != null) {
                sources.add(artifact.getFile().toPath());
            }
        }
        int count = 0;
        for (Path source : sources) {
            Files.createDirectories(plugIns);
            if (Files.isDirectory(source)) {
                copyTree(source, plugIns.resolve(source.getFileName().toString()));
                count++;
                continue;
            }
            try {
                List<Path> kexts = KextZip.unpack(source, plugIns);
                if (kexts.isEmpty()) {
                    throw new MojoFailureException(source + ": holds no Foo.kext folder at its top; "
                            + "a .kext.zip is made by the kext packaging's bundle goal.");
                }
                count += kexts.size();
            } catch (IOException e) {
                throw new MojoFailureException("Plug-in " + e.getMessage());
            }
        }
        return count;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path out = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(out);
                } else {
                    Files.copy(p, out, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
