package org.kextkit.harness.cli.support;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.kextkit.harness.bundle.KextBundle;
import org.kextkit.harness.cli.CliContext;
import org.kextkit.harness.cli.KextkitCommand;
import org.kextkit.harness.cli.TrialLink;

/**
 * Set up a small kext world on disk for command tests: a system extension folder holding the KPI
 * pseudo-kexts, a working directory for the client, a disk-backed inspector, a test kernel booted
 * from the system folder, and the symbol-list linker; then run command lines in it.
 */
public final class World {
    /** The KPIs every world has, loaded as tags 1 to 4. */
    public static final String[] KPIS = {"com.apple.kpi.bsd", "com.apple.kpi.iokit", "com.apple.kpi.libkern",
        "com.apple.kpi.mach"};

    private final Path system;
    private final Path work;
    private final DiskKextInspector inspector;
    private final SimpleKernel kernel;
    private CliContext context;

    /** Create a world under {@code root} whose catalogs cannot trial-link. */
    public World(Path root) {
        this(root, k -> Optional.empty());
    }

    /** Create a world under {@code root} whose catalogs trial-link with {@code linker}. */
    public World(Path root, Function<KextBundle, Optional<TrialLink>> linker) {
        try {
            system = Files.createDirectories(root.resolve("System/Library/Extensions"));
            work = Files.createDirectories(root.resolve("work"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Kexts.kpis(system, "20.5.0", KPIS);
        inspector = new DiskKextInspector(linker);
        kernel = new SimpleKernel(inspector, List.of(system), "x86_64");
        context = CliContext.builder()
                .extensionFolders(List.of(system))
                .inspector(inspector)
                .kernel(kernel)
                .kextLibs(new SymbolListLinker())
                .build();
    }

    /** Return the system extension folder. */
    public Path system() {
        return system;
    }

    /** Return the client's working directory. */
    public Path work() {
        return work;
    }

    /** Return the test kernel. */
    public SimpleKernel kernel() {
        return kernel;
    }

    /** Return the context commands run with. */
    public CliContext context() {
        return context;
    }

    /** Replace the context (for example to disconnect a service). */
    public World context(CliContext newContext) {
        this.context = newContext;
        return this;
    }

    /** Run {@code kextkit <args>} in the working directory. */
    public CliResult run(String... args) {
        return run(context, work, args);
    }

    /** Run {@code kextkit <args>} with a given context and working directory. */
    public static CliResult run(CliContext context, Path cwd, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = KextkitCommand.run(List.of(args), cwd, new PrintWriter(out), new PrintWriter(err), context);
        return new CliResult(status, out.toString(), err.toString());
    }
}
