package org.kextkit.maven;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.kextkit.harness.daemon.ExitStatus;
import org.kextkit.maven.internal.ToolRun;

/**
 * Load the assembled kext into the running hosted kernel daemon ({@code bin/kextkit boot}), as
 * {@code kextkit kextload} does: {@code mvn package kext:load}.
 */
@Mojo(name = "load", threadSafe = true)
public class LoadMojo extends AbstractKextMojo {
    /** The daemon's socket; by default the one kextkit's configuration names ({@code kextkit.socket}). */
    @Parameter(property = "kext.socket")
    private File socket;

    /** More kexts to resolve the kext's libraries against ({@code kextload -d}). */
    @Parameter
    private List<File> dependencies = new ArrayList<>();

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        Path bundle = requireBundle();
        Path daemon = socket != null ? socket.toPath() : config().socket();
        List<String> argv = new ArrayList<>(List.of("kextload", "-v"));
        for (File d : dependencies) {
            argv.add("-d");
            argv.add(d.getAbsolutePath());
        }
        argv.add(bundle.toString());
        ToolRun kextload = ToolRun.daemon(daemon, basedir(), argv);
        if (kextload.status() == ExitStatus.NO_KERNEL) {
            throw new MojoFailureException("No hosted kernel daemon is running at " + daemon + ", so " + bundle.getFileName()
                    + " was not loaded. Start one with: bin/kextkit boot (or name its socket with -Dkext.socket=...).");
        }
        kextload.output().lines().forEach(kextload.status() == 0 ? getLog()::info : getLog()::error);
        if (kextload.status() != 0) {
            throw new MojoFailureException("kextload " + bundle.getFileName() + " failed (exit status " + kextload.status()
                    + "):\n" + kextload.output());
        }
    }
}
