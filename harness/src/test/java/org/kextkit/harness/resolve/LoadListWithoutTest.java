package org.kextkit.harness.resolve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.kextkit.harness.bundle.KextBundle;
import org.kextkit.harness.repository.KextRepository;

/** {@link Resolution#loadListWithout}: the part of a load list that is not there yet, and how far it walks. */
class LoadListWithoutTest {
    private final Kexts kexts = new Kexts();
    private final KextRepository repository = new KextRepository();
    private final KextBundle libkern = repository.kernel().bundle("com.apple.kpi.libkern");

    private KextBundle library(String name, boolean code, String... libraries) {
        StringBuilder body = new StringBuilder()
                .append("<key>CFBundleIdentifier</key><string>com.example.").append(name).append("</string>")
                .append("<key>CFBundleVersion</key><string>1.0</string>")
                .append("<key>OSBundleCompatibleVersion</key><string>1.0</string>");
        if (code) {
            body.append("<key>CFBundleExecutable</key><string>").append(name).append("</string>");
        }
        body.append("<key>OSBundleLibraries</key><dict><key>com.apple.kpi.libkern</key><string>8.0</string>");
        for (String library : libraries) {
            body.append("<key>com.example.").append(library).append("</key><string>1.0</string>");
        }
        body.append("</dict>");
        KextBundle kext = kexts.kext("/L/" + name + ".kext", body.toString());
        repository.add(kext);
        return kext;
    }

    /** Records every kext it is asked about, so a test sees how far the walk went. */
    private static final class Present implements Predicate<KextBundle> {
        final Set<KextBundle> present;
        final List<KextBundle> asked = new ArrayList<>();

        Present(Set<KextBundle> present) {
            this.present = present;
        }

        @Override
        public boolean test(KextBundle kext) {
            asked.add(kext);
            return present.contains(kext);
        }
    }

    private static List<KextBundle> without(List<KextBundle> list, Set<KextBundle> present) {
        List<KextBundle> rest = new ArrayList<>(list);
        rest.removeAll(present);
        return rest;
    }

    @Test
    void withNothingPresentItIsTheLoadList() {
        KextBundle c = library("C", true);
        KextBundle a = library("A", true, "C");
        KextBundle b = library("B", true, "C");
        KextBundle root = library("Root", true, "A", "B");
        Resolution resolution = new DependencyResolver(repository).resolve(root);
        assertTrue(resolution.isResolved(), () -> root.diagnostics().format());

        assertEquals(resolution.loadList(), resolution.loadListWithout(kext -> false));
        assertEquals(List.of(libkern, c, a, b, root), resolution.loadListWithout(kext -> false));
    }

    @Test
    void leavesOutWhatIsPresentInLoadListOrderAndDoesNotWalkBelowIt() {
        KextBundle d = library("D", true);
        KextBundle c = library("C", true, "D");
        KextBundle a = library("A", true, "C");
        KextBundle b = library("B", true, "C");
        KextBundle root = library("Root", true, "A", "B");
        Resolution resolution = new DependencyResolver(repository).resolve(root);
        Present present = new Present(Set.of(libkern, c, d));

        List<KextBundle> missing = resolution.loadListWithout(present);

        assertEquals(without(resolution.loadList(), present.present), missing);
        assertEquals(List.of(a, b, root), missing);
        assertTrue(!present.asked.contains(d), "the walk went below the present kext C: " + present.asked);
    }

    @Test
    void walksThroughAPresentKextToACodelessLibraryBelowIt() {
        KextBundle d = library("D", true);
        // A codeless library is never loaded, so it is never present, even below a loaded kext.
        KextBundle codeless = library("Codeless", false, "D");
        KextBundle c = library("C", true, "Codeless");
        KextBundle root = library("Root", true, "C");
        Resolution resolution = new DependencyResolver(repository).resolve(root);
        assertTrue(resolution.isResolved(), () -> root.diagnostics().format());
        Set<KextBundle> loaded = Set.of(libkern, d, c);

        List<KextBundle> missing = resolution.loadListWithout(loaded::contains);

        assertEquals(without(resolution.loadList(), loaded), missing);
        assertEquals(List.of(codeless, root), missing);
    }

    @Test
    void aPresentRootLeavesNothingAndAnUnresolvedRootHasNothing() {
        KextBundle a = library("A", true);
        KextBundle root = library("Root", true, "A");
        KextBundle broken = library("Broken", true, "Missing");
        Resolution resolution = new DependencyResolver(repository).resolve(root);

        assertEquals(List.of(), resolution.loadListWithout(Set.of(libkern, a, root)::contains));
        Resolution unresolved = new DependencyResolver(repository).resolve(broken);
        assertEquals(List.of(), unresolved.loadListWithout(kext -> false));
    }
}
