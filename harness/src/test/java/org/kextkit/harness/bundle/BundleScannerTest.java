package org.kextkit.harness.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kextkit.harness.bundle.KextFixtures.Info;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kextkit.harness.diagnostics.DiagnosticGroup;

/** Pin down what a repository scan finds, in what order, and that bad bundles never stop it. */
class BundleScannerTest {
    @TempDir
    Path repository;

    private static Info withId(String id) {
        return Info.valid().string("CFBundleIdentifier", id);
    }

    private static List<String> ids(ScanResult result) {
        return result.bundles().stream().map(KextBundle::identifier).collect(Collectors.toList());
    }

    @Test
    void findsTopLevelKextsAndTheirPlugInsButNothingDeeper() throws Exception {
        Path b = KextFixtures.kext(repository, "B.kext", withId("com.example.B").xml());
        KextFixtures.kext(b.resolve("Contents/PlugIns"), "BPlug.kext", withId("com.example.BPlug").xml());
        KextFixtures.kext(repository, "A.kext", withId("com.example.A").xml());
        KextFixtures.kext(repository.resolve("Vendor"), "Hidden.kext", withId("com.example.Hidden").xml());
        Files.writeString(repository.resolve("README.txt"), "not a kext");

        ScanResult result = new BundleScanner(KextFixtures.reader()).scan(repository);
        assertEquals(List.of(), result.problems());
        assertEquals(List.of("com.example.A", "com.example.B", "com.example.BPlug"), ids(result));
        assertEquals(List.of(1L, 2L, 3L), result.bundles().stream().map(KextBundle::order).collect(Collectors.toList()));
    }

    @Test
    void reportsBadBundlesAndKeepsScanning() throws Exception {
        KextFixtures.kext(repository, "A.kext", withId("com.example.A").xml());
        Path broken = KextFixtures.kext(repository, "Broken.kext", "<plist><dict><key>x</key></plist>");
        Files.createDirectories(repository.resolve("Empty.kext"));
        Files.writeString(repository.resolve("File.kext"), "");
        KextFixtures.kext(repository, "Z.kext", withId("com.example.Z").xml());

        ScanResult result = new BundleScanner(KextFixtures.reader()).scan(repository);
        assertEquals(List.of("com.example.A", "com.example.Z"), ids(result));
        assertEquals(List.of(broken, repository.resolve("Empty.kext"), repository.resolve("File.kext")),
                result.problems().stream().map(BundleProblem::path).collect(Collectors.toList()));
        result.problems().forEach(p -> assertTrue(p.message().startsWith(p.path().toString()), p.message()));
    }

    @Test
    void validatesEveryBundleWhenGivenAValidator() throws Exception {
        Path good = KextFixtures.kext(repository, "Good.kext", withId("com.example.Good").xml());
        KextFixtures.writeJar(good.resolve("Contents/MacOS/Foo"), null, "com.example.driver.Foo");
        KextFixtures.kext(repository, "NoJar.kext", withId("com.example.NoJar").xml());

        ScanResult result = new BundleScanner(KextFixtures.reader(), new KextBundleValidator()).scan(repository);
        assertEquals(List.of("com.example.Good", "com.example.NoJar"), ids(result));
        assertTrue(result.bundles().get(0).diagnostics().isEmpty());
        assertEquals(List.of("Contents/MacOS/Foo - no such file"), result.bundles().get(1).diagnostics()
                .values(DiagnosticGroup.VALIDATION, ValidationMessages.EXECUTABLE_MISSING));
    }

    @Test
    void reportsARepositoryThatIsMissingOrNotAFolder() throws Exception {
        BundleScanner scanner = new BundleScanner(KextFixtures.reader());
        Path missing = repository.resolve("nowhere");
        assertEquals(List.of(new BundleProblem(missing, missing + ": no such repository folder; check the path")),
                scanner.scan(missing).problems());
        Path file = Files.writeString(repository.resolve("file"), "");
        assertEquals(file + ": not a folder; a kext repository is a folder of .kext bundles",
                scanner.scan(file).problems().get(0).message());
    }

    @Test
    void scansSeveralRepositoriesInTurn() throws Exception {
        Path first = Files.createDirectories(repository.resolve("first"));
        Path second = Files.createDirectories(repository.resolve("second"));
        KextFixtures.kext(second, "A.kext", withId("com.example.SecondA").xml());
        KextFixtures.kext(first, "B.kext", withId("com.example.FirstB").xml());
        ScanResult result = new BundleScanner(KextFixtures.reader()).scan(List.of(first, second));
        assertEquals(List.of("com.example.FirstB", "com.example.SecondA"), ids(result));
        assertTrue(result.bundles().get(1).order() > result.bundles().get(0).order());
    }
}
