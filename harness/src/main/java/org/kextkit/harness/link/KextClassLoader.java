package org.kextkit.harness.link;

import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.kextkit.harness.bundle.KextBundle;
import org.kextkit.harness.bundle.KextExecutable;
import org.kextkit.kit.internal.KernelBound;
import org.kextkit.kit.internal.KernelServices;
import org.kextkit.kit.internal.KextFrames;

/**
 * Load the classes of one linked kext, seeing exactly what XNU's linker would let the kext bind to.
 *
 * <p>A class name is looked up in this order, and nowhere else:
 * <ol>
 *   <li>the exported packages of the built-in families it declares ({@link FamilyExports}), from the family;</li>
 *   <li>the {@code java.*} packages of {@code java.base} ({@link JdkAllowList}), from the JDK;</li>
 *   <li>kit packages whose KPI the kext declares ({@link KpiExports}), from the kit's loader; other
 *       {@code org.kextkit.} names (the harness, {@code org.kextkit.kit.internal}) are never visible;</li>
 *   <li>the kext's own jar, defined here from the bytes already in memory;</li>
 *   <li>the jars of the kexts it links against directly, in {@code OSBundleLibraries} order, each
 *       lending only its own classes: a library's own dependencies stay invisible to its
 *       dependents, as with XNU's linker.</li>
 * </ol>
 * A loader whose classes are instrumented (its transformer is not {@link KextClassTransformer#NONE})
 * also lets them reach {@link KextFrames} and its {@code Stack}, the frame account the kernel's
 * instrumentation calls; kext-written code cannot name them, as the link check refuses
 * {@code org.kextkit.kit.internal} in the jar's original bytes.
 * Anything else fails with a {@link ClassNotFoundException} that names the kext and why the class
 * is out of its reach. Classes are defined with a {@link CodeSource} at the executable's path, and
 * the loader is named after the bundle identifier, so stack traces show which kext code came from.
 * Calls the kext makes into the kit reach the kernel given at creation ({@link KernelBound}).
 *
 * <p>The loader is a linking boundary, not a security one: kext code that uses reflection to find
 * the system class loader can reach the host. Instances are created by {@link KextLinker} once the
 * link check has passed.
 */
public final class KextClassLoader extends ClassLoader implements KernelBound {
    static {
        registerAsParallelCapable();
    }

    private final KextBundle bundle;
    private final KextExecutable executable;
    private final List<KextClassLoader> libraries;
    private final Set<String> kpis;
    private final KernelServices services;
    private final KextClassTransformer transformer;
    private final ProtectionDomain domain;
    private final List<FamilyExports.Family> families;

    KextClassLoader(KextBundle bundle, KextExecutable executable, List<KextClassLoader> libraries, Set<String> kpis,
                    KernelServices services, KextClassTransformer transformer) {
        this(bundle, executable, libraries, kpis, List.of(), services, transformer);
    }

    KextClassLoader(KextBundle bundle, KextExecutable executable, List<KextClassLoader> libraries, Set<String> kpis,
                    List<FamilyExports.Family> families, KernelServices services, KextClassTransformer transformer) {
        // Parent null: nothing is delegated implicitly; loadClass decides every name itself.
        super(bundle.displayName(), null);
        this.families = List.copyOf(families);
        this.bundle = bundle;
        this.executable = executable;
        this.libraries = List.copyOf(libraries);
        this.kpis = Set.copyOf(kpis);
        this.services = services;
        this.transformer = Objects.requireNonNull(transformer, "transformer");
        this.domain = new ProtectionDomain(new CodeSource(executable.location(), (Certificate[]) null), null, this, null);
    }

    /** Return the kext this loader belongs to. */
    public KextBundle bundle() {
        return bundle;
    }

    /** Return the kext's executable, whose classes this loader defines. */
    public KextExecutable executable() {
        return executable;
    }

    /** Return the loaders of the kexts this one links against directly, in declaration order. */
    public List<KextClassLoader> libraries() {
        return libraries;
    }

    /** Return the built-in families this kext declares, whose exported packages it sees. */
    public List<FamilyExports.Family> families() {
        return families;
    }

    /** Return the identifiers of the kernel components (KPIs) this kext links against. */
    public Set<String> kpis() {
        return kpis;
    }

    @Override
    public KernelServices kernelServices() {
        return services;
    }

