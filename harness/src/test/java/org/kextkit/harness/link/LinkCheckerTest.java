package org.kextkit.harness.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.objectweb.asm.Opcodes.ACC_ABSTRACT;
import static org.objectweb.asm.Opcodes.ACC_INTERFACE;
import static org.objectweb.asm.Opcodes.ACC_PUBLIC;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.kextkit.harness.bundle.KextBundle;
import org.kextkit.harness.testing.Javac;
import org.kextkit.kit.internal.KernelServices;

class LinkCheckerTest {
    private static final String KEXT_MODULE = "org.kextkit.kit.libkern.KextModule";

    @TempDir
    Path dir;

    private KextFixture fixture;
    private KextBundle libkern;
    private KextBundle iokit;
    private final List<KextBundle> known = new ArrayList<>();
    private final KernelServices kernel = (caller, function, message) -> { };
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

    private LinkResult link(KextBundle kext, LinkedLibrary... dependencies) {
        return linker.link(kext, KextFixture.executable(kext), List.of(dependencies), kernel);
    }

    private KextClassLoader linked(KextBundle kext, LinkedLibrary... dependencies) {
        LinkResult result = link(kext, dependencies);
        assertTrue(result.isLinked(), () -> String.join("\n", result.formatFindings()));
        return result.loader();
    }

    private static List<String> messages(LinkResult result) {
        return result.findings().stream().map(LinkFinding::message).collect(Collectors.toList());
    }

    private KextClassLoader helperLibrary() {
        KextBundle lib = add(fixture.kext("com.example.Lib").version("1.2").compatible("1.0")
                .library("com.apple.kpi.libkern", "8.0.0")
                .clazz("com.example.lib.Helper", Classes.summing("com.example.lib.Helper", 5)).build());
        return linked(lib, LinkedLibrary.kernelComponent(libkern));
    }

    @Test
    void aClassOfAnUndeclaredKextIsReportedWithTheEntryToAdd() {
        KextClassLoader lib = helperLibrary();
        KextBundle driver = add(fixture.kext("com.example.Driver").library("com.apple.kpi.libkern", "8.0.0")
                .clazz("com.example.driver.Driver", Classes.summing("com.example.driver.Driver", 1, "com.example.lib.Helper"))
                .build());

        LinkResult result = link(driver, LinkedLibrary.kernelComponent(libkern));

        assertFalse(result.isLinked());
        assertNull(result.loader());
        LinkFinding finding = result.findings().get(0);
        assertEquals(LinkFinding.Kind.UNDECLARED_LIBRARY, finding.kind());
        assertEquals("com.example.lib.Helper", finding.referencedClass());
        assertEquals(List.of("com.example.driver.Driver"), finding.referencingClasses());
        assertEquals(List.of(lib.bundle()), finding.providers());
        assertEquals("com.example.Lib", finding.libraryToAdd());
        assertEquals("1.2", finding.versionToAdd());
        assertEquals(List.of("com.example.lib.Helper (referenced by com.example.driver.Driver) is in com.example.Lib (1.2)"
                + " at " + lib.bundle().path() + ", which com.example.Driver does not declare; add com.example.Lib (1.2)"
                + " to OSBundleLibraries."), messages(result));
        assertEquals(List.of(
                "Kext com.example.Driver can't be linked: 1 problem in " + driver.executablePath() + ":",
                "    " + finding.message()), result.formatFindings());
    }

    @Test
    void aKitClassOfAnUndeclaredKpiNamesTheKpiAtTheConventionalVersion() {
        Map<String, byte[]> classes = Javac.compile(dir.resolve("javac"), Map.of("com.example.driver.Driver", String.join("\n",
                "package com.example.driver;",
                "public class Driver {",
                "    public static void hello() { org.kextkit.kit.iokit.IOLib.IOLog(\"hello\"); }",
                "}")));
        KextBundle driver = add(fixture.kext("com.example.Driver").library("com.apple.kpi.libkern", "8.0.0")
                .classes(classes).build());

        LinkResult result = link(driver, LinkedLibrary.kernelComponent(libkern));

        LinkFinding finding = result.findings().get(0);
        assertEquals(LinkFinding.Kind.UNDECLARED_KPI, finding.kind());
        assertEquals(List.of(iokit), finding.providers());
        assertEquals(List.of("org.kextkit.kit.iokit.IOLib (referenced by com.example.driver.Driver) is exported by"
                + " com.apple.kpi.iokit, which com.example.Driver does not declare; add com.apple.kpi.iokit (8.0.0) to"
                + " OSBundleLibraries."), messages(result));
        assertTrue(link(driver, LinkedLibrary.kernelComponent(libkern), LinkedLibrary.kernelComponent(iokit)).isLinked());
    }

