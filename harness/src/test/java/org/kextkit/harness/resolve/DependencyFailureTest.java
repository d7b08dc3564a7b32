package org.kextkit.harness.resolve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kextkit.harness.diagnostics.DiagnosticGroup.AUTHENTICATION;
import static org.kextkit.harness.diagnostics.DiagnosticGroup.DEPENDENCIES;
import static org.kextkit.harness.resolve.LoadListTest.lib;
import static org.kextkit.harness.resolve.LoadListTest.needing;
import static org.kextkit.harness.resolve.LoadListTest.rootNeeding;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.kextkit.harness.bundle.KextBundle;
import org.kextkit.harness.repository.KextRepository;

/** Libraries that cannot be satisfied: Apple's wording, the log lines, and why each candidate lost. */
class DependencyFailureTest {
    private final Kexts kexts = new Kexts();
    private final KextRepository repository = new KextRepository();

    private KextBundle add(String path, String dictBody) {
        KextBundle kext = kexts.kext(path, dictBody);
        repository.add(kext);
        return kext;
    }

    private Resolution resolve(KextBundle root) {
        return new DependencyResolver(repository).resolve(root);
    }

    @Test
    void missingLibraryIsNamedWithoutANote() {
        KextBundle root = add("/L/Root.kext", rootNeeding("1.0"));
        Resolution resolution = resolve(root);
        assertFalse(resolution.isResolved());
        assertEquals(List.of(), resolution.loadList());
        assertEquals(List.of("/L/Root.kext - dependency 'com.example.Lib' not found."), resolution.logLines());
        assertEquals(List.of("com.example.Lib"), root.diagnostics().values(DEPENDENCIES, DependencyMessages.NO_KEXTS_FOUND));
    }

    @Test
    void missingLibraryWithALetterCaseTypoPointsAtTheRealOne() {
        add("/L/Lib.kext", lib("1.0", "1.0").replace("com.example.Lib", "com.example.lib"));
        KextBundle root = add("/L/Root.kext", rootNeeding("1.0"));
        resolve(root);
        assertEquals(List.of("com.example.Lib - no kext has this identifier; com.example.lib at /L/Lib.kext differs only"
                + " in letter case"), root.diagnostics().values(DEPENDENCIES, DependencyMessages.NO_KEXTS_FOUND));
    }

    @Test
    void onlyIncompatibleCandidatesAreEachExplained() {
        add("/x/Lib.kext", lib("1.5", "1.0"));
        add("/y/Lib.kext", lib("3.0", "2.5"));
        KextBundle root = add("/L/Root.kext", rootNeeding("2.0"));
        Resolution resolution = resolve(root);
        assertFalse(resolution.isResolved());
        assertEquals(List.of("/L/Root.kext - no compatible dependency found for com.example.Lib."), resolution.logLines());
        assertEquals(List.of("com.example.Lib - requested 2.0; candidates:"
                        + " 3.0 at /y/Lib.kext (it is compatible back to 2.5 only, which is newer than the requested 2.0),"
                        + " 1.5 at /x/Lib.kext (its version 1.5 is older than the requested 2.0)"),
                root.diagnostics().values(DEPENDENCIES, DependencyMessages.ONLY_INCOMPATIBLE));
    }

    @Test
    void dependencyOnANonLibraryIsRefused() {
        add("/L/Lib.kext", """
                <key>CFBundleIdentifier</key><string>com.example.Lib</string>
                <key>CFBundleVersion</key><string>1.0</string>
                <key>CFBundleExecutable</key><string>Lib</string>
                """);
        KextBundle root = add("/L/Root.kext", rootNeeding("1.0"));
        Resolution resolution = resolve(root);
        assertFalse(resolution.isResolved());
        assertEquals(List.of("/L/Root.kext - dependency for com.example.Lib lacks valid OSBundleCompatibleVersion."),
                resolution.logLines());
        assertEquals(List.of("com.example.Lib - requested 1.0; candidates: 1.0 at /L/Lib.kext (it has no valid"
                        + " OSBundleCompatibleVersion, so it is not a library)"),
                root.diagnostics().values(DEPENDENCIES, DependencyMessages.LACKS_COMPATIBLE_VERSION));
    }

    @Test
    void incompatibleLoadedKextFailsEvenWhenADiskCopyWouldDo() {
        KextBundle loaded = kexts.kext("/loaded/Lib.kext", lib("1.5", "1.0"));
        add("/disk/Lib.kext", lib("2.0", "1.0"));
        KextBundle root = add("/L/Root.kext", rootNeeding("2.0"));
        Resolution resolution = new DependencyResolver(repository, id -> id.equals("com.example.Lib") ? loaded : null)
                .resolve(root);
        assertFalse(resolution.isResolved());
        assertEquals(List.of("/L/Root.kext - loaded dependency com.example.Lib, v1.5 is not compatible with requested"
                + " version 2.0."), resolution.logLines());
        assertEquals(List.of("com.example.Lib - requested 2.0; loaded: 1.5 at /loaded/Lib.kext (its version 1.5 is older"
                        + " than the requested 2.0); a loaded library is always used in preference to other copies,"
                        + " so unload it to use 2.0 at /disk/Lib.kext"),
                root.diagnostics().values(DEPENDENCIES, DependencyMessages.LOADED_INCOMPATIBLE));
    }

