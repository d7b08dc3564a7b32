package org.kextkit.harness.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kextkit.harness.bundle.KextBundle;
import org.kextkit.harness.testing.Javac;
import org.kextkit.kit.internal.KernelServices;
import org.kextkit.kit.libkern.KextModule;
import org.kextkit.kit.libkern.Libkern;

class KextClassLoaderTest {
    @TempDir
    Path dir;

    private KextFixture fixture;
    private KextBundle libkern;
    private KextBundle iokit;
    private final List<KextBundle> known = new ArrayList<>();
    private final List<String> kernelLog = Collections.synchronizedList(new ArrayList<>());
    private final KernelServices kernel = (caller, function, message) ->
            kernelLog.add(function + " from " + (caller == null ? "?" : caller.getName()) + ": " + message);
    private KextLinker linker;

    @BeforeEach
    void setUp() {
        fixture = new KextFixture(dir);
        libkern = fixture.libkern();
        iokit = fixture.iokit();
        known.add(libkern);
        known.add(iokit);
        linker = new KextLinker(new ClassIndex(() -> known));
    }

    private KextBundle add(KextBundle bundle) {
        known.add(bundle);
        return bundle;
    }

    private KextClassLoader link(KextBundle kext, LinkedLibrary... dependencies) {
        return link(linker, kext, dependencies);
    }

    private KextClassLoader link(KextLinker with, KextBundle kext, LinkedLibrary... dependencies) {
        LinkResult result = with.link(kext, KextFixture.executable(kext), List.of(dependencies), kernel);
        assertTrue(result.isLinked(), () -> String.join("\n", result.formatFindings()));
        return result.loader();
    }

    private static int callF(Class<?> c) throws ReflectiveOperationException {
        return (int) c.getMethod("f").invoke(null);
    }

    @Test
    void ownClassesAreDefinedByTheKextsLoaderAndNameItsExecutable() throws Exception {
        KextBundle driver = add(fixture.kext("com.example.Driver").library("com.apple.kpi.libkern", "8.0.0")
                .clazz("com.example.driver.Lib", Classes.summing("com.example.driver.Lib", 7)).build());

        KextClassLoader loader = link(driver, LinkedLibrary.kernelComponent(libkern));
        Class<?> lib = loader.loadClass("com.example.driver.Lib");

        assertSame(loader, lib.getClassLoader());
        assertEquals(7, callF(lib));
        assertEquals("com.example.Driver", loader.getName());
        assertEquals(driver.executablePath().toUri().toURL(), lib.getProtectionDomain().getCodeSource().getLocation());
        assertSame(kernel, loader.kernelServices());
        assertTrue(loader.isRegisteredAsParallelCapable());
    }

    @Test
    void kextClassesStayUsableThroughReflectionPastTheJdksInflationThreshold() throws Exception {
        // The kernel instantiates every driver reflectively; after some calls the JDK generates an
        // accessor class whose loader delegates to the kext's, which must let its superclass through.
        KextBundle driver = add(fixture.kext("com.example.Driver").library("com.apple.kpi.libkern", "8.0.0")
                .clazz("com.example.driver.Lib", Classes.summing("com.example.driver.Lib", 7)).build());
        Class<?> lib = link(driver, LinkedLibrary.kernelComponent(libkern)).loadClass("com.example.driver.Lib");

        for (int i = 0; i < 100; i++) {
            assertSame(lib, lib.getDeclaredConstructor().newInstance().getClass(), "instance " + i);
            assertEquals(7, callF(lib), "call " + i);
        }
    }

    @Test
    void aDeclaredLibrarysClassesAreVisibleAndSharedWithIt() throws Exception {
        KextBundle lib = add(fixture.kext("com.example.Lib").compatible("1.0").library("com.apple.kpi.libkern", "8.0.0")
                .clazz("com.example.lib.Lib", Classes.summing("com.example.lib.Lib", 5)).build());
        KextBundle driver = add(fixture.kext("com.example.Driver").library("com.example.Lib", "1.0")
                .clazz("com.example.driver.Driver", Classes.summing("com.example.driver.Driver", 10, "com.example.lib.Lib"))
                .build());

        KextClassLoader libLoader = link(lib, LinkedLibrary.kernelComponent(libkern));
        KextClassLoader driverLoader = link(driver, LinkedLibrary.of(libLoader));

        assertEquals(15, callF(driverLoader.loadClass("com.example.driver.Driver")));
        Class<?> seenByDriver = driverLoader.loadClass("com.example.lib.Lib");
        assertSame(libLoader.loadClass("com.example.lib.Lib"), seenByDriver);
        assertSame(libLoader, seenByDriver.getClassLoader());
    }