    @Test
    void aClassNoKnownKextHasIsReportedAsNotFound() {
        KextBundle driver = add(fixture.kext("com.example.Driver").library("com.apple.kpi.libkern", "8.0.0")
                .clazz("com.example.driver.Driver", Classes.summing("com.example.driver.Driver", 1, "com.nowhere.Gone"))
                .clazz("com.example.driver.Other", Classes.summing("com.example.driver.Other", 1, "com.nowhere.Gone"))
                .clazz("com.example.driver.Third", Classes.summing("com.example.driver.Third", 1, "com.nowhere.Gone"))
                .build());

        LinkResult result = link(driver, LinkedLibrary.kernelComponent(libkern));

        assertEquals(List.of("com.nowhere.Gone (referenced by com.example.driver.Driver and 2 other classes) is not found"
                + " in any known kext; install the kext that has it, or remove the reference."), messages(result));
        assertEquals(List.of("com.example.driver.Driver", "com.example.driver.Other", "com.example.driver.Third"),
                result.findings().get(0).referencingClasses());
        assertEquals(LinkFinding.Kind.NOT_FOUND, result.findings().get(0).kind());
        assertNull(result.findings().get(0).libraryToAdd());
    }

    @Test
    void jdkClassesOutsideJavaBasesJavaPackagesAreRefused() {
        KextBundle driver = add(fixture.kext("com.example.Driver").library("com.apple.kpi.libkern", "8.0.0")
                .clazz("com.example.driver.Ui", Classes.referencing("com.example.driver.Ui", Classes.Reference.NEW_INSTANCE,
                        "javax.swing.JFrame"))
                .clazz("com.example.driver.Db", Classes.referencing("com.example.driver.Db", Classes.Reference.FIELD_TYPE,
                        "java.sql.Connection"))
                .clazz("com.example.driver.Time", Classes.referencing("com.example.driver.Time",
                        Classes.Reference.STATIC_CALL, "java.lang.TimeTravel"))
                .build());

        LinkResult result = link(driver, LinkedLibrary.kernelComponent(libkern));

        assertEquals(List.of(
                "java.lang.TimeTravel (referenced by com.example.driver.Time) is not in java.base of the running JDK (Java "
                        + Runtime.version().feature() + "); build the kext for this Java release or remove the reference.",
                "java.sql.Connection (referenced by com.example.driver.Db) is in package java.sql of the JDK module"
                        + " java.sql, which kernel code can't use; kexts may use only the java.* packages of java.base,"
                        + " so remove the reference.",
                "javax.swing.JFrame (referenced by com.example.driver.Ui) is in package javax.swing of the JDK module"
                        + " java.desktop, which kernel code can't use; kexts may use only the java.* packages of"
                        + " java.base, so remove the reference."), messages(result));
        assertEquals(LinkFinding.Kind.JDK_NOT_AVAILABLE, result.findings().get(2).kind());
    }

    @Test
    void theKitsInternalsAndTheHarnessAreNeverLinkable() {
        KextBundle driver = add(fixture.kext("com.example.Driver").library("com.apple.kpi.libkern", "8.0.0")
                .clazz("com.example.driver.A", Classes.referencing("com.example.driver.A", Classes.Reference.STATIC_CALL,
                        "org.kextkit.kit.internal.KernelRuntime"))
                .clazz("com.example.driver.B", Classes.referencing("com.example.driver.B", Classes.Reference.STATIC_CALL,
                        "org.kextkit.harness.link.KextLinker"))
                .build());

        LinkResult result = link(driver, LinkedLibrary.kernelComponent(libkern));

        assertEquals(List.of(
                "org.kextkit.harness.link.KextLinker (referenced by com.example.driver.B) belongs to the kextkit harness,"
                        + " which kexts can't see; use the kit's KPI packages instead.",
                "org.kextkit.kit.internal.KernelRuntime (referenced by com.example.driver.A) is in"
                        + " org.kextkit.kit.internal, the kernel's side of the kit, which is exported to no kext; use the"
                        + " kit's KPI packages instead."), messages(result));
        assertTrue(result.findings().stream().allMatch(f -> f.kind() == LinkFinding.Kind.NOT_EXPORTED));
    }