    @Test
    void loadedKextThatIsNotALibraryFails() {
        KextBundle loaded = kexts.kext("/loaded/Lib.kext", """
                <key>CFBundleIdentifier</key><string>com.example.Lib</string>
                <key>CFBundleVersion</key><string>1.0</string>
                """);
        KextBundle root = add("/L/Root.kext", rootNeeding("1.0"));
        Resolution resolution = new DependencyResolver(repository, id -> id.equals("com.example.Lib") ? loaded : null)
                .resolve(root);
        assertEquals(List.of("/L/Root.kext - loaded dependency com.example.Lib lacks valid OSBundleCompatibleVersion."),
                resolution.logLines());
        assertEquals(1, root.diagnostics().values(DEPENDENCIES, DependencyMessages.LOADED_LACKS_COMPATIBLE_VERSION).size());
        assertTrue(root.diagnostics().values(DEPENDENCIES, DependencyMessages.LOADED_LACKS_COMPATIBLE_VERSION).get(0)
                .endsWith("no other known copy is compatible"));
    }

    @Test
    void loadedDependencyWithBadPermissionsFailsTheLoadList() {
        KextBundle loaded = kexts.kext("/loaded/Lib.kext", lib("1.0", "1.0"));
        loaded.diagnostics().add(AUTHENTICATION,
                "File owner/permissions are incorrect (must be root:wheel, nonwritable by group/other)", "/loaded/Lib.kext");
        KextBundle root = add("/L/Root.kext", rootNeeding("1.0"));
        Resolution resolution = new DependencyResolver(repository, id -> id.equals("com.example.Lib") ? loaded : null)
                .resolve(root);
        assertFalse(resolution.isResolved());
        assertEquals(List.of("com.example.Lib - /loaded/Lib.kext"),
                root.diagnostics().values(DEPENDENCIES, DependencyMessages.DEPENDENCIES_INAUTHENTIC));
    }

    @Test
    void twoKextCycleShowsTheWholeCycle() {
        KextBundle a = add("/L/A.kext", needing("com.example.A", "com.example.B"));
        KextBundle b = add("/L/B.kext", needing("com.example.B", "com.example.A"));
        Resolution resolution = resolve(a);
        assertFalse(resolution.isResolved());
        assertEquals(List.of("com.example.A - com.example.A -> com.example.B -> com.example.A"),
                a.diagnostics().values(DEPENDENCIES, DependencyMessages.CIRCULAR_REFERENCE));
        assertTrue(b.diagnostics().has(DEPENDENCIES, DependencyMessages.INDIRECT_UNRESOLVABLE));
    }

    @Test
    void threeKextCycleIsReportedOnTheRootAndOnTheKextThatClosesIt() {
        KextBundle root = add("/L/Root.kext", needing("com.example.Root", "com.example.A"));
        KextBundle a = add("/L/A.kext", needing("com.example.A", "com.example.B"));
        add("/L/B.kext", needing("com.example.B", "com.example.C"));
        add("/L/C.kext", needing("com.example.C", "com.example.A"));
        Resolution resolution = resolve(root);
        assertFalse(resolution.isResolved());
        String cycle = "com.example.A - com.example.A -> com.example.B -> com.example.C -> com.example.A";
        assertEquals(List.of(cycle), root.diagnostics().values(DEPENDENCIES, DependencyMessages.CIRCULAR_REFERENCE));
        assertEquals(List.of(cycle), a.diagnostics().values(DEPENDENCIES, DependencyMessages.CIRCULAR_REFERENCE));
        assertEquals(List.of("com.example.A - it is part of the circular reference com.example.A -> com.example.B"
                                + " -> com.example.C -> com.example.A",
                        "com.example.C - its library com.example.A can't be resolved",
                        "com.example.B - its library com.example.C can't be resolved"),
                root.diagnostics().values(DEPENDENCIES, DependencyMessages.INDIRECT_UNRESOLVABLE));
    }

    @Test
    void kextNamingItselfIsACycle() {
        KextBundle self = add("/L/Self.kext", needing("com.example.Self", "com.example.Self"));
        assertFalse(resolve(self).isResolved());
        assertEquals(List.of("com.example.Self - com.example.Self -> com.example.Self"),
                self.diagnostics().values(DEPENDENCIES, DependencyMessages.CIRCULAR_REFERENCE));
    }