    @Test
    void aLoadedKextThatIsNotDeclaredStaysInvisibleEvenToReflection() throws Exception {
        KextBundle lib = add(fixture.kext("com.example.Lib").compatible("1.0").library("com.apple.kpi.libkern", "8.0.0")
                .clazz("com.example.lib.Lib", Classes.summing("com.example.lib.Lib", 5)).build());
        KextBundle other = add(fixture.kext("com.example.Other").library("com.apple.kpi.libkern", "8.0.0")
                .clazz("com.example.other.Probe", Classes.forNameProbe("com.example.other.Probe")).build());
        link(lib, LinkedLibrary.kernelComponent(libkern));
        KextClassLoader otherLoader = link(other, LinkedLibrary.kernelComponent(libkern));

        ClassNotFoundException direct = assertThrows(ClassNotFoundException.class,
                () -> otherLoader.loadClass("com.example.lib.Lib"));
        assertEquals("com.example.lib.Lib is not visible to kext com.example.Other (" + other.path() + "): it is not in"
                + " the kext's jar, in java.base's java.* packages, in the kit packages of its declared KPIs"
                + " (com.apple.kpi.libkern), or in a kext it links against (none).", direct.getMessage());

        Class<?> probe = otherLoader.loadClass("com.example.other.Probe");
        InvocationTargetException viaForName = assertThrows(InvocationTargetException.class,
                () -> probe.getMethod("find", String.class).invoke(null, "com.example.lib.Lib"));
        assertEquals(direct.getMessage(), viaForName.getCause().getMessage());
    }

    @Test
    void aLibrarysOwnDependenciesAreNotVisibleToItsDependents() throws Exception {
        KextBundle base = add(fixture.kext("com.example.Base").compatible("1.0").library("com.apple.kpi.libkern", "8.0.0")
                .clazz("com.example.base.Base", Classes.summing("com.example.base.Base", 1)).build());
        KextBundle mid = add(fixture.kext("com.example.Mid").compatible("1.0").library("com.example.Base", "1.0")
                .clazz("com.example.mid.Mid", Classes.summing("com.example.mid.Mid", 20, "com.example.base.Base")).build());
        KextBundle top = add(fixture.kext("com.example.Top").library("com.example.Mid", "1.0")
                .clazz("com.example.top.Top", Classes.summing("com.example.top.Top", 300, "com.example.mid.Mid")).build());

        KextClassLoader baseLoader = link(base, LinkedLibrary.kernelComponent(libkern));
        KextClassLoader midLoader = link(mid, LinkedLibrary.of(baseLoader));
        KextClassLoader topLoader = link(top, LinkedLibrary.of(midLoader));

        assertEquals(321, callF(topLoader.loadClass("com.example.top.Top")));
        assertSame(baseLoader.loadClass("com.example.base.Base"), midLoader.loadClass("com.example.base.Base"));
        ClassNotFoundException e = assertThrows(ClassNotFoundException.class,
                () -> topLoader.loadClass("com.example.base.Base"));
        assertTrue(e.getMessage().endsWith("or in a kext it links against (com.example.Mid)."), e.getMessage());
    }

    @Test
    void theHarnessAndTheKitsInternalPackageAreInvisible() throws Exception {
        KextBundle driver = add(fixture.kext("com.example.Driver").library("com.apple.kpi.libkern", "8.0.0")
                .clazz("com.example.driver.Probe", Classes.forNameProbe("com.example.driver.Probe")).build());
        KextClassLoader loader = link(driver, LinkedLibrary.kernelComponent(libkern));

        ClassNotFoundException harness = assertThrows(ClassNotFoundException.class,
                () -> loader.loadClass(KextLinker.class.getName()));
        assertEquals("org.kextkit.harness.link.KextLinker is not visible to kext com.example.Driver (" + driver.path()
                + "): the kextkit harness is not visible to kexts.", harness.getMessage());
        ClassNotFoundException internal = assertThrows(ClassNotFoundException.class,
                () -> loader.loadClass(KernelServices.class.getName()));
        assertEquals("org.kextkit.kit.internal.KernelServices is not visible to kext com.example.Driver (" + driver.path()
                + "): that kit package is exported to no kext.", internal.getMessage());

        Class<?> probe = loader.loadClass("com.example.driver.Probe");
        InvocationTargetException viaForName = assertThrows(InvocationTargetException.class,
                () -> probe.getMethod("find", String.class).invoke(null, "org.kextkit.kit.internal.KernelRuntime"));
        assertTrue(viaForName.getCause() instanceof ClassNotFoundException);
        // Stack traces name the kext whose code was running.
        assertTrue(Arrays.stream(viaForName.getCause().getStackTrace()).map(StackTraceElement::toString)
                .anyMatch(frame -> frame.startsWith("com.example.Driver//com.example.driver.Probe.find(")),
                () -> Arrays.toString(viaForName.getCause().getStackTrace()));
    }