    @Test
    void aClassReachableOnlyThroughALibrarysOwnDependencyMustBeDeclared() {
        KextClassLoader helper = helperLibrary();
        KextBundle mid = add(fixture.kext("com.example.Mid").compatible("1.0").library("com.example.Lib", "1.0")
                .clazz("com.example.mid.Mid", Classes.summing("com.example.mid.Mid", 1, "com.example.lib.Helper")).build());
        KextClassLoader midLoader = linked(mid, LinkedLibrary.of(helper));
        KextBundle driver = add(fixture.kext("com.example.Driver").library("com.example.Mid", "1.0")
                .clazz("com.example.driver.Driver", Classes.summing("com.example.driver.Driver", 1, "com.example.mid.Mid",
                        "com.example.lib.Helper"))
                .build());

        LinkResult result = link(driver, LinkedLibrary.of(midLoader));

        assertEquals(List.of("com.example.lib.Helper (referenced by com.example.driver.Driver) is in com.example.Lib (1.2)"
                + " at " + helper.bundle().path() + ", which com.example.Driver does not declare (only com.example.Mid"
                + " links against it, and a kext sees only the libraries it declares itself); add com.example.Lib (1.2)"
                + " to OSBundleLibraries."), messages(result));
    }

    @Test
    void aClassOnlyInANonLibraryKextCantBeLinkedAgainst() {
        KextBundle app = add(fixture.kext("com.example.App").version("3.0").library("com.apple.kpi.libkern", "8.0.0")
                .clazz("com.example.app.Util", Classes.summing("com.example.app.Util", 1)).build());
        KextBundle driver = add(fixture.kext("com.example.Driver").library("com.apple.kpi.libkern", "8.0.0")
                .clazz("com.example.driver.Driver", Classes.summing("com.example.driver.Driver", 1, "com.example.app.Util"))
                .build());

        LinkResult result = link(driver, LinkedLibrary.kernelComponent(libkern));

        assertEquals(List.of("com.example.app.Util (referenced by com.example.driver.Driver) is only in com.example.App"
                + " (3.0) at " + app.path() + ", which is not a library (no OSBundleCompatibleVersion), so no kext can"
                + " link against it; move the class into a library kext or give com.example.App an"
                + " OSBundleCompatibleVersion."), messages(result));
        assertEquals(LinkFinding.Kind.NOT_A_LIBRARY, result.findings().get(0).kind());
    }

    @Test
    void aDeclaredLibraryWhoseLinkedVersionLacksTheClassNamesTheVersionThatHasIt() {
        KextBundle old = add(fixture.kext("com.example.Lib").version("1.0").compatible("1.0").directory("old")
                .library("com.apple.kpi.libkern", "8.0.0")
                .clazz("com.example.lib.Helper", Classes.summing("com.example.lib.Helper", 1)).build());
        KextBundle newer = add(fixture.kext("com.example.Lib").version("1.2").compatible("1.0").directory("new")
                .library("com.apple.kpi.libkern", "8.0.0")
                .clazz("com.example.lib.Helper", Classes.summing("com.example.lib.Helper", 1))
                .clazz("com.example.lib.Extra", Classes.summing("com.example.lib.Extra", 1)).build());
        KextClassLoader oldLoader = linked(old, LinkedLibrary.kernelComponent(libkern));
        KextBundle driver = add(fixture.kext("com.example.Driver").library("com.example.Lib", "1.0")
                .clazz("com.example.driver.Driver", Classes.summing("com.example.driver.Driver", 1, "com.example.lib.Extra"))
                .build());

        LinkResult result = link(driver, LinkedLibrary.of(oldLoader));

        assertEquals(List.of("com.example.lib.Extra (referenced by com.example.driver.Driver) is in com.example.Lib (1.2)"
                + " at " + newer.path() + ", but the com.example.Lib that com.example.Driver links against, 1.0 at "
                + old.path() + ", lacks it; request com.example.Lib (1.2) in OSBundleLibraries."), messages(result));
        assertEquals(LinkFinding.Kind.LINKED_VERSION_LACKS_CLASS, result.findings().get(0).kind());
    }

