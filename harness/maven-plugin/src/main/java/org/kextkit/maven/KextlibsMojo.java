package org.kextkit.maven;

import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.kextkit.maven.internal.ToolRun;

/**
 * Print the {@code OSBundleLibraries} the assembled kext needs, as {@code kextkit kextlibs} does:
 * {@code mvn package kext:kextlibs -Dkext.kextlibs.xml}.
 */
@Mojo(name = "kextlibs", threadSafe = true)
public class KextlibsMojo extends AbstractKextMojo {
    /** Print an XML fragment to paste into Info.plist ({@code kextlibs -xml}). */
    @Parameter(property = "kext.kextlibs.xml", defaultValue = "false")
    private boolean xml;

    /** Also list compatible versions instead of current ones ({@code kextlibs -c}). */
    @Parameter(property = "kext.kextlibs.compatibleVersions", defaultValue = "false")
    private boolean compatibleVersions;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        List<String> argv = new ArrayList<>(List.of("kextlibs"));
        if (xml) {
            argv.add("-xml");
        }
        if (compatibleVersions) {
            argv.add("-c");
        }
        argv.add(requireBundle().toString());
        ToolRun kextlibs = ToolRun.inProcess(config(), basedir(), argv);
        kextlibs.err().lines().filter(line -> !line.isBlank()).forEach(getLog()::warn);
        kextlibs.out().lines().forEach(getLog()::info);
        if (kextlibs.status() != 0) {
            throw new MojoFailureException("kextlibs " + kextName + ".kext failed (exit status " + kextlibs.status()
                    + ")" + (kextlibs.err().isBlank() ? "." : ":\n" + kextlibs.err().stripTrailing()));
        }
    }
}
