package org.kextkit.harness.repository;

import com.dd.plist.NSDictionary;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.kextkit.harness.bundle.KextBundle;
import org.kextkit.harness.version.KextVersion;
import org.kextkit.harness.version.VersionGrammar;

/**
 * Build the kernel's built-in pseudo-kexts for one running-kernel version: {@code System.kext}
 * ({@code com.apple.kernel}), its KPI plug-ins ({@code com.apple.kpi.*}) and the legacy 32-bit
 * {@code com.apple.kernel.*} plug-ins.
 *
 * <p>Each is an in-memory {@link KextBundle} at the conventional path under
 * {@code /System/Library/Extensions/System.kext}, with the keys xnu's {@code config/System.kext}
 * plists carry: {@code OSKernelResource}, {@code OSBundleRequired = Root}, the real plug-ins'
 * {@code CFBundleExecutable} names and Apple's compatible versions. The KPI plug-ins and
 * {@code com.apple.kernel} take the running-kernel version as {@code CFBundleVersion}, so a request
 * for any KPI version from the compatible version up to the kernel version is satisfied; the legacy
 * plug-ins are frozen at 7.9.9 as they were when Apple removed them. Their
 * {@linkplain KextBundle#order() creation order} is negative, so a kext from disk with the same
 * identifier and version wins a tie.
 */
public final class KernelPseudoKexts {
    /** The running-kernel version used unless configured otherwise: Darwin 25.1.0 (macOS 26.1). */
    public static final String DEFAULT_KERNEL_VERSION = "25.1.0";
    /** The host architecture used unless configured otherwise. */
    public static final String DEFAULT_ARCH = "x86_64";
    /** The identifier of {@code System.kext}, the kernel itself; no kext may link against it. */
    public static final String KERNEL_ID = "com.apple.kernel";
    /** The version of every legacy {@code com.apple.kernel.*} pseudo-kext. */
    public static final String LEGACY_VERSION = "7.9.9";
    /** Where {@code System.kext} conventionally lives. */
    public static final Path SYSTEM_KEXT = Path.of("/System/Library/Extensions/System.kext");

    /** The oldest kernel with KPI pseudo-kexts: Darwin 8 (Mac OS X 10.4), whose KPIs date from 8.0.0b1. */
    private static final String OLDEST_KPI_KERNEL = "8.0.0b1";
    private static final long FIRST_ORDER = -1_000;

    private static final List<Spec> SPECS = List.of(
            // id, plug-in folder (null: System.kext itself), CFBundleExecutable, compatible version
            // (null: the kernel version), CFBundleName, legacy
            new Spec(KERNEL_ID, null, null, null, "System Resource Pseudoextension", false),
            new Spec("com.apple.kpi.bsd", "BSDKernel.kext", "BSDKernel", "8.0.0b1", "BSD Kernel Pseudoextension", false),
            new Spec("com.apple.kpi.dsep", "MACFramework.kext", "MACFramework", "8.0.0b1", "MAC Framework Pseudoextension", false),
            new Spec("com.apple.kpi.iokit", "IOKit.kext", "IOKit", "7.0", "I/O Kit Pseudoextension", false),
            new Spec("com.apple.kpi.libkern", "Libkern.kext", "Libkern", "8.0.0d0", "Libkern Pseudoextension", false),
            new Spec("com.apple.kpi.mach", "Mach.kext", "Mach", "8.0.0d0", "Mach Kernel Pseudoextension", false),
            new Spec("com.apple.kpi.private", "Private.kext", "Private", "8.0.0b1", "Private Pseudoextension", false),
            new Spec("com.apple.kpi.unsupported", "Unsupported.kext", "Unsupported", "8.0.0b1", "Unsupported Pseudoextension", false),
            // The legacy plug-ins other than System6.0.kext had no executable of their own: they named
            // com.apple.kernel.6.0's through OSBundleSharedExecutableIdentifier.
            new Spec("com.apple.kernel.6.0", "System6.0.kext", "kernel.6.0", "7.9.9", "System Resource Pseudoextension", true),
            new Spec("com.apple.kernel.bsd", "BSDKernel6.0.kext", null, "1.1", "BSD Kernel Pseudoextension", true),
            new Spec("com.apple.kernel.iokit", "IOKit6.0.kext", null, "1.0.0b1", "I/O Kit Pseudoextension", true),
            new Spec("com.apple.kernel.libkern", "Libkern6.0.kext", null, "1.0.0b1", "Libkern Pseudoextension", true),
            new Spec("com.apple.kernel.mach", "Mach6.0.kext", null, "1.0.0b1", "Mach Kernel Pseudoextension", true));

    private final String kernelVersionString;
    private final KextVersion kernelVersion;
    private final String arch;
    private final List<KextBundle> bundles;
    private final Map<String, KextBundle> byId;

    private KernelPseudoKexts(String kernelVersionString, KextVersion kernelVersion, String arch, VersionGrammar grammar) {
        this.kernelVersionString = kernelVersionString;
        this.kernelVersion = kernelVersion;
        this.arch = arch;
        List<KextBundle> built = new ArrayList<>();
        Map<String, KextBundle> index = new LinkedHashMap<>();
        KextBundle system = null;
        long order = FIRST_ORDER;
        for (Spec spec : SPECS) {
            Path path = spec.plugin == null ? SYSTEM_KEXT : SYSTEM_KEXT.resolve("Contents/PlugIns").resolve(spec.plugin);
            KextBundle bundle = new KextBundle(path, path.resolve("Contents/Info.plist"), spec.info(kernelVersionString),
                    arch, grammar, spec.plugin == null ? null : system, order++);
            if (spec.plugin == null) {
                system = bundle;
            }
            built.add(bundle);
            index.put(spec.id, bundle);
        }
        this.bundles = Collections.unmodifiableList(built);
        this.byId = Collections.unmodifiableMap(index);
    }