    @ParameterizedTest
    @EnumSource(Classes.Reference.class)
    void everyWayBytecodeCanNameAClassIsChecked(Classes.Reference reference) {
        helperLibrary();
        KextBundle driver = add(fixture.kext("com.example.Driver").library("com.apple.kpi.libkern", "8.0.0")
                .clazz("com.example.driver.Driver", Classes.referencing("com.example.driver.Driver", reference,
                        "com.example.lib.Helper"))
                .build());

        LinkResult result = link(driver, LinkedLibrary.kernelComponent(libkern));

        if (reference.resolvedByJvm) {
            assertEquals(1, result.findings().size(), () -> String.join("\n", result.formatFindings()));
            assertEquals("com.example.lib.Helper", result.findings().get(0).referencedClass());
            assertEquals("com.example.Lib", result.findings().get(0).libraryToAdd());
        } else {
            assertTrue(result.isLinked(), () -> String.join("\n", result.formatFindings()));
        }
    }

    @Test
    void realisticDriverCodeLinksWithNoFalseFindingsAndRuns() throws Exception {
        Map<String, byte[]> classes = Javac.compile(dir.resolve("javac"), Map.of(
                "com.example.net.Driver", String.join("\n",
                        "package com.example.net;",
                        "import java.util.*;",
                        "import java.util.concurrent.locks.ReentrantLock;",
                        "import java.util.function.IntSupplier;",
                        "import org.kextkit.kit.libkern.*;",
                        "import static org.kextkit.kit.iokit.IOLib.IOLog;",
                        "@Driver.Info(kind = Driver.State.UP, helper = Driver.Packet.class)",
                        "public final class Driver implements KextModule {",
                        "    @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)",
                        "    @interface Info { State kind(); Class<?> helper(); }",
                        "    enum State { UP, DOWN }",
                        "    record Packet(int length, byte[] data) { }",
                        "    private final ReentrantLock lock = new ReentrantLock();",
                        "    private final Map<String, List<Packet>> queues = new HashMap<>();",
                        "    private State state = State.DOWN;",
                        "    public int start(KmodInfo info, Object data) {",
                        "        lock.lock();",
                        "        try {",
                        "            state = State.UP;",
                        "            IntSupplier size = () -> queues.size();",
                        "            queues.computeIfAbsent(\"en0\", k -> new ArrayList<>()).add(new Packet(3, new byte[3]));",
                        "            switch (state) { case UP: IOLog(\"up \" + size.getAsInt() + \" \" + queues); break; default: break; }",
                        "            int[][] grid = new int[2][2];",
                        "            synchronized (this) { grid[1][1] = queues.get(\"en0\").get(0).length(); }",
                        "            return grid[1][1] == 3 ? KernReturn.KERN_SUCCESS : KernReturn.KERN_FAILURE;",
                        "        } finally {",
                        "            lock.unlock();",
                        "        }",
                        "    }",
                        "    public int stop(KmodInfo info, Object data) { return KernReturn.KERN_SUCCESS; }",
                        "}")));
        KextBundle driver = add(fixture.kext("com.example.net").library("com.apple.kpi.libkern", "8.0.0")
                .library("com.apple.kpi.iokit", "8.0.0").classes(classes).moduleClass("com.example.net.Driver").build());

        KextClassLoader loader = linked(driver, LinkedLibrary.kernelComponent(libkern), LinkedLibrary.kernelComponent(iokit));
        org.kextkit.kit.libkern.KextModule module = (org.kextkit.kit.libkern.KextModule)
                loader.loadClass("com.example.net.Driver").getConstructor().newInstance();
        assertEquals(0, module.start(null, null));
    }

