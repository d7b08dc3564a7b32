package org.kextkit.harness.resolve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.dd.plist.NSDictionary;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kextkit.harness.bundle.KextBundle;
import org.kextkit.harness.repository.KextRepository;
import org.kextkit.harness.version.VersionGrammar;

/** The load list: which kext is chosen for each library, and in which order the kexts load. */
class LoadListTest {
    private final Kexts kexts = new Kexts();
    private final KextRepository repository = new KextRepository();
    private final KextBundle libkern = repository.kernel().bundle("com.apple.kpi.libkern");

    private KextBundle add(String path, String dictBody) {
        KextBundle kext = kexts.kext(path, dictBody);
        repository.add(kext);
        return kext;
    }

    @Test
    void diamondLoadsEachKextOnceDependenciesFirstInDeclarationOrder() {
        KextBundle c = add("/L/C.kext", """
                <key>CFBundleIdentifier</key><string>com.example.C</string>
                <key>CFBundleVersion</key><string>1.0</string>
                <key>OSBundleCompatibleVersion</key><string>1.0</string>
                <key>CFBundleExecutable</key><string>C</string>
                <key>OSBundleLibraries</key><dict><key>com.apple.kpi.libkern</key><string>8.0</string></dict>
                """);
        KextBundle a = add("/L/A.kext", """
                <key>CFBundleIdentifier</key><string>com.example.A</string>
                <key>CFBundleVersion</key><string>1.0</string>
                <key>OSBundleCompatibleVersion</key><string>1.0</string>
                <key>CFBundleExecutable</key><string>A</string>
                <key>OSBundleLibraries</key><dict>
                    <key>com.apple.kpi.libkern</key><string>8.0</string>
                    <key>com.example.C</key><string>1.0</string>
                </dict>
                """);
        KextBundle b = add("/L/B.kext", """
                <key>CFBundleIdentifier</key><string>com.example.B</string>
                <key>CFBundleVersion</key><string>1.0</string>
                <key>OSBundleCompatibleVersion</key><string>1.0</string>
                <key>CFBundleExecutable</key><string>B</string>
                <key>OSBundleLibraries</key><dict>
                    <key>com.example.C</key><string>1.0</string>
                    <key>com.apple.kpi.libkern</key><string>8.0</string>
                </dict>
                """);
        KextBundle root = add("/L/Root.kext", """
                <key>CFBundleIdentifier</key><string>com.example.Root</string>
                <key>CFBundleVersion</key><string>1.0</string>
                <key>CFBundleExecutable</key><string>Root</string>
                <key>OSBundleLibraries</key><dict>
                    <key>com.example.A</key><string>1.0</string>
                    <key>com.apple.kpi.libkern</key><string>8.0</string>
                    <key>com.example.B</key><string>1.0</string>
                </dict>
                """);
        Resolution resolution = new DependencyResolver(repository).resolve(root);
        assertTrue(resolution.isResolved(), () -> root.diagnostics().format());
        assertEquals(List.of(libkern, c, a, b, root), resolution.loadList());
        assertEquals(List.of(a, libkern, b), resolution.dependencies(root));
        assertEquals(List.of(c, libkern), resolution.dependencies(b));
        assertEquals(List.of(), resolution.logLines());
        assertTrue(root.diagnostics().isEmpty(), root.diagnostics().format());
    }

    @Test
    void highestCompatibleVersionWinsNotTheHighestVersion() {
        add("/a/Lib.kext", lib("1.0", "1.0"));
        KextBundle v15 = add("/b/Lib.kext", lib("1.5", "1.0"));
        add("/c/Lib.kext", lib("2.0", "2.0"));
        KextBundle root = add("/L/Root.kext", rootNeeding("1.2"));
        Resolution resolution = new DependencyResolver(repository).resolve(root);
        assertEquals(List.of(libkern, v15), resolution.dependencies(root));
    }

    @Test
    void versionTieGoesToTheLaterCreatedKext() {
        KextBundle first = kexts.kext("/a/Lib.kext", lib("1.5", "1.0"));
        KextBundle second = kexts.kext("/b/Lib.kext", lib("1.5", "1.0"));
        repository.addAll(List.of(second, first));
        KextBundle root = add("/L/Root.kext", rootNeeding("1.0"));
        assertSame(second, new DependencyResolver(repository).resolve(root).dependencies(root).get(1));
    }

    @Test
    void loadedKextIsPreferredOverAHigherVersionOnDisk() {
        KextBundle loaded = kexts.kext("/loaded/Lib.kext", lib("1.0", "1.0"));
        KextBundle newer = add("/disk/Lib.kext", lib("2.0", "1.0"));
        KextBundle root = add("/L/Root.kext", rootNeeding("1.0"));
        LoadedKextLookup lookup = id -> id.equals("com.example.Lib") ? loaded : null;
        Resolution resolution = new DependencyResolver(repository, lookup).resolve(root);
        assertTrue(resolution.isResolved());
        assertEquals(List.of(libkern, loaded, root), resolution.loadList());
        assertSame(newer, new DependencyResolver(repository).resolve(root).dependencies(root).get(1));
    }

    @Test
    void kernelComponentResolvesToItselfAlone() {
        KextBundle iokit = repository.kernel().bundle("com.apple.kpi.iokit");
        Resolution resolution = new DependencyResolver(repository).resolve(iokit);
        assertTrue(resolution.isResolved());
        assertEquals(List.of(iokit), resolution.loadList());
        assertEquals(List.of(), resolution.linkDependencies(iokit));
    }

