package org.kextkit.maven;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.PluginParameterExpressionEvaluator;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.codehaus.plexus.component.configurator.expression.ExpressionEvaluationException;
import org.kextkit.maven.internal.BundleVersions;
import org.kextkit.maven.internal.InfoPlistCheck;
import org.kextkit.maven.internal.InfoPlistFilter;
import org.kextkit.maven.internal.ModuleClassManifest;

/**
 * Filter {@code src/main/kext/Info.plist} into {@code target/kext/Info.plist} and validate it as
 * {@code kextutil} validates a bundle's info dictionary.
 *
 * <p>{@code ${...}} expressions are replaced with the project's values (POM, properties, {@code -D})
 * and {@code ${kext.bundleIdentifier}} and {@code ${kext.version}}; {@code $(...)} and {@code @...@}
 * text is kept. The result is what {@code mvn test} loads the kext from, before any bundle exists.
 */
@Mojo(name = "info-plist", defaultPhase = LifecyclePhase.PROCESS_RESOURCES, threadSafe = true)
public class InfoPlistMojo extends AbstractKextMojo {
    /** The Info.plist to filter. */
    @Parameter(property = "kext.infoPlist", defaultValue = "${project.basedir}/src/main/kext/Info.plist", required = true)
    private File infoPlist;

    /** The value of {@code ${kext.bundleIdentifier}}: a reverse-DNS identifier. */
    @Parameter(property = "kext.bundleIdentifier", defaultValue = "${project.groupId}.${project.artifactId}", required = true)
    private String bundleIdentifier;

    /**
     * The value of {@code ${kext.version}}; by default derived from the project version: {@code 1.2.3}
     * as it is, {@code 1.2.3-SNAPSHOT} as {@code 1.2.3d1}.
     */
    @Parameter(property = "kext.bundleVersion")
    private String bundleVersion;

    /** The architecture whose {@code _<arch>} keys the validation reads; by default kextkit's configured one. */
    @Parameter(property = "kext.arch")
    private String arch;

    /** The compiled classes, where the module class is recorded for tests. */
    @Parameter(defaultValue = "${project.build.outputDirectory}", readonly = true, required = true)
    private File outputDirectory;

    @Parameter(defaultValue = "${session}", readonly = true, required = true)
    private MavenSession session;

    @Parameter(defaultValue = "${mojoExecution}", readonly = true, required = true)
    private MojoExecution mojoExecution;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        Path source = infoPlist.toPath();
        if (!Files.isRegularFile(source)) {
            throw new MojoFailureException(source + ": no Info.plist. A kext project keeps its info dictionary in "
                    + "src/main/kext/Info.plist (or the file named by <infoPlist>).");
        }
        String text;
        try {
            text = Files.readString(source, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new MojoFailureException(source + ": can't be read as UTF-8 text (" + e.getMessage() + ").");
        }
        String version = kextVersion();
        PluginParameterExpressionEvaluator evaluator = new PluginParameterExpressionEvaluator(session, mojoExecution);
        InfoPlistFilter filter = new InfoPlistFilter(name -> switch (name) {
            case "kext.bundleIdentifier" -> Optional.of(bundleIdentifier);
            case "kext.version" -> Optional.of(version);
            default -> evaluate(evaluator, name);
        });
        InfoPlistFilter.Result filtered = filter.filter(text);
        for (InfoPlistFilter.Unresolved u : filtered.unresolved()) {
            getLog().warn(source + ":" + u.line() + ": " + u.expression() + " is not a property of this build; left as written.");
        }
        Path target = filteredInfoPlist();
        try {
            Files.createDirectories(target.getParent());
            Files.writeString(target, filtered.text(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new MojoExecutionException("Can't write " + target + ": " + e.getMessage(), e);
        }
        String architecture = arch != null ? arch : config().arch().archName();
        InfoPlistCheck.Outcome outcome = InfoPlistCheck.check(target, bundlePath(), architecture);
        outcome.warnings().ifPresent(w -> w.lines().forEach(getLog()::warn));
        if (outcome.failure().isPresent()) {
            logErrorLines(outcome.failure().get());
            throw new MojoFailureException(outcome.failure().get() + "\n(filtered from " + source + ")");
        }
        getLog().info("Info.plist of " + outcome.bundleIdentifier() + " filtered to " + target);
        if (moduleClass != null && !moduleClass.isBlank()) {
            Path manifest = outputDirectory.toPath().resolve("META-INF").resolve("MANIFEST.MF");
            try {
                ModuleClassManifest.record(manifest, moduleClass.strip());
            } catch (IOException e) {
                throw new MojoExecutionException("Can't write " + manifest + ": " + e.getMessage(), e);
            }
        }
    }

    private String kextVersion() throws MojoFailureException {
        if (bundleVersion != null && !bundleVersion.isBlank()) {
            if (!BundleVersions.isKextVersion(bundleVersion.strip())) {
                throw new MojoFailureException("<bundleVersion> '" + bundleVersion + "' is not a kext version: expected "
                        + "major[.minor[.revision]] with an optional d, a, b or fc stage and level, such as 1.0.2b3.");
            }
            return bundleVersion.strip();
        }
        return BundleVersions.fromProjectVersion(project.getVersion()).orElseThrow(() -> new MojoFailureException(
                "The project version " + project.getVersion() + " has no kext version of the same meaning (a kext "
                        + "version is major[.minor[.revision]] with an optional d, a, b or fc stage, such as 1.0.2b3). "
                        + "Set one in the plugin's configuration: <bundleVersion>1.0.0</bundleVersion>."));
    }

    /** Return the build's value of {@code ${name}}, if it is a plain value (not an object such as the project). */
    private Optional<String> evaluate(PluginParameterExpressionEvaluator evaluator, String name) {
        try {
            Object value = evaluator.evaluate("${" + name + "}");
            if (value instanceof String || value instanceof Number || value instanceof Boolean) {
                return Optional.of(value.toString());
            }
            if (value instanceof File file) {
                return Optional.of(file.getPath());
            }
            return Optional.empty();
        } catch (ExpressionEvaluationException e) {
            return Optional.empty();
        }
    }
}