    @Test
    void onlyTheKitPackagesOfDeclaredKpisAreVisible() throws Exception {
        KextBundle driver = add(fixture.kext("com.example.Driver").library("com.apple.kpi.libkern", "8.0.0")
                .clazz("com.example.driver.Lib", Classes.summing("com.example.driver.Lib", 1)).build());
        KextClassLoader loader = link(driver, LinkedLibrary.kernelComponent(libkern));

        assertSame(Libkern.class, loader.loadClass("org.kextkit.kit.libkern.Libkern"));
        assertSame(KextModule.class, loader.loadClass("org.kextkit.kit.libkern.KextModule"));
        ClassNotFoundException e = assertThrows(ClassNotFoundException.class,
                () -> loader.loadClass("org.kextkit.kit.iokit.IOLib"));
        assertEquals("org.kextkit.kit.iokit.IOLib is not visible to kext com.example.Driver (" + driver.path()
                + "): it is exported by com.apple.kpi.iokit, which the kext does not declare in OSBundleLibraries.",
                e.getMessage());
    }

    @Test
    void onlyTheJavaPackagesOfJavaBaseAreVisibleFromTheJdk() throws Exception {
        KextBundle driver = add(fixture.kext("com.example.Driver").library("com.apple.kpi.libkern", "8.0.0")
                .clazz("com.example.driver.Lib", Classes.summing("com.example.driver.Lib", 1)).build());
        KextClassLoader loader = link(driver, LinkedLibrary.kernelComponent(libkern));

        assertSame(ArrayList.class, loader.loadClass("java.util.ArrayList"));
        assertSame(java.util.concurrent.locks.ReentrantLock.class, loader.loadClass("java.util.concurrent.locks.ReentrantLock"));
        assertEquals("java.sql.Connection is not visible to kext com.example.Driver (" + driver.path() + "): package"
                        + " java.sql of the JDK module java.sql is not available to kernel code, which may use only the"
                        + " java.* packages of java.base.",
                assertThrows(ClassNotFoundException.class, () -> loader.loadClass("java.sql.Connection")).getMessage());
        assertEquals("javax.crypto.Cipher is not visible to kext com.example.Driver (" + driver.path() + "): package"
                        + " javax.crypto of the JDK module java.base is not available to kernel code, which may use only"
                        + " the java.* packages of java.base.",
                assertThrows(ClassNotFoundException.class, () -> loader.loadClass("javax.crypto.Cipher")).getMessage());
        assertThrows(ClassNotFoundException.class, () -> loader.loadClass("javax.swing.JFrame"));
        assertThrows(ClassNotFoundException.class, () -> loader.loadClass("jdk.internal.misc.Unsafe"));
        assertThrows(ClassNotFoundException.class, () -> loader.loadClass("java.lang.NoSuchThing"));
    }

    @Test
    void kitCallsFromKextCodeReachTheKernelThatLinkedIt() throws Exception {
        Map<String, byte[]> classes = Javac.compile(dir.resolve("javac"), Map.of("com.example.hello.Start", String.join("\n",
                "package com.example.hello;",
                "import org.kextkit.kit.libkern.*;",
                "import static org.kextkit.kit.iokit.IOLib.IOLog;",
                "public class Start implements KextModule {",
                "    public int start(KmodInfo info, Object data) {",
                "        IOLog(\"Hello from %s%n\", \"the kext\");",
                "        return KernReturn.KERN_SUCCESS;",
                "    }",
                "    public int stop(KmodInfo info, Object data) { return KernReturn.KERN_SUCCESS; }",
                "}")));
        KextBundle hello = add(fixture.kext("com.example.Hello").library("com.apple.kpi.libkern", "8.0.0")
                .library("com.apple.kpi.iokit", "8.0.0").classes(classes).moduleClass("com.example.hello.Start").build());
        KextClassLoader loader = link(hello, LinkedLibrary.kernelComponent(libkern), LinkedLibrary.kernelComponent(iokit));

        KextModule module = (KextModule) loader.loadClass(KextFixture.executable(hello).moduleClass())
                .getConstructor().newInstance();
        assertEquals(0, module.start(null, null));
        assertEquals(List.of("IOLog from com.example.hello.Start: Hello from the kext"), kernelLog);
    }