    @Test
    void failureDeepDownIsReportedAsIndirectOnEveryKextAbove() {
        KextBundle root = add("/L/Root.kext", needing("com.example.Root", "com.example.Mid"));
        KextBundle mid = add("/L/Mid.kext", needing("com.example.Mid", "com.example.Missing"));
        Resolution resolution = resolve(root);
        assertFalse(resolution.isResolved());
        assertEquals(List.of("com.example.Missing"), mid.diagnostics().values(DEPENDENCIES, DependencyMessages.NO_KEXTS_FOUND));
        assertEquals(List.of("com.example.Mid - no kext found for com.example.Missing"),
                root.diagnostics().values(DEPENDENCIES, DependencyMessages.INDIRECT_UNRESOLVABLE));
        assertEquals(List.of("/L/Mid.kext - dependency 'com.example.Missing' not found."), resolution.logLines());
    }

    @Test
    void invalidCandidateIsRejectedAndTheNextCompatibleOneChosen() {
        Kexts.invalid(add("/new/Lib.kext", lib("2.0", "1.0")));
        KextBundle old = add("/old/Lib.kext", lib("1.5", "1.0"));
        KextBundle root = add("/L/Root.kext", rootNeeding("1.0"));
        Resolution resolution = resolve(root);
        assertTrue(resolution.isResolved());
        assertSame(old, resolution.dependencies(root).get(1));
        assertEquals(List.of("Rejecting invalid/inauthentic kext for bundle id com.example.Lib at location /new/Lib.kext."),
                resolution.logLines());
    }

    @Test
    void onlyInvalidCompatibleCandidatesMeanValidationProblems() {
        Kexts.invalid(add("/new/Lib.kext", lib("2.0", "1.0")));
        KextBundle root = add("/L/Root.kext", rootNeeding("1.0"));
        Resolution resolution = resolve(root);
        assertFalse(resolution.isResolved());
        assertEquals(List.of("com.example.Lib - requested 1.0; candidates: 2.0 at /new/Lib.kext (compatible, but rejected:"
                + " it has validation failures)"), root.diagnostics().values(DEPENDENCIES, DependencyMessages.DEPENDENCIES_INVALID));
    }

    @Test
    void invalidRootIsNotResolved() {
        KextBundle root = Kexts.invalid(add("/L/Root.kext", rootNeeding("1.0")));
        Resolution resolution = resolve(root);
        assertFalse(resolution.isResolved());
        assertEquals(List.of("/L/Root.kext is invalid; can't resolve dependencies."), resolution.logLines());
        assertFalse(root.diagnostics().has(DEPENDENCIES));
    }

    @Test
    void twoVersionsOfOneLibraryInALoadListAreRefused() {
        add("/old/Lib.kext", lib("1.0", "1.0"));
        add("/new/Lib.kext", lib("2.0", "2.0"));
        add("/L/A.kext", rootNeeding("1.0").replace("com.example.Root", "com.example.A")
                .replace("<key>CFBundleVersion</key>", "<key>OSBundleCompatibleVersion</key><string>1.0</string><key>CFBundleVersion</key>"));
        add("/L/B.kext", rootNeeding("2.0").replace("com.example.Root", "com.example.B")
                .replace("<key>CFBundleVersion</key>", "<key>OSBundleCompatibleVersion</key><string>1.0</string><key>CFBundleVersion</key>"));
        KextBundle root = add("/L/Root.kext", """
                <key>CFBundleIdentifier</key><string>com.example.Root</string>
                <key>CFBundleVersion</key><string>1.0</string>
                <key>CFBundleExecutable</key><string>Root</string>
                <key>OSBundleLibraries</key><dict>
                    <key>com.example.A</key><string>1.0</string>
                    <key>com.example.B</key><string>1.0</string>
                    <key>com.apple.kpi.libkern</key><string>8.0</string>
                </dict>
                """);
        Resolution resolution = resolve(root);
        assertFalse(resolution.isResolved());
        assertEquals(List.of(), resolution.loadList());
        assertEquals(List.of("com.example.Lib - 1.0 at /old/Lib.kext (for com.example.A),"
                        + " 2.0 at /new/Lib.kext (for com.example.B)"),
                root.diagnostics().values(DEPENDENCIES, DependencyMessages.MULTIPLE_VERSIONS));
    }

    @Test
    void resolvingAgainForgetsFailuresThatNoLongerHold() {
        KextBundle root = add("/L/Root.kext", rootNeeding("1.0"));
        assertFalse(resolve(root).isResolved());
        assertTrue(root.diagnostics().has(DEPENDENCIES));
        add("/L/Lib.kext", lib("1.0", "1.0"));
        assertTrue(resolve(root).isResolved());
        assertFalse(root.diagnostics().has(DEPENDENCIES), root.diagnostics().format());
    }

    @Test
    void unparseableRequestedVersionFailsWithoutThrowing() {
        add("/L/Lib.kext", lib("1.0", "1.0"));
        KextBundle root = add("/L/Root.kext", rootNeeding("one"));
        assertFalse(resolve(root).isResolved());
        assertEquals(List.of("com.example.Lib - requested 'one' (not a valid version string); candidates: 1.0 at"
                        + " /L/Lib.kext (the requested version is not a valid version string)"),
                root.diagnostics().values(DEPENDENCIES, DependencyMessages.ONLY_INCOMPATIBLE));
    }
}
