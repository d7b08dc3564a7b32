package org.kextkit.harness.link;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.dd.plist.NSDictionary;
import com.dd.plist.PropertyListParser;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.kextkit.harness.bundle.KextBundle;
import org.kextkit.harness.bundle.KextExecutable;
import org.kextkit.harness.version.VersionGrammar;
import org.kextkit.kit.internal.KernelServices;

/**
 * Link a whole generated kext graph ({@code tools/bundlegraph} kext mode) and check every kext's
 * {@code f()} through the linked loaders; also print how long linking takes.
 *
 * <p>Runs only when asked, since it needs the generated bundles:
 * {@code mvn -q -pl kit,harness test -Dtest=BundleGraphLinkTest -Dkextkit.bundlegraph=/tmp/kexts-1000}
 * (optionally {@code -Dkextkit.bundlegraph.rounds=30}). The times are printed, never asserted.
 */
@EnabledIfSystemProperty(named = "kextkit.bundlegraph", matches = ".+")
class BundleGraphLinkTest {
    private static final KernelServices QUIET = (caller, function, message) -> { };

    @Test
    void everyKextOfTheGraphLinksAndComputesWhatTheGeneratorExpects() throws Exception {
        Path root = Path.of(System.getProperty("kextkit.bundlegraph"));
        int rounds = Integer.getInteger("kextkit.bundlegraph.rounds", 10);

        Map<String, KextBundle> byId = new HashMap<>();
        Map<KextBundle, KextExecutable> executables = new HashMap<>();
        long order = 0;
        try (DirectoryStream<Path> kexts = Files.newDirectoryStream(root, "gen.k*.kext")) {
            for (Path dir : kexts) {
                Path plist = dir.resolve("Contents/Info.plist");
                NSDictionary info = (NSDictionary) PropertyListParser.parse(Files.readAllBytes(plist));
                KextBundle bundle = new KextBundle(dir, plist, info, "x86_64", VersionGrammar.MODERN, null, order++);
                byId.put(bundle.identifier(), bundle);
                executables.put(bundle, KextExecutable.read(bundle.executablePath()));
            }
        }
        assertTrue(byId.size() > 0, "no gen.k*.kext bundles in " + root);
        KextBundle libkern = libkern(order);
        byId.put(libkern.identifier(), libkern);
        List<KextBundle> loadList = loadList(byId);
        List<KextBundle> repository = new ArrayList<>(byId.values());

        double[] millis = new double[rounds];
        Map<KextBundle, KextClassLoader> loaders = new HashMap<>();
        for (int round = 0; round < rounds; round++) {
            loaders.clear();
            long start = System.nanoTime();
            KextLinker linker = new KextLinker(new ClassIndex(() -> repository));
            for (KextBundle kext : loadList) {
                List<LinkedLibrary> dependencies = new ArrayList<>();
                for (String id : kext.libraries().keySet()) {
                    KextBundle dependency = byId.get(id);
                    dependencies.add(dependency.isKernelComponent() ? LinkedLibrary.kernelComponent(dependency)
                            : LinkedLibrary.of(loaders.get(dependency)));
                }
                LinkResult result = linker.link(kext, executables.get(kext), dependencies, QUIET);
                assertTrue(result.isLinked(), () -> String.join("\n", result.formatFindings()));
                result.loader().loadClass(kext.identifier() + ".Lib");
                loaders.put(kext, result.loader());
            }
            millis[round] = (System.nanoTime() - start) / 1e6;
        }

        Map<String, Integer> expected = new HashMap<>();
        for (KextBundle kext : loadList) {
            Class<?> lib = loaders.get(kext).loadClass(kext.identifier() + ".Lib");
            assertEquals(expectedF(kext.identifier(), byId, expected), (int) lib.getMethod("f").invoke(null), kext.identifier());
        }
        double[] sorted = millis.clone();
        Arrays.sort(sorted);
        System.out.printf("bundlegraph: %d kexts linked and one class loaded from each; %d rounds: min %.1f ms,"
                + " median %.1f ms, max %.1f ms (first round cold)%n", loadList.size(), rounds, sorted[0],
                sorted[rounds / 2], sorted[rounds - 1]);
    }

    /** Compute {@code gen.k<i>.Lib.f()} from the Info.plists alone: i plus the f() of each dependency, in int arithmetic. */
    private static int expectedF(String id, Map<String, KextBundle> byId, Map<String, Integer> memo) {
        Integer known = memo.get(id);
        if (known != null) {
            return known;
        }
        int value = Integer.parseInt(id.substring("gen.k".length()));
        for (String dependency : byId.get(id).libraries().keySet()) {
            if (dependency.startsWith("gen.k")) {
                value += expectedF(dependency, byId, memo);
            }
        }
        memo.put(id, value);
        return value;
    }

    /** Order the kexts dependencies first, as the resolver's load list does. */
    private static List<KextBundle> loadList(Map<String, KextBundle> byId) {
        Set<KextBundle> ordered = new LinkedHashSet<>();
        List<String> ids = new ArrayList<>(byId.keySet());
        ids.sort(null);
        for (String id : ids) {
            visit(byId.get(id), byId, ordered);
        }
        ordered.removeIf(KextBundle::isKernelComponent);
        return new ArrayList<>(ordered);
    }

    private static void visit(KextBundle kext, Map<String, KextBundle> byId, Set<KextBundle> ordered) {
        if (ordered.contains(kext)) {
            return;
        }
        for (String id : kext.libraries().keySet()) {
            visit(byId.get(id), byId, ordered);
        }
        ordered.add(kext);
    }

    private static KextBundle libkern(long order) throws Exception {
        Path dir = Path.of("/System/Library/Extensions/System.kext/Contents/PlugIns/Libkern.kext");
        String xml = KextFixture.plist("CFBundleExecutable", "Libkern", "CFBundleIdentifier", "com.apple.kpi.libkern",
                "CFBundlePackageType", "KEXT", "CFBundleVersion", KextFixture.KERNEL_VERSION,
                "OSBundleCompatibleVersion", "8.0.0d0", "OSKernelResource", Boolean.TRUE);
        return new KextBundle(dir, dir.resolve("Contents/Info.plist"), (NSDictionary) PropertyListParser.parse(xml.getBytes(UTF_8)),
                "x86_64", VersionGrammar.MODERN, null, order);
    }
}