    @Test
    void aModuleClassMustImplementKextModuleWithAPublicNoArgumentConstructor() {
        KextBundle wrongType = add(fixture.kext("com.example.A").library("com.apple.kpi.libkern", "8.0.0")
                .clazz("com.example.a.Start", Classes.plain("com.example.a.Start", ACC_PUBLIC, "java.lang.Object"))
                .moduleClass("com.example.a.Start").build());
        KextBundle noConstructor = add(fixture.kext("com.example.B").library("com.apple.kpi.libkern", "8.0.0")
                .clazz("com.example.b.Start", Classes.withConstructor("com.example.b.Start", ACC_PUBLIC, "(I)V", KEXT_MODULE))
                .moduleClass("com.example.b.Start").build());
        KextBundle missing = add(fixture.kext("com.example.C").library("com.apple.kpi.libkern", "8.0.0")
                .clazz("com.example.c.Start", Classes.plain("com.example.c.Start", ACC_PUBLIC, "java.lang.Object"))
                .moduleClass("com.example.c.Begin").build());
        KextBundle hidden = add(fixture.kext("com.example.D").library("com.apple.kpi.libkern", "8.0.0")
                .clazz("com.example.d.Start", Classes.plain("com.example.d.Start", ACC_ABSTRACT, "java.lang.Object",
                        KEXT_MODULE))
                .moduleClass("com.example.d.Start").build());
        KextBundle iface = add(fixture.kext("com.example.E").library("com.apple.kpi.libkern", "8.0.0")
                .clazz("com.example.e.Start", Classes.plain("com.example.e.Start", ACC_PUBLIC | ACC_INTERFACE | ACC_ABSTRACT,
                        "java.lang.Object", KEXT_MODULE))
                .moduleClass("com.example.e.Start").build());
        LinkedLibrary kpi = LinkedLibrary.kernelComponent(libkern);

        String a = KextBundleMessages.where("com.example.a.Start", wrongType);
        assertEquals(List.of(a + " does not implement " + KEXT_MODULE + "; implement it, with the kext's start and stop"
                + " routines."), messages(link(wrongType, kpi)));
        assertEquals(List.of(KextBundleMessages.where("com.example.b.Start", noConstructor) + " has no public"
                + " no-argument constructor; add one so the kernel can create it."), messages(link(noConstructor, kpi)));
        assertEquals(List.of("Kext-Module-Class names com.example.c.Begin, but " + missing.executablePath() + " has no such"
                + " class; name the class of that jar that implements " + KEXT_MODULE + " (a binary name such as"
                + " com.example.driver.Start)."), messages(link(missing, kpi)));
        String d = KextBundleMessages.where("com.example.d.Start", hidden);
        assertEquals(List.of(d + " is not public; make it public so the kernel can create it.",
                d + " is abstract; name a concrete class so the kernel can create it."), messages(link(hidden, kpi)));
        assertEquals(List.of(KextBundleMessages.where("com.example.e.Start", iface) + " is an interface; name a concrete"
                + " class that implements " + KEXT_MODULE + "."), messages(link(iface, kpi)));
        assertTrue(link(hidden, kpi).findings().stream().allMatch(f -> f.kind() == LinkFinding.Kind.BAD_MODULE_CLASS));
    }

    @Test
    void aModuleClassMayInheritKextModuleFromALibrarysBaseClass() {
        KextBundle base = add(fixture.kext("com.example.Base").compatible("1.0").library("com.apple.kpi.libkern", "8.0.0")
                .clazz("com.example.base.BaseModule", Classes.abstractClass("com.example.base.BaseModule", KEXT_MODULE))
                .build());
        KextClassLoader baseLoader = linked(base, LinkedLibrary.kernelComponent(libkern));
        KextBundle driver = add(fixture.kext("com.example.Driver").library("com.example.Base", "1.0")
                .clazz("com.example.driver.Start", Classes.plain("com.example.driver.Start", ACC_PUBLIC,
                        "com.example.base.BaseModule"))
                .moduleClass("com.example.driver.Start").build());

        assertTrue(link(driver, LinkedLibrary.of(baseLoader)).isLinked());
        assertEquals(List.of(), new LinkChecker(new ClassIndex(() -> known))
                .check(driver, KextFixture.executable(driver), List.of(base)));
    }

