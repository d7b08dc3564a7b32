package org.kextkit.maven;

import java.io.File;
import java.nio.file.Path;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.kextkit.harness.config.ConfigException;
import org.kextkit.harness.config.ConfigLoader;
import org.kextkit.harness.config.KextkitConfig;

/** What every kext goal knows: the project, where its bundle goes, and kextkit's configuration. */
abstract class AbstractKextMojo extends AbstractMojo {
    /** The project being built. */
    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    protected MavenProject project;

    /** The bundle's folder name without {@code .kext}: the build makes {@code target/<kextName>.kext}. */
    @Parameter(property = "kext.name", defaultValue = "${project.artifactId}", required = true)
    protected String kextName;

    /**
     * The class with a generic kext's start and stop routines ({@code Kext-Module-Class}); none for
     * a kext whose code runs only as I/O Kit drivers. {@code info-plist} writes it into
     * {@code target/classes/META-INF/MANIFEST.MF}, where tests loading the build output find it, and
     * {@code bundle} into the executable jar's manifest.
     */
    @Parameter(property = "kext.moduleClass")
    protected String moduleClass;

    /** The build's output folder. */
    @Parameter(defaultValue = "${project.build.directory}", readonly = true, required = true)
    protected File buildDirectory;

    /** Return the bundle this build assembles, {@code target/<kextName>.kext}. */
    protected Path bundlePath() {
        return buildDirectory.toPath().resolve(kextName + ".kext").toAbsolutePath().normalize();
    }

    /** Return the filtered Info.plist, {@code target/kext/Info.plist}, which the test phase reads too. */
    protected Path filteredInfoPlist() {
        return buildDirectory.toPath().resolve("kext").resolve("Info.plist").toAbsolutePath().normalize();
    }

    /** Return the project folder, against which relative paths in the configuration resolve. */
    protected Path basedir() {
        return project.getBasedir().toPath().toAbsolutePath().normalize();
    }

    /**
     * Return kextkit's configuration as {@code bin/kextkit} would read it in the project folder
     * (docs/configuration.md): defaults, the user file, {@code KEXTKIT_*} and {@code -Dkextkit.*}.
     */
    protected KextkitConfig config() throws MojoFailureException {
        try {
            return new ConfigLoader().workingDirectory(basedir()).load();
        } catch (ConfigException e) {
            throw new MojoFailureException("kextkit configuration: " + e.getMessage());
        }
    }

    /** Fail unless the bundle was assembled (by the package phase). */
    protected Path requireBundle() throws MojoFailureException {
        Path bundle = bundlePath();
        if (!bundle.resolve("Contents").resolve("Info.plist").toFile().isFile()) {
            throw new MojoFailureException("No kext bundle at " + bundle + ": run the package phase first "
                    + "(mvn package), which assembles it with the kext:bundle goal.");
        }
        return bundle;
    }

    /** Log each line of {@code text} as an error. */
    protected void logErrorLines(String text) {
        text.lines().forEach(getLog()::error);
    }
}