    @Test
    void aTransformerRewritesEachOwnClassOnceBeforeItIsDefined() throws Exception {
        List<String> transformed = Collections.synchronizedList(new ArrayList<>());
        KextLinker instrumenting = new KextLinker(new ClassIndex(() -> known), (kext, name, bytes) -> {
            transformed.add(kext.identifier() + " " + name);
            return Classes.summing(name, 99);
        });
        KextBundle driver = add(fixture.kext("com.example.Driver").library("com.apple.kpi.libkern", "8.0.0")
                .clazz("com.example.driver.Lib", Classes.summing("com.example.driver.Lib", 1)).build());
        KextClassLoader loader = link(instrumenting, driver, LinkedLibrary.kernelComponent(libkern));

        assertEquals(99, callF(loader.loadClass("com.example.driver.Lib")));
        loader.loadClass("com.example.driver.Lib");
        assertEquals(List.of("com.example.Driver com.example.driver.Lib"), transformed);
    }

    @Test
    void aFailingTransformerIsReportedAgainstTheKextAndClass() {
        KextLinker broken = new KextLinker(new ClassIndex(() -> known), (kext, name, bytes) -> {
            throw new IllegalStateException("probe table full");
        });
        KextBundle driver = add(fixture.kext("com.example.Driver").library("com.apple.kpi.libkern", "8.0.0")
                .clazz("com.example.driver.Lib", Classes.summing("com.example.driver.Lib", 1)).build());
        KextClassLoader loader = link(broken, driver, LinkedLibrary.kernelComponent(libkern));

        ClassNotFoundException e = assertThrows(ClassNotFoundException.class, () -> loader.loadClass("com.example.driver.Lib"));
        assertEquals("Can't define com.example.driver.Lib of kext com.example.Driver: the class transformer failed"
                + " (java.lang.IllegalStateException: probe table full)", e.getMessage());
    }

    @Test
    void dependentsLoadingOneLibraryConcurrentlyShareOneClass() throws Exception {
        KextBundle lib = add(fixture.kext("com.example.Lib").compatible("1.0").library("com.apple.kpi.libkern", "8.0.0")
                .clazz("com.example.lib.Lib", Classes.summing("com.example.lib.Lib", 5)).build());
        KextClassLoader libLoader = link(lib, LinkedLibrary.kernelComponent(libkern));
        List<KextClassLoader> dependents = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String name = "com.example.d" + i + ".D";
            KextBundle dependent = add(fixture.kext("com.example.D" + i).library("com.example.Lib", "1.0")
                    .clazz(name, Classes.summing(name, i, "com.example.lib.Lib")).build());
            dependents.add(link(dependent, LinkedLibrary.of(libLoader)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Class<?>>> tasks = new ArrayList<>();
            for (KextClassLoader dependent : dependents) {
                tasks.add(() -> dependent.loadClass("com.example.lib.Lib"));
            }
            Class<?> first = null;
            for (Future<Class<?>> f : pool.invokeAll(tasks)) {
                Class<?> c = f.get();
                first = first == null ? c : first;
                assertSame(first, c);
            }
            assertSame(libLoader, first.getClassLoader());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aLibraryWithCodeMustComeWithItsLoader() {
        KextBundle lib = add(fixture.kext("com.example.Lib").compatible("1.0").library("com.apple.kpi.libkern", "8.0.0")
                .clazz("com.example.lib.Lib", Classes.summing("com.example.lib.Lib", 5)).build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new LinkedLibrary(lib, null));
        assertEquals("Library com.example.Lib at " + lib.path() + " is not a kernel component, so it needs the class"
                + " loader it was linked with; link and load it before the kexts that depend on it.", e.getMessage());
    }
}
