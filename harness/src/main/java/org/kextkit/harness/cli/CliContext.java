package org.kextkit.harness.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.kextkit.harness.repository.KernelPseudoKexts;

/**
 * Hand the kext commands what they need from the outside: the settings of the hosted kernel (its
 * extension folders, version and architecture) and the services they talk to.
 *
 * <p>Every service is optional: a command whose service is absent says so and exits with
 * {@link ExitCodes#EX_UNAVAILABLE}, so a context can be built before the kernel side exists. Extra
 * commands (the daemon's {@code boot}, {@code shutdown}, {@code status}) are registered here too and
 * appear beside the kext commands. Instances are immutable and may be shared between invocations.
 */
public final class CliContext {
    /** The architecture used when none is configured. */
    public static final String DEFAULT_ARCH = KernelPseudoKexts.DEFAULT_ARCH;
    /** The kernel version (Darwin release) used when none is configured. */
    public static final String DEFAULT_KERNEL_VERSION = KernelPseudoKexts.DEFAULT_KERNEL_VERSION;

    private final List<Path> extensionFolders;
    private final String kernelVersion;
    private final String arch;
    private final boolean safeBoot;
    private final KernelPort kernel;
    private final KextInspector inspector;
    private final KextLibsPort kextLibs;
    private final RegistryPort registry;
    private final KextChecker kextChecker;
    private final Map<String, Function<CliInvocation, Object>> extraCommands;

    private CliContext(Builder b) {
        this.extensionFolders = List.copyOf(b.extensionFolders);
        this.kernelVersion = b.kernelVersion;
        this.arch = b.arch;
        this.safeBoot = b.safeBoot;
        this.kernel = b.kernel;
        this.inspector = b.inspector;
        this.kextLibs = b.kextLibs;
        this.registry = b.registry;
        this.kextChecker = b.kextChecker;
        this.extraCommands = Collections.unmodifiableMap(new LinkedHashMap<>(b.extraCommands));
    }

    /** Start building a context with no services and the default settings. */
    public static Builder builder() {
        return new Builder();
    }

    /** Return a builder preset with this context's contents. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.extensionFolders.addAll(extensionFolders);
        b.kernelVersion = kernelVersion;
        b.arch = arch;
        b.safeBoot = safeBoot;
        b.kernel = kernel;
        b.inspector = inspector;
        b.kextLibs = kextLibs;
        b.registry = registry;
        b.kextChecker = kextChecker;
        b.extraCommands.putAll(extraCommands);
        return b;
    }

    /**
     * Return the system extension folders (the counterpart of {@code /System/Library/Extensions}
     * and {@code /Library/Extensions}), absolute; the default search set of every command.
     */
    public List<Path> extensionFolders() {
        return extensionFolders;
    }

    /** Return the kernel version the pseudo-kexts report, for example {@code 20.5.0}. */
    public String kernelVersion() {
        return kernelVersion;
    }

    /** Return the kernel's architecture, for example {@code x86_64}. */
    public String arch() {
        return arch;
    }

    /** Return true if the kernel runs in safe-boot mode. */
    public boolean safeBoot() {
        return safeBoot;
    }

    /** Return the running kernel, if one is connected. */
    public Optional<KernelPort> kernel() {
        return Optional.ofNullable(kernel);
    }

    /** Return the kext reader, validator and resolver, if connected. */
    public Optional<KextInspector> inspector() {
        return Optional.ofNullable(inspector);
    }

    /** Return the link-dependency finder for kextlibs, if connected. */
    public Optional<KextLibsPort> kextLibs() {
        return Optional.ofNullable(kextLibs);
    }

    /** Return the I/O Kit registry and class counts for ioreg and ioclasscount, if connected. */
    public Optional<RegistryPort> registry() {
        return Optional.ofNullable(registry);
    }

    /** Return the runner that checks kexts each in a kernel of its own, for kextcheck, if connected. */
    public Optional<KextChecker> kextChecker() {
        return Optional.ofNullable(kextChecker);
    }

    /** Return the extra commands by name, each as a factory of a picocli command object. */
    public Map<String, Function<CliInvocation, Object>> extraCommands() {
        return extraCommands;
    }

    /** Build a {@link CliContext}. */
    public static final class Builder {
        private final List<Path> extensionFolders = new ArrayList<>();
        private String kernelVersion = DEFAULT_KERNEL_VERSION;
        private String arch = DEFAULT_ARCH;
        private boolean safeBoot;
        private KernelPort kernel;
        private KextInspector inspector;
        private KextLibsPort kextLibs;
        private RegistryPort registry;
        private KextChecker kextChecker;
        private final Map<String, Function<CliInvocation, Object>> extraCommands = new LinkedHashMap<>();

        private Builder() {
        }

        /** Replace the extension folders; each must be absolute. */
        public Builder extensionFolders(List<Path> folders) {
            extensionFolders.clear();
            for (Path folder : folders) {
                if (!folder.isAbsolute()) {
                    throw new IllegalArgumentException("extension folder " + folder + " is not an absolute path");
                }
                extensionFolders.add(folder.normalize());
            }
            return this;
        }

        /** Set the kernel version. */
        public Builder kernelVersion(String version) {
            this.kernelVersion = Objects.requireNonNull(version, "version");
            return this;
        }

        /** Set the architecture. */
        public Builder arch(String architecture) {
            this.arch = Objects.requireNonNull(architecture, "architecture");
            return this;
        }

        /** Say whether the kernel runs in safe-boot mode. */
        public Builder safeBoot(boolean safe) {
            this.safeBoot = safe;
            return this;
        }

        /** Connect a running kernel ({@code null} disconnects). */
        public Builder kernel(KernelPort port) {
            this.kernel = port;
            return this;
        }

        /** Connect the kext inspector ({@code null} disconnects). */
        public Builder inspector(KextInspector port) {
            this.inspector = port;
            return this;
        }

        /** Connect the kextlibs link-dependency finder ({@code null} disconnects). */
        public Builder kextLibs(KextLibsPort port) {
            this.kextLibs = port;
            return this;
        }

        /** Connect the I/O Kit registry for ioreg and ioclasscount ({@code null} disconnects). */
        public Builder registry(RegistryPort port) {
            this.registry = port;
            return this;
        }

        /** Connect the kext checker of kextcheck ({@code null} disconnects). */
        public Builder kextChecker(KextChecker checker) {
            this.kextChecker = checker;
            return this;
        }

        /**
         * Register an extra command: {@code factory} makes a fresh picocli command object (annotated
         * with {@code @Command}) for each invocation.
         */
        public Builder extraCommand(String name, Function<CliInvocation, Object> factory) {
            extraCommands.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(factory, "factory"));
            return this;
        }

        /** Return the context. */
        public CliContext build() {
            return new CliContext(this);
        }
    }
}