    /** Build the pseudo-kexts of the default kernel ({@value #DEFAULT_KERNEL_VERSION}) on x86_64. */
    public static KernelPseudoKexts create() {
        return forKernel(DEFAULT_KERNEL_VERSION, DEFAULT_ARCH, VersionGrammar.MODERN);
    }

    /** Build the pseudo-kexts of the given running-kernel version with the modern version grammar. */
    public static KernelPseudoKexts forKernel(String kernelVersion, String arch) {
        return forKernel(kernelVersion, arch, VersionGrammar.MODERN);
    }

    /**
     * Build the pseudo-kexts of the given running-kernel version.
     *
     * @param kernelVersion the Darwin version the simulated kernel reports, such as {@code 25.1.0}
     * @param arch the host architecture, {@code x86_64} or {@code arm64}
     * @param grammar the version grammar in force
     * @throws IllegalArgumentException if the version does not parse, is older than Darwin 8 (which
     *     introduced the KPI libraries), or the architecture is not a 64-bit host
     */
    public static KernelPseudoKexts forKernel(String kernelVersion, String arch, VersionGrammar grammar) {
        Objects.requireNonNull(grammar, "grammar");
        if (!"x86_64".equals(arch) && !"arm64".equals(arch)) {
            throw new IllegalArgumentException("Host architecture '" + arch + "' is not supported: kextkit hosts"
                    + " only 64-bit kernels; use x86_64 or arm64.");
        }
        if (kernelVersion == null || kernelVersion.isBlank()) {
            throw new IllegalArgumentException("The running-kernel version is empty: expected a Darwin version"
                    + " such as " + DEFAULT_KERNEL_VERSION + "; set one or leave the setting out to use the default.");
        }
        KextVersion parsed = KextVersion.parse(kernelVersion, grammar);
        if (!parsed.isValid()) {
            throw new IllegalArgumentException("The running-kernel version '" + kernelVersion + "' is not a valid"
                    + " kext version: expected major[.minor[.revision]] with an optional stage such as b1"
                    + " (for example " + DEFAULT_KERNEL_VERSION + ", Darwin's kern.osrelease for macOS 26.1);"
                    + " fix the kernel version setting.");
        }
        if (parsed.compareTo(KextVersion.parse(OLDEST_KPI_KERNEL, grammar)) < 0) {
            throw new IllegalArgumentException("The running-kernel version '" + kernelVersion + "' is older than"
                    + " Darwin 8 (Mac OS X 10.4), the first kernel with com.apple.kpi.* libraries (compatible back to "
                    + OLDEST_KPI_KERNEL + "); use 8.0.0 or later.");
        }
        return new KernelPseudoKexts(kernelVersion, parsed, arch, grammar);
    }

    /** Return the running-kernel version as configured (the pseudo-kexts' {@code CFBundleVersion}). */
    public String kernelVersionString() {
        return kernelVersionString;
    }

    /** Return the parsed running-kernel version. */
    public KextVersion kernelVersion() {
        return kernelVersion;
    }

    /** Return the host architecture. */
    public String arch() {
        return arch;
    }

    /** Return every pseudo-kext: {@code com.apple.kernel} first, then the KPIs, then the legacy plug-ins. */
    public List<KextBundle> bundles() {
        return bundles;
    }

    /** Return the pseudo-kext with {@code bundleId}, or {@code null} if the kernel has none. */
    public KextBundle bundle(String bundleId) {
        return byId.get(bundleId);
    }

    /** Return {@code com.apple.kernel}, the kernel itself. */
    public KextBundle kernel() {
        return byId.get(KERNEL_ID);
    }

    /** Return true if {@code bundle} is one of these pseudo-kexts (the same object). */
    public boolean contains(KextBundle bundle) {
        return bundle != null && byId.get(bundle.identifier()) == bundle;
    }

    @Override
    public String toString() {
        return "kernel " + kernelVersionString + " (" + arch + "), " + bundles.size() + " pseudo-kexts";
    }

    private static final class Spec {
        final String id;
        final String plugin;
        final String executable;
        final String compatible;
        final String name;
        final boolean legacy;

        Spec(String id, String plugin, String executable, String compatible, String name, boolean legacy) {
            this.id = id;
            this.plugin = plugin;
            this.executable = executable;
            this.compatible = compatible;
            this.name = name;
            this.legacy = legacy;
        }

        NSDictionary info(String kernelVersion) {
            String version = legacy ? LEGACY_VERSION : kernelVersion;
            NSDictionary info = new NSDictionary();
            info.put("CFBundleDevelopmentRegion", "English");
            if (executable != null) {
                info.put("CFBundleExecutable", executable);
            }
            info.put("CFBundleGetInfoString", name + ", Apple Inc, " + version);
            info.put("CFBundleIdentifier", id);
            info.put("CFBundleInfoDictionaryVersion", "6.0");
            info.put("CFBundleName", name);
            info.put("CFBundlePackageType", "KEXT");
            info.put("CFBundleShortVersionString", version);
            info.put("CFBundleSignature", "????");
            info.put("CFBundleVersion", version);
            info.put("OSBundleCompatibleVersion", compatible == null ? version : compatible);
            info.put("OSBundleRequired", "Root");
            info.put("OSKernelResource", true);
            if (legacy) {
                if (executable == null) {
                    info.put("OSBundleSharedExecutableIdentifier", "com.apple.kernel.6.0");
                }
            } else {
                // The 6.0-era plug-ins predate OSBundleAllowUserLoad; only the current ones carry it.
                info.put("OSBundleAllowUserLoad", true);
            }
            return info;
        }
    }
}
