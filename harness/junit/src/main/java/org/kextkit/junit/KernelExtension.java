package org.kextkit.junit;

import java.lang.reflect.AnnotatedElement;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;
import org.kextkit.hardware.pci.PciDeviceModel;
import org.kextkit.hardware.pci.PciHardware;
import org.kextkit.harness.check.Checks;
import org.kextkit.harness.check.Suppression;
import org.kextkit.harness.lifecycle.HostedKernel;
import org.kextkit.junit.internal.BuildOutputKext;
import org.kextkit.junit.internal.DriverForwarding;
import org.kextkit.junit.internal.InTestKext;
import org.kextkit.junit.internal.KernelSession;
import org.kextkit.junit.internal.KernelSpec;
import org.kextkit.junit.internal.KextSource;
import org.kextkit.junit.internal.TestVerdict;
import org.kextkit.kit.iokit.IOService;

/**
 * The JUnit 5 extension behind {@link KernelTest}: boots a hosted kernel for each test (or each
 * class), loads the kexts under test and lets their drivers match; injects {@link KextKernel},
 * {@link HostedKernel}, {@link PciHardware}, device models by type and {@link Driver @Driver}
 * parameters; and after each test (after the test's own {@code @AfterEach} methods) unloads the
 * kexts, shuts the kernel down and fails the test on a panic, a kext that would not unload, or any
 * finding no {@link AllowFinding} accepts, keeping the ioreg dump, findings and kernel log under
 * {@code target/kextkit-tests/<TestClass>/<method>/}.
 *
 * <p>Register it with {@code @KernelTest}, or build one for {@code @RegisterExtension} (in a
 * static field for {@link KernelLifecycle#PER_CLASS}):
 *
 * <pre>{@code
 * @RegisterExtension
 * static final KernelExtension kernel = KernelExtension.builder()
 *         .pciDevice(3, EchoDmaDevice::new)
 *         .disableCheck("MEM-LEAK", "the test keeps a buffer on purpose")
 *         .build();
 * }</pre>
 *
 * <p>Every test has a kernel of its own, so tests may run in parallel.
 */