    @Test
    void batchResolutionSharesWorkAndKeepsRootsApart() {
        KextBundle shared = add("/L/Lib.kext", lib("1.0", "1.0"));
        KextBundle one = add("/L/One.kext", rootNeeding("1.0").replace("com.example.Root", "com.example.One"));
        KextBundle two = add("/L/Two.kext", rootNeeding("1.0").replace("com.example.Root", "com.example.Two"));
        List<Resolution> resolutions = new DependencyResolver(repository).resolveAll(List.of(one, two, shared));
        assertEquals(List.of(one, two, shared), resolutions.stream().map(Resolution::root).toList());
        assertEquals(List.of(libkern, shared, one), resolutions.get(0).loadList());
        assertEquals(List.of(libkern, shared, two), resolutions.get(1).loadList());
        assertEquals(List.of(libkern, shared), resolutions.get(2).loadList());
    }

    @Test
    void batchLoadListMergesTheRootsKeepingDependenciesFirst() {
        KextBundle shared = add("/L/Lib.kext", lib("1.0", "1.0"));
        KextBundle one = add("/L/One.kext", rootNeeding("1.0").replace("com.example.Root", "com.example.One"));
        KextBundle broken = add("/L/Broken.kext", rootNeeding("9.0").replace("com.example.Root", "com.example.Broken"));
        KextBundle two = add("/L/Two.kext", rootNeeding("1.0").replace("com.example.Root", "com.example.Two"));
        List<Resolution> batch = new DependencyResolver(repository).resolveAll(List.of(two, broken, shared, one));
        assertEquals(List.of(libkern, shared, two, one), Resolution.combinedLoadList(batch));
        List<Resolution> separate = List.of(new DependencyResolver(repository).resolve(one),
                new DependencyResolver(repository).resolve(two));
        assertEquals(List.of(libkern, shared, one, two), Resolution.combinedLoadList(separate));
    }

    @Test
    void longChainResolvesWithoutExhaustingTheStack() {
        // Far deeper than Java recursion could go; built without XML so that the test stays quick.
        List<KextBundle> chain = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            NSDictionary info = new NSDictionary();
            info.put("CFBundleIdentifier", "com.example.K" + i);
            info.put("CFBundleVersion", "1.0");
            info.put("OSBundleCompatibleVersion", "1.0");
            info.put("CFBundleExecutable", "K");
            NSDictionary libraries = new NSDictionary();
            if (i > 0) {
                libraries.put("com.example.K" + (i - 1), "1.0");
            }
            libraries.put("com.apple.kpi.libkern", "8.0");
            info.put("OSBundleLibraries", libraries);
            Path dir = Path.of("/L/K" + i + ".kext");
            chain.add(new KextBundle(dir, dir.resolve("Contents/Info.plist"), info, "x86_64", VersionGrammar.MODERN, null, i));
        }
        repository.addAll(chain);
        Resolution resolution = new DependencyResolver(repository).resolve(chain.get(chain.size() - 1));
        assertTrue(resolution.isResolved());
        assertEquals(chain.size() + 1, resolution.loadList().size());
        assertSame(libkern, resolution.loadList().get(0));
        assertSame(chain.get(0), resolution.loadList().get(1));
    }

    @Test
    void askingAboutAKextOutsideTheGraphIsAMisuse() {
        KextBundle root = add("/L/Root.kext", rootNeeding("1.0"));
        add("/L/Lib.kext", lib("1.0", "1.0"));
        KextBundle stranger = add("/L/Stranger.kext", lib("1.0", "1.0").replace("com.example.Lib", "com.example.Stranger"));
        Resolution resolution = new DependencyResolver(repository).resolve(root);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> resolution.linkDependencies(stranger));
        assertTrue(e.getMessage().contains("is not in the dependency graph of com.example.Root"), e.getMessage());
    }

    /** {@code com.example.Lib} at a version, with code, needing libkern. */
    static String lib(String version, String compatible) {
        return """
                <key>CFBundleIdentifier</key><string>com.example.Lib</string>
                <key>CFBundleVersion</key><string>%s</string>
                <key>OSBundleCompatibleVersion</key><string>%s</string>
                <key>CFBundleExecutable</key><string>Lib</string>
                <key>OSBundleLibraries</key><dict><key>com.apple.kpi.libkern</key><string>8.0</string></dict>
                """.formatted(version, compatible);
    }

    /** {@code com.example.Root}, a driver needing libkern and {@code com.example.Lib} at a version. */
    static String rootNeeding(String libVersion) {
        return """
                <key>CFBundleIdentifier</key><string>com.example.Root</string>
                <key>CFBundleVersion</key><string>1.0</string>
                <key>CFBundleExecutable</key><string>Root</string>
                <key>OSBundleLibraries</key><dict>
                    <key>com.apple.kpi.libkern</key><string>8.0</string>
                    <key>com.example.Lib</key><string>%s</string>
                </dict>
                """.formatted(libVersion);
    }

    /** A library with code that needs one other library at 1.0. */
    static String needing(String id, String libId) {
        return """
                <key>CFBundleIdentifier</key><string>%s</string>
                <key>CFBundleVersion</key><string>1.0</string>
                <key>OSBundleCompatibleVersion</key><string>1.0</string>
                <key>CFBundleExecutable</key><string>K</string>
                <key>OSBundleLibraries</key><dict>
                    <key>com.apple.kpi.libkern</key><string>8.0</string>
                    <key>%s</key><string>1.0</string>
                </dict>
                """.formatted(id, libId);
    }
}