    @Test
    void unreadableOrMisfiledClassFilesAreReportedAgainstTheJar() {
        KextBundle driver = add(fixture.kext("com.example.Driver").library("com.apple.kpi.libkern", "8.0.0")
                .clazz("com.example.driver.Broken", new byte[] {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE, 0, 0})
                .clazz("com.example.driver.Moved", Classes.summing("com.example.driver.Elsewhere", 1))
                .build());

        LinkResult result = link(driver, LinkedLibrary.kernelComponent(libkern));

        List<String> messages = messages(result);
        assertEquals(2, messages.size());
        assertTrue(messages.get(0).startsWith("com.example.driver.Broken in " + driver.executablePath()
                + " is not a valid class file ("), messages.get(0));
        assertTrue(messages.get(0).endsWith("); rebuild the kext's jar."), messages.get(0));
        assertEquals("The entry for com.example.driver.Moved in " + driver.executablePath() + " holds class"
                + " com.example.driver.Elsewhere; a class must be stored under its own name, so rebuild the kext's jar.",
                messages.get(1));
        assertTrue(result.findings().stream().allMatch(f -> f.kind() == LinkFinding.Kind.MALFORMED_CLASS));
    }

    @Test
    void theCheckAloneReadsDependenciesFromDiskAsKextutilWould() {
        KextBundle lib = add(fixture.kext("com.example.Lib").version("1.2").compatible("1.0")
                .library("com.apple.kpi.libkern", "8.0.0")
                .clazz("com.example.lib.Helper", Classes.summing("com.example.lib.Helper", 5)).build());
        KextBundle driver = add(fixture.kext("com.example.Driver").library("com.example.Lib", "1.0")
                .library("com.apple.kpi.libkern", "8.0.0")
                .clazz("com.example.driver.Driver", Classes.summing("com.example.driver.Driver", 1, "com.example.lib.Helper"))
                .clazz("com.example.driver.Log", Classes.referencing("com.example.driver.Log", Classes.Reference.STATIC_CALL,
                        "org.kextkit.kit.iokit.IOLib"))
                .build());
        LinkChecker checker = new LinkChecker(new ClassIndex(() -> known));

        assertEquals(List.of(), checker.check(driver, KextFixture.executable(driver), List.of(lib, libkern, iokit)));
        List<LinkFinding> findings = checker.check(driver, KextFixture.executable(driver), List.of(lib, libkern));
        assertEquals(1, findings.size());
        assertEquals("com.apple.kpi.iokit", findings.get(0).libraryToAdd());
    }

    @Test
    void theRepositoryIsConsultedOnlyToExplainAFailureAndBrokenJarsInItAreSkipped() throws Exception {
        int[] asked = new int[1];
        KextLinker counting = new KextLinker(new ClassIndex(() -> {
            asked[0]++;
            return known;
        }));
        KextBundle lib = add(fixture.kext("com.example.Lib").version("1.2").compatible("1.0")
                .clazz("com.example.lib.Helper", Classes.summing("com.example.lib.Helper", 5)).build());
        KextBundle broken = add(fixture.kext("com.example.Broken").compatible("1.0")
                .clazz("com.example.broken.X", Classes.summing("com.example.broken.X", 1)).build());
        java.nio.file.Files.writeString(broken.executablePath(), "not a jar");
        KextBundle good = add(fixture.kext("com.example.Good").library("com.apple.kpi.libkern", "8.0.0")
                .clazz("com.example.good.Good", Classes.summing("com.example.good.Good", 1)).build());
        KextBundle bad = add(fixture.kext("com.example.Bad").library("com.apple.kpi.libkern", "8.0.0")
                .clazz("com.example.bad.Bad", Classes.summing("com.example.bad.Bad", 1, "com.example.lib.Helper")).build());
        LinkedLibrary kpi = LinkedLibrary.kernelComponent(libkern);

        assertTrue(counting.link(good, KextFixture.executable(good), List.of(kpi), kernel).isLinked());
        assertEquals(0, asked[0]);
        LinkResult failed = counting.link(bad, KextFixture.executable(bad), List.of(kpi), kernel);
        assertEquals("com.example.Lib", failed.findings().get(0).libraryToAdd());
        assertEquals(List.of(lib), failed.findings().get(0).providers());
        assertTrue(asked[0] > 0);
    }

    /** Build the start of the module-class messages, which name the attribute, the class and the jar. */
    private static final class KextBundleMessages {
        static String where(String moduleClass, KextBundle kext) {
            return "Kext-Module-Class " + moduleClass + " in " + kext.executablePath();
        }
    }
}