public final class KernelExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback,
        ParameterResolver {
    /** The kernel seed a test gets unless it names one. */
    public static final long DEFAULT_SEED = 42;
    /** The configuration parameter naming the folder failed tests' artifacts go to (default {@code target/kextkit-tests}). */
    public static final String REPORTS_PARAMETER = "kextkit.junit.reports";

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(KernelExtension.class);
    private static final String SESSION = "session";

    private final KernelSpec built;

    /** Create the extension {@link KernelTest} registers; it reads its settings from that annotation. */
    public KernelExtension() {
        this(null);
    }

    private KernelExtension(KernelSpec built) {
        this.built = built;
    }

    /** Return a builder for a {@code @RegisterExtension} field. */
    public static Builder builder() {
        return new Builder();
    }

    // ---- lifecycle ---------------------------------------------------------------------------------

    @Override
    public void beforeAll(ExtensionContext context) {
        KernelSpec spec = spec(context);
        if (spec.lifecycle() == KernelLifecycle.PER_CLASS) {
            context.getStore(NAMESPACE).put(SESSION, KernelSession.boot(spec, module()));
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        allowedFindings(context); // misuse fails before the kernel boots
        KernelSpec spec = spec(context);
        if (spec.lifecycle() == KernelLifecycle.PER_METHOD) {
            context.getStore(NAMESPACE).put(SESSION, KernelSession.boot(spec, module()));
        } else if (session(context) == null) {
            throw new ExtensionConfigurationException("KernelLifecycle.PER_CLASS needs the KernelExtension in a static"
                    + " @RegisterExtension field (or @KernelTest), so that it boots the kernel before all tests");
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        TestVerdict verdict = new TestVerdict(testName(context), artifactsFolder(context),
                context.getExecutionException().isPresent());
        Throwable failure;
        if (spec(context).lifecycle() == KernelLifecycle.PER_METHOD) {
            KernelSession session = context.getStore(NAMESPACE).remove(SESSION, KernelSession.class);
            if (session == null) {
                return;
            }
            try (session) {
                verdict.noteRegistry(session);
                session.unloadKexts();
                verdict.noteRegistry(session);
                session.close();
                failure = verdict.judge(session, allowedFindings(context));
            }
        } else {
            KernelSession session = session(context);
            verdict.noteRegistry(session);
            failure = verdict.judge(session, allowedFindings(context));
        }
        throwIfFailed(failure);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        KernelSession session = context.getStore(NAMESPACE).remove(SESSION, KernelSession.class);
        if (session == null) {
            return;
        }
        TestVerdict verdict = new TestVerdict(testName(context), artifactsFolder(context), false);
        Throwable failure;
        try (session) {
            verdict.noteRegistry(session);
            session.unloadKexts();
            verdict.noteRegistry(session);
            session.close();
            failure = verdict.judge(session, allowedFindings(context));
        }
        throwIfFailed(failure);
    }

    private static void throwIfFailed(Throwable failure) {
        if (failure instanceof Error error) {
            throw error;
        }
        if (failure != null) {
            throw new IllegalStateException(failure);
        }
    }

    // ---- parameters --------------------------------------------------------------------------------

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return parameter.isAnnotated(Driver.class) || type == KextKernel.class || type == HostedKernel.class
                || type == PciHardware.class || (PciDeviceModel.class.isAssignableFrom(type) && type != PciDeviceModel.class);
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        KernelSession session = session(context);
        if (session == null) {
            throw new ParameterResolutionException("no hosted kernel runs yet for " + parameter.getDeclaringExecutable()
                    + ": with KernelLifecycle.PER_METHOD, kernels exist from each test's @BeforeEach to its @AfterEach"
                    + " methods; ask for " + parameter.getParameter().getType().getSimpleName() + " there");
        }
        Class<?> type = parameter.getParameter().getType();
        Optional<Driver> driver = parameter.findAnnotation(Driver.class);
        if (driver.isPresent()) {
            return driverAs(session, session.driver(driver.get().value()), type);
        }
        if (type == KextKernel.class) {
            return new KextKernel(session);
        }
        if (type == HostedKernel.class) {
            return session.kernel();
        }
        if (type == PciHardware.class) {
            return session.kernel().hardware(PciHardware.class);
        }
        return session.device(type.asSubclass(PciDeviceModel.class));
    }

    private static Object driverAs(KernelSession session, IOService driver, Class<?> type) {
        if (type.isInstance(driver)) {
            return driver;
        }
        if (type.getName().equals(driver.getClass().getName()) || IOService.class.isAssignableFrom(type)) {
            throw new ExtensionConfigurationException("a @Driver parameter can't be of type " + type.getName() + ": the"
                    + " driver " + driver.getClass().getName() + " was loaded by kext "
                    + session.kextsUnderTest().get(0).identifier() + "'s own isolated class loader, as the kernel loads"
                    + " kexts, so it is never an instance of the test class path's copy of a kext class. Declare the"
                    + " parameter as IOService (or another kit class the driver extends), or as an interface of the"
                    + " test's with the driver's public methods, which kextkit forwards to the driver by name");
        }
        if (type.isInterface()) {
            return DriverForwarding.forward(session.kernel(), driver, type);
        }
        throw new ExtensionConfigurationException("a @Driver parameter can't be of type " + type.getName() + ": declare"
                + " it as IOService (or another kit class " + driver.getClass().getName() + " extends), or as an interface");
    }

    // ---- configuration -----------------------------------------------------------------------------

    private KernelSpec spec(ExtensionContext context) {
        if (built != null) {
            return built;
        }
        KernelTest test = findKernelTest(context.getRequiredTestClass());
        return new KernelSpec(test == null ? KernelLifecycle.PER_METHOD : test.lifecycle(), test == null ? "" : test.machine(),
                test == null ? DEFAULT_SEED : test.seed(), List.of(BuildOutputKext.ofCurrentModule()), List.of(), Map.of());
    }

    private static KernelTest findKernelTest(Class<?> type) {
        // A @Nested class takes the settings of the class it is nested in.
        for (Class<?> c = type; c != null; c = c.getEnclosingClass()) {
            Optional<KernelTest> found = AnnotationSupport.findAnnotation(c, KernelTest.class);
            if (found.isPresent()) {
                return found.get();
            }
        }
        return null;
    }

    private static KernelSession session(ExtensionContext context) {
        return context.getStore(NAMESPACE).get(SESSION, KernelSession.class);
    }

    private static Path module() {
        return Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
    }

    /** Return the suppressions the {@code @AllowFinding}s of the test method and its classes stand for. */
    private static List<Suppression> allowedFindings(ExtensionContext context) {
        List<AnnotatedElement> elements = new ArrayList<>();
        context.getTestMethod().ifPresent(elements::add);
        for (Class<?> c = context.getRequiredTestClass(); c != null; c = c.getEnclosingClass()) {
            elements.add(c);
        }
        List<Suppression> allowed = new ArrayList<>();
        for (AnnotatedElement element : elements) {
            for (AllowFinding allow : AnnotationSupport.findRepeatableAnnotations(element, AllowFinding.class)) {
                String id = knownCheck(allow.check(), "@AllowFinding on " + element);
                if (allow.reason().isBlank()) {
                    throw new ExtensionConfigurationException("@AllowFinding(check = \"" + allow.check() + "\") on "
                            + element + " has no reason; say why the finding is acceptable in this test");
                }
                allowed.add(new Suppression(id, null, null, null, allow.reason()));
            }
        }
        return allowed;
    }

    private static String knownCheck(String id, String where) {
        String upper = id.strip().toUpperCase(java.util.Locale.ROOT);
        if (Checks.get(upper) == null) {
            List<String> near = Checks.nearMatches(id);
            throw new ExtensionConfigurationException(where + " names check \"" + id + "\", which kextkit does not have"
                    + (near.isEmpty() ? "" : "; did you mean " + String.join(" or ", near) + "?")
                    + " (docs/checks.md lists every check)");
        }
        return upper;
    }

    private static String testName(ExtensionContext context) {
        return context.getRequiredTestClass().getSimpleName()
                + context.getTestMethod().map(m -> "." + m.getName() + "()").orElse(" (the kernel its tests shared)");
    }

    private static Path artifactsFolder(ExtensionContext context) {
        Path root = context.getConfigurationParameter(REPORTS_PARAMETER).map(Path::of)
                .orElse(module().resolve("target").resolve("kextkit-tests"));
        Class<?> testClass = context.getRequiredTestClass();
        String className = testClass.getName().substring(testClass.getPackageName().isEmpty() ? 0
                : testClass.getPackageName().length() + 1);
        String method = context.getTestMethod().map(m -> {
            String display = context.getDisplayName();
            // A repeated or parameterized invocation gets a folder of its own.
            return display.startsWith(m.getName() + "(") ? m.getName() : m.getName() + "-" + display;
        }).orElse("afterAll");
        return root.resolve(sanitize(className)).resolve(sanitize(method));
    }

    private static String sanitize(String name) {
        String safe = name.replaceAll("[^A-Za-z0-9._$\\-\\[\\]]+", "_");
        return safe.length() > 120 ? safe.substring(0, 120) : safe;
    }

    /** Build a {@link KernelExtension} for a {@code @RegisterExtension} field. */
    public static final class Builder {
        private KernelLifecycle lifecycle = KernelLifecycle.PER_METHOD;
        private String machine = "";
        private long seed = DEFAULT_SEED;
        private final List<KextSource> kexts = new ArrayList<>();
        private final List<KernelSpec.PciDeviceSpec> devices = new ArrayList<>();
        private final Map<String, String> disabled = new LinkedHashMap<>();

        private Builder() {
        }

        /** Set whether each test gets a fresh kernel (default) or the class's tests share one. */
        public Builder lifecycle(KernelLifecycle value) {
            this.lifecycle = java.util.Objects.requireNonNull(value, "lifecycle");
            return this;
        }

        /** Boot the machine described by the plist at {@code path} (relative to the module folder); "" for the default. */
        public Builder machine(String path) {
            this.machine = java.util.Objects.requireNonNull(path, "machine");
            return this;
        }

        /** Set the kernel's random seed (default {@value KernelExtension#DEFAULT_SEED}). */
        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        /**
         * Load the module's own kext from its build output: {@code target/classes} with
         * {@code target/kext/Info.plist}, else {@code src/main/kext/Info.plist}. The default when no
         * kext is named.
         */
        public Builder kextFromBuildOutput() {
            kexts.add(BuildOutputKext.ofCurrentModule());
            return this;
        }

        /** Load the packaged {@code Foo.kext} bundle at {@code bundle}. */
        public Builder kext(Path bundle) {
            kexts.add(KextSource.bundle(bundle));
            return this;
        }

        /**
         * Load a kext built in the test: {@code infoPlistXml} and an executable holding {@code classes}
         * (with their nested classes), whose bytes are read from the test class path and loaded by the
         * kernel's isolated, instrumented kext class loader.
         */
        public Builder kext(String infoPlistXml, Class<?>... classes) {
            kexts.add(new InTestKext(infoPlistXml, List.of(classes)));
            return this;
        }

        /** Plug a fresh device model from {@code model} into function 0 of PCI slot {@code slot} of each kernel, before the kexts load. */
        public Builder pciDevice(int slot, Supplier<? extends PciDeviceModel> model) {
            devices.add(new KernelSpec.PciDeviceSpec(slot, java.util.Objects.requireNonNull(model, "model")));
            return this;
        }

        /**
         * Switch check {@code id} off for every test of the class.
         *
         * @throws ExtensionConfigurationException if kextkit has no such check or {@code reason} is blank
         */
        public Builder disableCheck(String id, String reason) {
            String known = knownCheck(id, "disableCheck");
            if (reason == null || reason.isBlank()) {
                throw new ExtensionConfigurationException("disableCheck(\"" + id + "\", reason) needs a reason: say why"
                        + " the check does not apply to these tests");
            }
            disabled.put(known, reason);
            return this;
        }

        /** Return the extension. */
        public KernelExtension build() {
            List<KextSource> toLoad = kexts.isEmpty() ? List.of(BuildOutputKext.ofCurrentModule()) : kexts;
            return new KernelExtension(new KernelSpec(lifecycle, machine, seed, toLoad, devices, disabled));
        }
    }
}
