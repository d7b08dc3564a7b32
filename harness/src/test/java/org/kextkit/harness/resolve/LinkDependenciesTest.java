package org.kextkit.harness.resolve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.kextkit.harness.bundle.KextBundle;
import org.kextkit.harness.repository.KextRepository;

/** What each kext links against: codeless libraries are loaded but never linked against. */
class LinkDependenciesTest {
    private final Kexts kexts = new Kexts();
    private final KextRepository repository = new KextRepository();
    private final KextBundle libkern = repository.kernel().bundle("com.apple.kpi.libkern");
    private final KextBundle iokit = repository.kernel().bundle("com.apple.kpi.iokit");

    private KextBundle add(String path, String dictBody) {
        KextBundle kext = kexts.kext(path, dictBody);
        repository.add(kext);
        return kext;
    }

    @Test
    void codelessLibraryIsReplacedByWhatItLinksAgainst() {
        KextBundle real = add("/L/Real.kext", """
                <key>CFBundleIdentifier</key><string>com.example.Real</string>
                <key>CFBundleVersion</key><string>2.0</string>
                <key>OSBundleCompatibleVersion</key><string>1.0</string>
                <key>CFBundleExecutable</key><string>Real</string>
                <key>OSBundleLibraries</key><dict><key>com.apple.kpi.libkern</key><string>8.0</string></dict>
                """);
        KextBundle redirect = add("/L/Redirect.kext", """
                <key>CFBundleIdentifier</key><string>com.example.Redirect</string>
                <key>CFBundleVersion</key><string>1.0</string>
                <key>OSBundleCompatibleVersion</key><string>1.0</string>
                <key>OSBundleLibraries</key><dict>
                    <key>com.example.Real</key><string>2.0</string>
                    <key>com.apple.kpi.iokit</key><string>8.0</string>
                </dict>
                """);
        KextBundle root = add("/L/Root.kext", """
                <key>CFBundleIdentifier</key><string>com.example.Root</string>
                <key>CFBundleVersion</key><string>1.0</string>
                <key>CFBundleExecutable</key><string>Root</string>
                <key>OSBundleLibraries</key><dict>
                    <key>com.example.Redirect</key><string>1.0</string>
                    <key>com.apple.kpi.libkern</key><string>8.0</string>
                </dict>
                """);
        Resolution resolution = new DependencyResolver(repository).resolve(root);
        assertTrue(resolution.isResolved(), root.diagnostics().format());
        assertEquals(List.of(libkern, real, iokit, redirect, root), resolution.loadList());
        assertEquals(List.of(redirect, libkern), resolution.dependencies(root));
        assertEquals(List.of(libkern, real, iokit), resolution.linkDependencies(root));
        assertEquals(List.of(real, iokit), resolution.linkDependencies(redirect));
        assertEquals(List.of(libkern), resolution.linkDependencies(real));
    }

    @Test
    void chainOfCodelessLibrariesIsFlattenedAllTheWay() {
        KextBundle real = add("/L/Real.kext", """
                <key>CFBundleIdentifier</key><string>com.example.Real</string>
                <key>CFBundleVersion</key><string>1.0</string>
                <key>OSBundleCompatibleVersion</key><string>1.0</string>
                <key>CFBundleExecutable</key><string>Real</string>
                <key>OSBundleLibraries</key><dict><key>com.apple.kpi.libkern</key><string>8.0</string></dict>
                """);
        add("/L/Outer.kext", """
                <key>CFBundleIdentifier</key><string>com.example.Outer</string>
                <key>CFBundleVersion</key><string>1.0</string>
                <key>OSBundleCompatibleVersion</key><string>1.0</string>
                <key>OSBundleLibraries</key><dict><key>com.example.Inner</key><string>1.0</string></dict>
                """);
        add("/L/Inner.kext", """
                <key>CFBundleIdentifier</key><string>com.example.Inner</string>
                <key>CFBundleVersion</key><string>1.0</string>
                <key>OSBundleCompatibleVersion</key><string>1.0</string>
                <key>OSBundleLibraries</key><dict><key>com.example.Real</key><string>1.0</string></dict>
                """);
        KextBundle root = add("/L/Root.kext", """
                <key>CFBundleIdentifier</key><string>com.example.Root</string>
                <key>CFBundleVersion</key><string>1.0</string>
                <key>CFBundleExecutable</key><string>Root</string>
                <key>OSBundleLibraries</key><dict>
                    <key>com.apple.kpi.libkern</key><string>8.0</string>
                    <key>com.example.Outer</key><string>1.0</string>
                </dict>
                """);
        Resolution resolution = new DependencyResolver(repository).resolve(root);
        assertTrue(resolution.isResolved());
        assertEquals(List.of(libkern, real), resolution.linkDependencies(root));
    }

    @Test
    void kernelPseudoKextsAreLinkedAgainstThoughSomeHaveNoCode() {
        KextBundle root = add("/L/Root.kext", """
                <key>CFBundleIdentifier</key><string>com.example.Root</string>
                <key>CFBundleVersion</key><string>1.0</string>
                <key>CFBundleExecutable</key><string>Root</string>
                <key>OSBundleLibraries</key><dict>
                    <key>com.apple.kpi.iokit</key><string>8.0</string>
                    <key>com.apple.kpi.libkern</key><string>8.0</string>
                </dict>
                """);
        Resolution resolution = new DependencyResolver(repository).resolve(root);
        assertEquals(List.of(iokit, libkern), resolution.linkDependencies(root));
    }
}