    private static final String REFLECTION_RUNTIME = "jdk.internal.reflect.";
    private static final String FRAMES_CLASS = KextFrames.class.getName();
    private static final String FRAMES_STACK_CLASS = KextFrames.Stack.class.getName();

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        Class<?> c = lookUp(name);
        if (resolve) {
            resolveClass(c);
        }
        return c;
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        Class<?> c = ownClass(name);
        if (c == null) {
            throw new ClassNotFoundException(name + " is not a class of kext " + bundle.displayName() + " ("
                    + executable.path() + ")");
        }
        return c;
    }

    private Class<?> lookUp(String name) throws ClassNotFoundException {
        if (name.startsWith(REFLECTION_RUNTIME)) {
            // After a few reflective calls the JDK generates accessor classes in a loader below this
            // one; they extend its reflection runtime. Kext bytecode never names these (the link
            // check refuses jdk.internal), so only the JDK's own generated code gets here.
            return Class.forName(name, false, null);
        }
        if (transformer != KextClassTransformer.NONE && name.startsWith(FRAMES_CLASS)
                && (name.length() == FRAMES_CLASS.length() || name.equals(FRAMES_STACK_CLASS))) {
            // The frame account that instrumentation (generated by the kernel, never written by the
            // kext: the link check refuses kit.internal in the jar's bytes) calls; see KextFrames.
            return name.length() == FRAMES_CLASS.length() ? KextFrames.class : KextFrames.Stack.class;
        }
        FamilyExports.Family family = FamilyExports.exporterAmong(families, name);
        if (family != null) {
            // A package a declared family exports comes from that family, like a KPI from the kit.
            try {
                return family.loader().loadClass(name);
            } catch (ClassNotFoundException e) {
                throw notVisible(name, "the family " + family.bundleIdentifier() + " exports its package but has no such class");
            }
        }
        switch (ClassOrigin.of(name)) {
            case JDK:
                if (!JdkAllowList.isInAvailablePackage(name)) {
                    throw notVisible(name, jdkReason(name));
                }
                try {
                    return Class.forName(name, false, null);
                } catch (ClassNotFoundException e) {
                    throw notVisible(name, "java.base of the running JDK has no such class");
                }
            case KIT: {
                String exporter = KpiExports.exporterOf(name);
                if (!kpis.contains(exporter)) {
                    throw notVisible(name, "it is exported by " + exporter + ", which the kext does not declare in"
                            + " OSBundleLibraries");
                }
                try {
                    return KpiExports.kitLoader().loadClass(name);
                } catch (ClassNotFoundException e) {
                    throw notVisible(name, "the kit that " + exporter + " exports has no such class");
                }
            }
            case RESERVED:
                throw notVisible(name, KpiExports.isKitClass(name)
                        ? "that kit package is exported to no kext"
                        : "the kextkit harness is not visible to kexts");
            default:
                break;
        }
        Class<?> c = ownClass(name);
        if (c != null) {
            return c;
        }
        for (KextClassLoader library : libraries) {
            c = library.ownClass(name);
            if (c != null) {
                return c;
            }
        }
        String jdkModule = JdkAllowList.jdkModuleOf(JdkAllowList.packageOf(name));
        throw notVisible(name, jdkModule != null ? jdkReason(name) : "it is not in the kext's jar, in java.base's java.*"
                + " packages, in the kit packages of its declared KPIs" + kpiList() + ", or in a kext it links against"
                + libraryList());
    }

    /** Return one of this kext's own classes, defining it on first use, or {@code null} if its jar has none by that name. */
    Class<?> ownClass(String name) throws ClassNotFoundException {
        byte[] bytes = executable.classBytes(name);
        if (bytes == null) {
            return null;
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                byte[] toDefine;
                try {
                    toDefine = transformer.transform(bundle, name, bytes);
                } catch (RuntimeException e) {
                    throw new ClassNotFoundException("Can't define " + name + " of kext " + bundle.displayName()
                            + ": the class transformer failed (" + e + ")", e);
                }
                c = defineClass(name, toDefine, 0, toDefine.length, domain);
            }
            return c;
        }
    }

    private ClassNotFoundException notVisible(String name, String reason) {
        return new ClassNotFoundException(name + " is not visible to kext " + bundle.displayName() + " ("
                + bundle.path() + "): " + reason + ".");
    }

    private static String jdkReason(String name) {
        String pkg = JdkAllowList.packageOf(name);
        String module = JdkAllowList.jdkModuleOf(pkg);
        return "package " + pkg + (module == null ? "" : " of the JDK module " + module)
                + " is not available to kernel code, which may use only the java.* packages of java.base";
    }

    private String kpiList() {
        if (kpis.isEmpty()) {
            return " (none)";
        }
        List<String> sorted = new ArrayList<>(kpis);
        Collections.sort(sorted);
        return " (" + String.join(", ", sorted) + ")";
    }

    private String libraryList() {
        if (libraries.isEmpty()) {
            return " (none)";
        }
        List<String> ids = new ArrayList<>(libraries.size());
        for (KextClassLoader library : libraries) {
            ids.add(library.bundle.displayName());
        }
        return " (" + String.join(", ", ids) + ")";
    }

    @Override
    public String toString() {
        return "KextClassLoader[" + bundle.displayName() + " " + bundle.versionString() + "]";
    }
}
